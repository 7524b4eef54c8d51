import Batch
import Facts
import Foundation
import Ledger
import Pipeline
import Rules
import Unleashed

extension OrderPusher {
    /// `replace`: everything the new order needs is checked and created first (so an order that
    /// cannot be created never costs the original), then the original is taken out of the way,
    /// then the edited order is created.
    func replace(_ record: BatchRecord, _ planned: FactFinder.Planned, row: OrderRecord?, label: OrderLabel) async throws -> Result {
        let id = label.id ?? ""
        guard let row, let original = planned.original else {
            return try await reject(planned, row: row, id: id, label: label, message: "the original sales order could not be read from Unleashed")
        }
        if let refusal = try await prepare(record, planned, label: label) {
            return try await reject(planned, row: row, id: id, label: label, message: refusal)
        }
        switch try await takeAway(original, planned, row: row, label: label, thenCreate: true) {
        case .done(let cleared):
            return try await create(record, planned, row: cleared, label: label, replacing: original.guid, prepared: true)
        case .stopped(let result):
            return result
        }
    }

    /// `supersede`: the original is taken out of the way and not recreated.
    func supersede(_ planned: FactFinder.Planned, row: OrderRecord?, label: OrderLabel) async throws -> Result {
        guard let row, let original = planned.original else {
            return try await reject(planned, row: row, id: label.id ?? "", label: label,
                                    message: "the original sales order could not be read from Unleashed")
        }
        switch try await takeAway(original, planned, row: row, label: label, thenCreate: false) {
        case .done:
            return Result(outcome: .superseded, message: "took \(original.guid) out of the way")
        case .stopped(let result):
            return result
        }
    }

    /// How taking an original away ended.
    enum TakeAway {
        /// Done: the row with no live order left, as saved (`creating` under the GUID reserved
        /// for the new order of a replace; `superseded` for a supersede).
        case done(OrderRecord)
        /// Refused, blocked or unknown: the order's result.
        case stopped(Result)
    }

    /// Applies the rules' supersede recipe to the original (one PUT), with the changes written
    /// to the ledger first so that a resumed run can tell whether they landed; once they have,
    /// the row is saved in its next state in one write (`OrderSync.next`).
    func takeAway(_ original: SalesOrder, _ planned: FactFinder.Planned, row: OrderRecord, label: OrderLabel,
                  thenCreate: Bool) async throws -> TakeAway {
        let changes = context.pipeline.supersedeChanges(original: original.json, reference: context.facts.reference)
        let step = try OrderSync.next(try OrderSync.State(row), .takeAway(changes: Self.encode(changes), thenCreate: thenCreate))
        var working = row
        working.apply(step.state)
        working.lastAction = planned.plan.action.rawValue
        working.note(planned.version, holds: false)
        working.runID = context.runID
        working.updatedAt = context.now()
        try await context.ledger.saveOrder(working)
        do {
            _ = try await context.client.updateSalesOrder(guid: original.guid, body: original.updateBody(applying: changes)) { order in
                Self.landed(order, changes)
            }
        } catch {
            // Only the client throws in the `do`: `error` is an UnleashedError.
            if error.runStop != nil { throw error }
            if case .refused(_, let status, let description, _) = error {
                if description == SalesOrderStatus.notModifiableMessage {
                    working.apply(try OrderSync.next(step.state, .takeAwayBlocked).state)
                    working.lastError = description
                    working.updatedAt = context.now()
                    try await context.ledger.commit([
                        .saveOrder(working),
                        .appendLog(context.log(label, action: .block, outcome: .blocked, status: status,
                                               message: "\(label): \(description ?? "")", guid: original.guid)),
                    ])
                    return .stopped(Result(outcome: .blocked, message: description))
                }
                return .stopped(try await reject(planned, row: working, id: label.id ?? "", label: label,
                                                 message: "Unleashed refused to take \(original.guid) out of the way: \(error.reason)",
                                                 status: status, action: LogAction(planned.plan.action)))
            }
            working.apply(try OrderSync.next(step.state, .unknown).state)
            working.attempts += 1
            working.lastError = "\(label): \(error.reason) (the outcome is unknown; the next run asks Unleashed for \(original.guid) first)"
            try await context.ledger.commit([
                .saveOrder(working),
                .appendLog(context.log(label, action: LogAction(planned.plan.action), outcome: .error, status: error.httpStatus,
                                       message: working.lastError, guid: original.guid)),
            ])
            return .stopped(Result(outcome: .failed, message: working.lastError, unreachable: true, inDoubt: true))
        }
        let done = try OrderSync.next(step.state, .takenAway(freshGuid: Self.freshGuid()))
        var cleared = Self.cleared(working, done, now: context.now())
        // A supersede leaves what this copy says in Unleashed (the order taken out of the way);
        // a replace does once its new order is created.
        if !thenCreate { cleared.note(planned.version, holds: true) }
        try await context.ledger.commit([
            .saveOrder(cleared),
            .appendLog(context.log(label, action: .supersede, outcome: .ok, status: 200,
                                   message: "took \(original.guid) out of the way: " + Self.describe(changes), guid: original.guid)),
        ])
        return .done(cleared)
    }

