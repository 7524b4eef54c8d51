import Batch
import Rules
import UnleashedContract

extension CompiledPipeline {
    /// The message of a `block` row that has none.
    public static let defaultBlockMessage = SalesOrderStatus.notModifiableMessage

    /// Plans one order: resolves properties, maps the payload (lines, freight, money), picks the
    /// transition, and for `replace`/`supersede` applies the supersede recipe to the payload as
    /// a stand-in for the original (or to `original`, the sales order as it stands in Unleashed,
    /// when given). Never fails: problems are listed on the plan.
    public func plan(_ record: BatchRecord, state: OrderState = .neverPushed, reference: ReferenceData = .empty,
                     explain: Bool = false, original: JSONValue? = nil) -> OrderPlan {
        let order = record.order
        let records = RecordPair(order: order, customer: record.customer)
        let ev = Evaluator(program: program, records: records, customerRoot: nil, state: state,
                           reference: reference, index: record.index, number: nil)
        // The export's own customer record when the order has one (it is whole; an order's
        // embedded `purchaser` may be a stub such as `{id, name}`), else the embedded purchaser.
        if let customer = record.customer {
            ev.customerRoot = (.customer, customer.root)
        } else if let purchaser = ev.resolve(slot: program.orderPurchaser)?.index, order.kind(purchaser) == .object, order.count(purchaser) > 0 {
            ev.customerRoot = (.order, purchaser)
        }
        // `orderNumber`, else `number`: an empty `orderNumber` ("" stands in for missing in real exports) is none.
        let number = Self.text(ev.value(slot: program.orderNumber), records).flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.text(ev.value(slot: program.orderNumberAlias), records)
        ev.number = number
        let orderID = Self.text(ev.value(slot: program.orderID), records)
        if orderID?.isEmpty ?? true {
            ev.problems.append(PlanProblem(
                .noID, "the order has no id; omsync tracks every order by its Ordermentum id (to replace, supersede and never duplicate it), "
                    + "so it cannot be pushed. Export the order with its id.",
                field: nil, rule: nil))
        }
        if let first = record.duplicateOf {
            ev.problems.append(PlanProblem(
                .duplicateID, "the order has the same id as the order at index \(first) of this batch; an import plans only the newest copy "
                    + "(the later order_version, else the later in the batch) and skips the others as older copies.",
                field: nil, rule: nil))
        }
        if let status = Self.text(ev.value(slot: program.orderStatus), records), !OrdermentumStatus.known.contains(status) {
            ev.problems.append(PlanProblem(
                .unknownStatus, "the order's status \"\(TerminalText.escaped(String(status.prefix(80))))\" is none of Ordermentum's ("
                    + OrdermentumStatus.known.joined(separator: ", ") + "); the rules see it as written, so it is not cancelled unless "
                    + "cancelledAt or deletedAt says so. Check the export, or the rules' `cancelled` condition.",
                field: "status", rule: nil))
        }
        if let id = record.unmatchedPurchaserId, ev.customerRoot == nil {
            ev.missingCustomer = id
            ev.problems.append(PlanProblem(
                .customerNotInExport, "no customer with id \"\(TerminalText.escaped(String(id.prefix(80))))\" (the order's purchaserId) is in the export's customers, "
                    + "so nothing comes from the customer. Export the batch with its customers, or set the values on the order.",
                field: nil, rule: nil))
        }
        ev.checkRequiredProperties()

        var buffer = JSONWriter(capacity: 2048)
        buffer.beginObject()
        var values: [Value] = []
        values.reserveCapacity(max(fields.count, 16))
        ev.evaluateFields(fieldTable, into: &values)
        template.write(values, into: &buffer, records)
        var money = MoneyTally()
        var itemLines = 0
        if lines != nil || freight != nil {
            buffer.key(encoded: EncodedKeys.salesOrderLines)
            buffer.beginArray()
            var count = 0
            if let lines {
                planLines(lines, into: &buffer, count: &count, money: &money, scratch: &values, ev)
                itemLines = count
            }
            if let freight {
                planFreight(freight, into: &buffer, count: &count, money: &money, scratch: &values, ev)
            }
            buffer.endArray()
        }
        appendTotals(&buffer, money: money, ev)
        buffer.endObject()
        let payload = Payload(bytes: buffer.bytes)

        var (action, message, transition) = chooseTransition(ev)
        // The customer and freight product are created only before a new order: a supersede,
        // skip or block needs neither, so it gets no record (and no warning about one).
        let createsOrder = action == .create || action == .replace
        let customer = createsOrder ? customerRecord.flatMap { planRecord($0, scratch: &values, ev) } : nil
        let freightProduct = createsOrder ? freightProductRecord.flatMap { planRecord($0, scratch: &values, ev) } : nil
        if createsOrder, let lines, itemLines == 0 { noLinesProblem(lines, ev) }
        var outcome: SupersedeOutcome?
        if action == .replace || action == .supersede {
            outcome = supersedeOutcome(original: original ?? payload.jsonValue, ev)
        }
        let errors = ev.problems.filter { $0.severity == .error }
        if createsOrder, let first = errors.first {
            action = .invalid
            outcome = nil
            let rendered = first.rendered(for: ev.label)
            message = errors.count == 1 ? rendered : "\(errors.count) errors; first: \(rendered)"
        }
        let explanation = explain ? explainEntries(ev) : nil
        return OrderPlan(index: record.index, sourceID: orderID, sourceNumber: number,
                         action: action, message: message, payload: payload, problems: ev.problems,
                         supersede: outcome, explain: explanation, transition: transition,
                         customer: customer, freightProduct: freightProduct)
    }

