import Batch
import Facts
import Foundation
import Ledger
import Pipeline
import Unleashed

extension OrderPusher {
    /// `create` (or the second half of `replace`): checks the references, makes sure the
    /// customer and the freight product exist, then creates the sales order under a GUID that
    /// is written to the ledger before the POST.
    func create(_ record: BatchRecord, _ planned: FactFinder.Planned, row: OrderRecord?, label: OrderLabel,
                replacing: String?, prepared: Bool = false) async throws -> Result {
        let plan = planned.plan
        let id = label.id ?? ""
        if !prepared, let refusal = try await prepare(record, planned, label: label) {
            return try await reject(planned, row: row, id: id, label: label, message: refusal)
        }
        var pending = row ?? newRow(id: id, label: label)
        let event = OrderSync.Event.create(hash: planned.hash, freshGuid: Self.freshGuid())
        let step = try OrderSync.next(try OrderSync.State(row), event)
        guard case .creating(let reserved, _) = step.state else { throw OrderSync.IllegalTransition(state: step.state, event: event) }
        let guid = reserved.guid
        pending.apply(step.state)
        pending.sourceNumber = label.number ?? pending.sourceNumber
        pending.lastAction = plan.action.rawValue
        pending.note(planned.version, holds: false)
        pending.runID = context.runID
        pending.updatedAt = context.now()
        try await context.ledger.commit(writes(of: step, row: pending, payload: plan))
        let created: SalesOrder
        do {
            created = try await context.client.createSalesOrder(guid: guid, body: plan.payload.bytes)
        } catch {
            // Only the client throws in the `do`: `error` is an UnleashedError.
            if error.runStop != nil { throw error }
            if case .refused(_, let status, _, _) = error {
                return try await reject(planned, row: pending, id: id, label: label, message: Self.refusal(error, replacing: replacing),
                                        status: status, action: LogAction(plan.action), event: .createRefused)
            }
            pending.apply(try OrderSync.next(step.state, .unknown).state)
            pending.attempts += 1
            pending.lastError = "\(label): \(error.reason) (the outcome is unknown; the next run asks Unleashed for \(guid) first)"
            pending.updatedAt = context.now()
            try await context.ledger.commit([
                .saveOrder(pending),
                .appendLog(context.log(label, action: LogAction(plan.action), outcome: .error, status: error.httpStatus,
                                       message: pending.lastError, guid: guid)),
            ])
            return Result(outcome: .failed, message: pending.lastError, unreachable: true, inDoubt: true)
        }
        let done = try OrderSync.next(step.state, .created)
        var pushed = pending
        pushed.apply(done.state)
        pushed.confirm(created, hash: reserved.hash, now: context.now())
        pushed.note(planned.version, holds: true)
        pushed.runID = context.runID
        let outcome: PushOutcome = replacing == nil ? .created : .replaced
        var message = replacing.map { "replaced \($0) by \(created.guid)" } ?? "created \(created.orderNumber ?? created.guid)"
        if replacing != nil, planned.sameVersionAsPushed, let version = planned.version {
            message += " (the same \(context.pipeline.versionLabel) \(version) as the version pushed before, with other content)"
        }
        try await context.ledger.commit(writes(of: done, row: pushed)
            + [.appendLog(context.log(label, action: LogAction(plan.action), outcome: .ok, status: 200, message: message, guid: created.guid))])
        return Result(outcome: outcome, message: message)
    }

    /// A new GUID for a create (omsync chooses it, so a create can be asked about and retried).
    static func freshGuid() -> String { UUID().uuidString.lowercased() }

    /// Unleashed's refusal, with what was already done when a replace's original was taken away.
    static func refusal(_ error: UnleashedError, replacing: String?) -> String {
        let what = "Unleashed refused the sales order: \(error.reason)"
        guard let replacing else { return what }
        return what + " (the original \(replacing) was already taken out of the way; the next run creates the order again)"
    }

