import Batch
import Facts
import Foundation
import Ledger
import Pipeline
import Rules
import Unleashed

/// Pushes one order: settles what an earlier run left unknown, plans the order with the facts,
/// and carries out the plan (create, replace, supersede, skip, block, or reject), writing the
/// ledger before every call whose outcome matters and a log row for every outcome.
struct OrderPusher: Sendable {
    let context: PushContext

    /// The result of one order.
    struct Result: Sendable {
        var outcome: PushOutcome
        var message: String?
        /// Unleashed was unreachable for this order (counts towards stopping the run).
        var unreachable = false
        /// The order's last call has an unknown outcome (its row is left `creating` or
        /// `superseding`): the run's checkpoint never passes it, so running the import again
        /// settles it, whatever became of the run.
        var inDoubt = false
        /// The plan's warnings, when the order was written to Unleashed with them (logged).
        var warnings = 0
    }

    /// Pushes `record`. Throws `RunStop` only for what stops the whole run (credentials, quota).
    /// `position`: where this copy is in the run (only the newest copy of an order is planned to change anything).
    func push(_ record: BatchRecord, at position: NewestCopies.Position? = nil) async throws(RunStop) -> Result {
        let label = OrderLabel(id: OrderIdentity.sourceID(of: record), number: nil, index: record.index)
        guard let id = label.id else {
            let message = "\(label): the order has no id, so omsync cannot tell whether it was pushed before; "
                + "it is not imported. Export the order with its Ordermentum id."
            await append([.appendLog(context.log(label, action: .read, outcome: .rejected, message: message))])
            return Result(outcome: .rejected, message: message)
        }
        do {
            return try await pushIdentified(record, id: id, position: position)
        } catch let error as RunStop {
            throw error
        } catch let error as LedgerError where error.stopsTheRun {
            // Another run has this account now (our lock's session ended), or the ledger's server
            // refuses or no longer answers: nothing more can be recorded, so the run stops,
            // resumably (the next run settles what was in flight), instead of failing every order.
            throw RunStop(reason: .ledger(message: error.description))
        } catch let error as UnleashedError {
            if let reason = error.runStop { throw RunStop(reason: reason) }
            let message = "\(label): \(error.reason)"
            await append([.appendLog(context.log(label, action: .push, outcome: .error, status: error.httpStatus, message: message))])
            // Unleashed answered a refusal: it was reached (only unknown outcomes and bad answers
            // count towards stopping the run as unreachable).
            var refused = false
            if case .refused = error { refused = true }
            return Result(outcome: .failed, message: message, unreachable: !refused)
        } catch {
            let message = "\(label): \(error)"
            await append([.appendLog(context.log(label, action: .push, outcome: .error, message: message))])
            return Result(outcome: .failed, message: message)
        }
    }

    private func pushIdentified(_ record: BatchRecord, id: String, position: NewestCopies.Position?) async throws -> Result {
        var row = try await context.ledger.order(sourceID: id)
        let earlier = context.handledEarlier(row, id: id)
        var confirmed = false
        if let pending = row {
            row = try await settle(pending)
            confirmed = pending.state == .creating && row?.state == .pushed
        }
        // The facts path applies the customer mapping set by hand; the order is carried out as planned.
        let planned = try await context.facts.plan(record, row: row, at: position) { guid in
            try await context.client.salesOrder(guid: guid)
        }
        let record = planned.record
        let plan = planned.plan
        let label = OrderLabel(id: id, number: plan.sourceNumber, index: record.index)
        // Stopping: an order that would begin a change in Unleashed now is left for the resumed
        // run (its row untouched, the checkpoint before it), so a stop waits only for the calls
        // already in flight, each bounded by its deadline.
        if context.stop.isRequested, [.create, .replace, .supersede].contains(plan.action) {
            throw RunStop(reason: context.stop.reason ?? .interrupted)
        }
        switch plan.action {
        case .create:
            return await warned(try await create(record, planned, row: row, label: label, replacing: nil), plan, label: label)
        case .replace:
            return await warned(try await replace(record, planned, row: row, label: label), plan, label: label)
        case .supersede:
            return await warned(try await supersede(planned, row: row, label: label), plan, label: label)
        case .skip:
            let result = try await skip(planned, row: row, id: id, label: label, earlier: earlier)
            // A create whose answer was lost, found in Unleashed now: it counts as created.
            return confirmed ? Result(outcome: .created, message: "created (confirmed in Unleashed after an unknown outcome)") : result
        case .block:
            return try await block(planned, row: row, id: id, label: label)
        case .invalid:
            return try await reject(planned, row: row, id: id, label: label, message: plan.message ?? "the order is invalid")
        }
    }