    /// A value as source text: strings as they are, numbers as written; nil otherwise.
    static func text(_ value: Value, _ records: RecordPair) -> String? {
        guard case .node(let slot, let i) = value, let record = records.record(slot) else { return nil }
        switch record.kind(i) {
        case .string: return record.string(i)
        case .number: return record.number(i)?.text
        default: return nil
        }
    }

    /// The first transition row whose `when` holds: its action, message and location.
    func chooseTransition(_ ev: Evaluator) -> (Action, String?, SourceLocation?) {
        for row in transitions {
            if let condition = row.when, !ev.withField("", { ev.test(condition) }) { continue }
            let message = row.action == .block ? (row.message ?? Self.defaultBlockMessage) : row.message
            return (row.action, message, row.location)
        }
        let problem = PlanProblem(.noTransition, "no transition row matched; add an `otherwise: true` row to the transitions.",
                                  field: nil, rule: nil)
        ev.problems.append(problem)
        return (.invalid, problem.rendered(for: ev.label), nil)
    }

    /// Applies the supersede recipe to `original`: the first matching row's `set`, null values left out.
    func supersedeOutcome(original: JSONValue, _ ev: Evaluator) -> SupersedeOutcome {
        ev.original = original
        defer { ev.original = nil }
        for rule in supersedeRules {
            if let condition = rule.when, !ev.test(condition) { continue }
            var changes: [(path: String, value: JSONValue)] = []
            for field in rule.set {
                let value = ev.withField(field.dotted) { ev.evaluate(field.expression) }
                if !value.isNull { changes.append((field.dotted, value.jsonValue(ev.records))) }
            }
            return SupersedeOutcome(rule: rule.location, changes: changes)
        }
        return SupersedeOutcome(rule: nil, changes: [])
    }

    /// The supersede recipe for an original sales order as it stands in Unleashed (for the push
    /// stage): the dotted paths to change and their new values. Rules that read `order.*` see
    /// an empty order here.
    public func supersedeChanges(original: JSONValue, reference: ReferenceData) -> [(path: String, value: JSONValue)] {
        let ev = Evaluator(program: program, records: RecordPair(order: program.emptyRecord, customer: nil), customerRoot: nil,
                           state: .neverPushed, reference: reference, index: -1, number: nil)
        return supersedeOutcome(original: original, ev).changes
    }
}

extension CompiledPipeline {
    /// The version of this copy of an order (`order_version`), read before it is planned: the
    /// facts path compares it with the version last pushed and with the other copies of the run.
    public func version(of record: BatchRecord) -> OrderVersion.Reading {
        guard let orderVersion else { return .undeclared }
        let records = RecordPair(order: record.order, customer: record.customer)
        let ev = Evaluator(program: program, records: records, customerRoot: nil, state: .neverPushed,
                           reference: .empty, index: record.index, number: nil)
        if let customer = record.customer { ev.customerRoot = (.customer, customer.root) }
        let value = ev.evaluate(orderVersion)
        guard let text = value.displayText(records) else { return .unusable(nil) }
        return OrderVersion(parsing: text).map { .version($0) } ?? .unusable(text)
    }
}