    /// The row once its live order was taken away (`step`: `takenAway`): none live, the old GUID
    /// in the history.
    static func cleared(_ row: OrderRecord, _ step: OrderSync.Step, now: Date) -> OrderRecord {
        var cleared = row
        cleared.apply(step.state)
        cleared.lastError = nil
        cleared.attempts = 0
        cleared.updatedAt = now
        return cleared
    }

    /// Settles what an earlier run left unknown (a create or a supersede whose answer never
    /// came): asks Unleashed and records what really happened. A settled row is returned as is.
    func settle(_ row: OrderRecord) async throws -> OrderRecord {
        let state = try OrderSync.State(row)
        let step = try OrderSync.next(state, .resume)
        var settled = row
        let label = OrderLabel(id: row.sourceID, number: row.sourceNumber, index: 0)
        let asked: OrderSync.Step
        switch (state, step.effects.first) {
        case (.creating(let reserved, _), .ask(let guid)?):
            if let order = try await context.client.salesOrder(guid: guid) {
                let done = try OrderSync.next(state, .created)
                settled.apply(done.state)
                settled.confirm(order, hash: reserved.hash, now: context.now())
                try await context.ledger.commit(writes(of: done, row: settled) + [
                    .appendLog(context.log(label, action: row.lastAction.flatMap(LogAction.init(rawValue:)) ?? .create, outcome: .ok, status: 200,
                                           message: "an earlier create landed (found in Unleashed by its GUID); not created again", guid: guid)),
                ])
                return settled
            }
            asked = try OrderSync.next(state, .notLanded)
        case (.superseding(_, let pending, _, _), .ask(let guid)?):
            let changes = Self.decode(pending)
            if let order = try await context.client.salesOrder(guid: guid), !changes.isEmpty, Self.landed(order, changes) {
                settled = Self.cleared(row, try OrderSync.next(state, .takenAway(freshGuid: Self.freshGuid())), now: context.now())
                try await context.ledger.commit([
                    .saveOrder(settled),
                    .appendLog(context.log(label, action: .supersede, outcome: .ok, status: 200,
                                           message: "an earlier supersede landed (found in Unleashed); not applied again", guid: guid)),
                ])
                return settled
            }
            asked = try OrderSync.next(state, .notLanded)
        default:
            guard step.saves else { return row }
            asked = step
        }
        settled.apply(asked.state)
        settled.updatedAt = context.now()
        try await context.ledger.saveOrder(settled)
        return settled
    }

    /// Whether every change shows in `order` (strings without regard to case, numbers as decimals).
    static func landed(_ order: SalesOrder, _ changes: [(path: String, value: JSONValue)]) -> Bool {
        changes.allSatisfy { change in
            guard let now = order.json.value(atPath: change.path) else { return change.value.isNull }
            switch (now, change.value) {
            case (.string(let a), .string(let b)): return a.caseInsensitiveCompare(b) == .orderedSame
            case (.number(let a), .number(let b)): return a.decimal == b.decimal
            default: return now == change.value
            }
        }
    }

    /// The changes as a JSON object, for the ledger.
    static func encode(_ changes: [(path: String, value: JSONValue)]) -> Data {
        Data(JSONValue.object(JSONObject(changes.map { ($0.path, $0.value) })).serialized().utf8)
    }

    /// The changes from the ledger's JSON object.
    static func decode(_ data: Data?) -> [(path: String, value: JSONValue)] {
        guard let data, let object = (try? JSONValue.parse([UInt8](data)))?.objectValue else { return [] }
        return object.map { ($0.key, $0.value) }
    }

    /// `Warehouse.WarehouseCode = "OM_DELETE", CustomerRef = "OM1 DELETED"`.
    static func describe(_ changes: [(path: String, value: JSONValue)]) -> String {
        changes.map { "\($0.path) = \($0.value.serialized())" }.joined(separator: ", ")
    }
}