    /// An order written to Unleashed with warnings (the ones its preview shows): one log row
    /// (outcome `warning`, listed by `logs --errors`) naming each, and counted in the summary.
    /// An order that was not written gets none: its warnings are logged when it is.
    func warned(_ result: Result, _ plan: OrderPlan, label: OrderLabel) async -> Result {
        let warnings = plan.problems.filter { $0.severity == .warning }
        guard !warnings.isEmpty, [.created, .replaced, .superseded].contains(result.outcome) else { return result }
        let message = "\(label): " + warnings.map { "warning[\($0.code.rawValue)] \($0.message)" }.joined(separator: "; ")
        await append([.appendLog(context.log(label, action: LogAction(plan.action), outcome: .warning, message: message))])
        var result = result
        result.warnings = warnings.count
        return result
    }

    /// Applies changes to the ledger in one transaction; a failure is logged, not thrown (the
    /// outcome stands; the row is written again on the next run).
    func append(_ changes: [LedgerChange]) async {
        do {
            try await context.ledger.commit(changes)
        } catch {
            context.logger.warning("the ledger did not record an order's outcome: \(error)")
        }
    }

    /// The ledger writes of `step` for `row` (the step's state already applied to it), in one
    /// transaction: the row, the payload kept before a create, the payloads dropped after one.
    func writes(of step: OrderSync.Step, row: OrderRecord, payload: OrderPlan? = nil) -> [LedgerChange] {
        var changes: [LedgerChange] = [.saveOrder(row)]
        for effect in step.effects {
            switch effect {
            case .keepPayload(let hash):
                // Kept with the pending row, so a run that later finds this create landed still has
                // what was sent (for the field-by-field diff of `omsync serve`).
                guard let payload else { continue }
                changes.append(.savePayload(PushedPayload(sourceID: row.sourceID, hash: hash,
                                                          json: String(decoding: payload.payload.bytes, as: UTF8.self), recordedAt: context.now())))
            case .prunePayloads(let keeping):
                changes.append(.prunePayloads(sourceID: row.sourceID, keeping: keeping))
            case .pruneToLive:
                changes.append(.prunePayloads(sourceID: row.sourceID, keeping: row.guid == nil ? "" : row.payloadHash ?? ""))
            case .sendCreate, .sendUpdate, .ask:
                continue
            }
        }
        return changes
    }

    /// A new ledger row for an order never seen.
    func newRow(id: String, label: OrderLabel) -> OrderRecord {
        let now = context.now()
        // Its state columns are those of `OrderSync.State.new`'s first transition, applied next.
        return OrderRecord(sourceID: id, sourceNumber: label.number, state: .rejected, createdAt: now, updatedAt: now)
    }

    /// `skip`: nothing to do in Unleashed; the row records it for a never-seen order. An order an
    /// earlier process of this same run already pushed (a resumed run handles again the orders
    /// past the checkpoint it stopped at, which the run row has not counted) counts as what that
    /// process did: created, replaced or superseded.
    private func skip(_ planned: FactFinder.Planned, row: OrderRecord?, id: String, label: OrderLabel, earlier handled: Bool) async throws -> Result {
        var changes: [LedgerChange] = []
        let earlier = handled ? row.flatMap { Self.outcome(ofAction: $0.lastAction) } : nil
        let message = earlier.map { "\($0.rawValue) earlier in this run (before it was stopped); not sent again" }
            ?? planned.plan.message ?? (row?.guid != nil ? "unchanged since it was last pushed" : "nothing to do")
        var updated = row ?? newRow(id: id, label: label)
        updated.apply(try OrderSync.next(try OrderSync.State(row), .skip).state)
        if earlier == nil { updated.lastAction = "skip" }
        // Unleashed holds this copy's content when the order is live there and it did not change.
        let state = planned.state
        updated.note(planned.version, holds: updated.guid != nil && !state[.stale] && !state[.changed] && !state[.changed_in_unleashed])
        updated.sourceNumber = label.number ?? updated.sourceNumber
        updated.runID = context.runID
        updated.updatedAt = context.now()
        changes.append(.saveOrder(updated))
        changes.append(.appendLog(context.log(label, action: .skip, outcome: .skipped, message: message, guid: row?.guid)))
        try await context.ledger.commit(changes)
        return Result(outcome: earlier ?? .skipped, message: message)
    }