    /// Everything checked and created before the order itself: nil when ready, else why the
    /// order is rejected (decided before any write for it).
    func prepare(_ record: BatchRecord, _ planned: FactFinder.Planned, label: OrderLabel) async throws -> String? {
        let plan = planned.plan
        let payload = plan.payload.jsonValue
        let freightCode = plan.freightProduct?.payload.jsonValue["ProductCode"]?.stringValue
        let check = ReferenceCheck(index: context.index)
        let missing = check.missing(in: payload, creatingProduct: freightCode)
        if !missing.isEmpty {
            let explained = context.pipeline.plan(record, state: planned.state, reference: context.facts.reference, explain: true)
            return missing.map { ReferenceCheck.message($0, explain: explained.explain) }.joined(separator: "; ")
        }
        guard let code = payload.value(atPath: "Customer.CustomerCode")?.stringValue, !code.isEmpty else {
            return "the order has no customer code (Customer.CustomerCode)"
        }
        if !context.index.contains(.customers, code) {
            if let refusal = customerRefusal(plan, code: code) { return refusal }
            do {
                try await createCustomer(plan, code: code, record: record, label: label)
            } catch let error as UnleashedError {
                guard case .refused = error else { throw error }
                return "customer '\(code)' does not exist in Unleashed, and Unleashed refused to create it: \(error.reason); "
                    + "correct the customer's details in Ordermentum (or the rules' `customer:` fields), or create the customer in Unleashed"
            }
        } else {
            try await rememberMapping(record, code: code)
        }
        if let product = plan.freightProduct, let freightCode, !context.index.contains(.products, freightCode) {
            do {
                try await createProduct(product, code: freightCode, label: label)
            } catch let error as UnleashedError {
                guard case .refused = error else { throw error }
                return "freight product '\(freightCode)' does not exist in Unleashed, and Unleashed refused to create it: \(error.reason); "
                    + "correct the rules' `freight_product:` fields, or create the product in Unleashed"
            }
        }
        return nil
    }

    /// Why the missing customer cannot be created (no `customer:` rules, or a required field
    /// such as the billing email has no value), nil when it can.
    func customerRefusal(_ plan: OrderPlan, code: String) -> String? {
        guard plan.customer != nil else {
            return "customer '\(code)' does not exist in Unleashed and the rules have no `customer:` section to create it; create the customer in Unleashed, or correct unleashed_customer_code"
        }
        let required = plan.problems.filter { $0.code == .recordRequired && ($0.field ?? "").hasPrefix("customer.") }
        guard !required.isEmpty else { return nil }
        return "customer '\(code)' does not exist in Unleashed and cannot be created: "
            + required.map(\.message).joined(separator: "; ")
    }

    /// Creates the customer (once, however many orders need it) and records the mapping.
    func createCustomer(_ plan: OrderPlan, code: String, record: BatchRecord, label: OrderLabel) async throws {
        guard let customer = plan.customer else { return }
        let context = self.context
        let guid = try await context.customers.once(code) { guid in
            let saved = try await context.client.saveCustomer(guid: guid, body: customer.payload.bytes)
            let savedGuid = saved.guid ?? guid
            context.index.add(.customers, ReferenceIndex.Entry(key: code, guid: savedGuid))
            try await context.ledger.commit([
                .appendLog(context.log(label, action: .createCustomer, outcome: .ok, status: 200,
                                       message: "created customer \(code)", guid: savedGuid)),
            ])
            return savedGuid
        }
        try await saveMapping(record, code: code, guid: guid, origin: .created)
    }

    /// Creates the freight product (never diminishing, once) and records it.
    func createProduct(_ product: RecordPlan, code: String, label: OrderLabel) async throws {
        let context = self.context
        _ = try await context.products.once(code) { guid in
            let saved = try await context.client.saveProduct(guid: guid, body: product.payload.bytes)
            let savedGuid = saved.guid ?? guid
            context.index.add(.products, ReferenceIndex.Entry(key: code, guid: savedGuid))
            try await context.ledger.commit([
                .saveCreatedProduct(CreatedProduct(productCode: code, guid: savedGuid, runID: context.runID, createdAt: context.now())),
                .appendLog(context.log(label, action: .createProduct, outcome: .ok, status: 200,
                                       message: "created product \(code)", guid: savedGuid)),
            ])
            return savedGuid
        }
    }
}

extension OrderRecord {
    /// Records what Unleashed says of the sales order `order` it confirmed with payload `hash`
    /// (the state columns are `OrderSync`'s: `apply` the `created` step first).
    mutating func confirm(_ order: SalesOrder, hash: String?, now: Date) {
        unleashedOrderNumber = order.orderNumber
        unleashedStatus = order.statusText
        unleashedModifiedOn = order.lastModifiedOn
        payloadHash = hash
        attempts = 0
        lastError = nil
        updatedAt = now
    }
}