    /// The outcome of a row's last action that changed Unleashed (nil for any other).
    static func outcome(ofAction action: String?) -> PushOutcome? {
        switch action {
        case Action.create.rawValue?: return .created
        case Action.replace.rawValue?: return .replaced
        case Action.supersede.rawValue?: return .superseded
        default: return nil
        }
    }

    /// `block`: changed in Unleashed; omsync stops syncing the order and says so.
    private func block(_ planned: FactFinder.Planned, row: OrderRecord?, id: String, label: OrderLabel) async throws -> Result {
        let message = planned.plan.message ?? SalesOrderStatus.notModifiableMessage
        var updated = row ?? newRow(id: id, label: label)
        updated.apply(try OrderSync.next(try OrderSync.State(row), .block).state)
        updated.note(planned.version, holds: false)
        updated.lastAction = "block"
        updated.lastError = message
        updated.runID = context.runID
        updated.updatedAt = context.now()
        let detail = planned.originalMissing ? "\(message) (the sales order is no longer in Unleashed)" : message
        try await context.ledger.commit([
            .saveOrder(updated),
            .appendLog(context.log(label, action: .block, outcome: .blocked, message: "\(label): \(detail)", guid: row?.guid)),
        ])
        return Result(outcome: .blocked, message: detail)
    }

    /// An order that cannot be pushed: invalid, or refused before or by Unleashed (`event`: a
    /// refused create is `createRefused`). A live order in Unleashed stays as it was (the row
    /// keeps it); a never-pushed one is `rejected` (`OrderSync.next`).
    func reject(_ planned: FactFinder.Planned?, row: OrderRecord?, id: String, label: OrderLabel, message: String,
                status: Int? = nil, action: LogAction = .invalid, event: OrderSync.Event = .reject) async throws -> Result {
        var updated = row ?? newRow(id: id, label: label)
        let step = try OrderSync.next(try OrderSync.State(row), event)
        updated.apply(step.state)
        updated.note(planned?.version, holds: false)
        updated.lastAction = planned?.plan.action.rawValue ?? action.rawValue
        updated.lastError = message
        updated.attempts += 1
        updated.runID = context.runID
        updated.updatedAt = context.now()
        let text = message.contains(label.description) ? message : "\(label): \(message)"
        try await context.ledger.commit(writes(of: step, row: updated)
            + [.appendLog(context.log(label, action: action, outcome: .rejected, status: status, message: text, guid: row?.guid))])
        return Result(outcome: .rejected, message: text)
    }
}

extension OrderRecord {
    /// Records the version of the copy just handled: the newest seen always; the version pushed
    /// when Unleashed now holds this copy's content (created, replaced, taken out of the way, or
    /// found unchanged). A copy without a usable version changes neither.
    mutating func note(_ version: OrderVersion?, holds: Bool) {
        guard let ms = version?.milliseconds else { return }
        seenVersion = max(seenVersion ?? .min, ms)
        if holds { pushedVersion = ms }
    }
}

extension LedgerError {
    /// Whether the run cannot go on after this error on one order's ledger call.
    var stopsTheRun: Bool {
        switch self {
        case .lockLost, .noAnswer, .failed, .unavailable, .unknownValue, .cannotWrite: return true
        case .locked, .newerSchema, .damaged, .notEmpty, .otherAccount: return false
        }
    }
}
