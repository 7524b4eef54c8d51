import Batch
import Rules

/// Runs compiled expressions against one order: reads the records, resolves properties on
/// first use (memoised), and collects problems instead of failing. One evaluator per order and
/// thread, never shared: its state skips the runtime exclusivity checks.
final class Evaluator {
    let program: Program
    let records: RecordPair
    /// The customer object: the embedded `purchaser`, or the joined export customer.
    @exclusivity(unchecked) var customerRoot: (slot: RecordSlot, index: JSONIndex)?
    /// The `purchaserId` of an export order that matched no customer of the export.
    var missingCustomer: String?
    let state: OrderState
    let reference: ReferenceData
    let index: Int
    @exclusivity(unchecked) var number: String?
    /// The current line item inside `lines:` (setting it forgets the memoised `line.*` paths).
    @exclusivity(unchecked) var line: Value = .null {
        didSet { memo.forgetLine() }
    }
    /// The sales order as it stands in Unleashed, inside `supersede:`.
    @exclusivity(unchecked) var original: JSONValue?
    /// The field being computed, for attributing problems (`lines.each`, `tax_rate`): set only
    /// by `withField`, which restores the one before.
    @exclusivity(unchecked) private(set) var field: String = ""
    /// While a field table is evaluated (`evaluateFields`): its names, what they are of
    /// (`customer.`), and the index of the current field (-1: none).
    @exclusivity(unchecked) private(set) var fieldNames: [String] = []
    @exclusivity(unchecked) private(set) var fieldSubject = ""
    @exclusivity(unchecked) private(set) var fieldIndex = -1
    /// The 0-based position in `SalesOrderLines` of the line being computed, if any: set only
    /// by `withLine`.
    @exclusivity(unchecked) private(set) var linePosition: Int?
    @exclusivity(unchecked) var resolved: [PropertyResolution?]
    @exclusivity(unchecked) var problems: [PlanProblem] = []
    /// UTF-8 bytes of text this order's functions made, and whether the budget ran out (`Evaluator+Bounds`).
    @exclusivity(unchecked) var textMade = 0
    @exclusivity(unchecked) var textBudgetSpent = false
    /// Resolved path prefixes.
    @exclusivity(unchecked) var memo: SlotMemo
    /// The order's `tags` entries, once read.
    @exclusivity(unchecked) var orderTags: [(key: JSONIndex, value: JSONIndex)]?

    init(program: Program, records: RecordPair, customerRoot: (slot: RecordSlot, index: JSONIndex)?,
         state: OrderState, reference: ReferenceData, index: Int, number: String?) {
        self.program = program
        self.records = records
        self.customerRoot = customerRoot
        self.state = state
        self.reference = reference
        self.index = index
        self.number = number
        self.resolved = Array(repeating: nil, count: program.properties.count)
        self.memo = SlotMemo(count: program.slotParents.count, lineSlots: program.lineSlots)
    }

    /// The payload path being computed: `Customer.CustomerCode`, `SalesOrderLines[1].UnitPrice`,
    /// `customer.Email`, `SalesOrderLines[0].tax_rate`; "" at the top level.
    var fieldPath: String {
        let name = fieldNames.indices.contains(fieldIndex) ? fieldSubject + fieldNames[fieldIndex] : field
        guard let linePosition else { return name }
        return "SalesOrderLines[\(linePosition)]" + (name.isEmpty ? "" : "." + name)
    }

    /// Runs `body` with `name` as the field being computed (a field of a table being evaluated
    /// gives way to it), and restores the field before when `body` returns: a problem raised
    /// inside is attributed to `name`, one raised after to the outer field again.
    func withField<T>(_ name: String, _ body: () -> T) -> T {
        let saved = (field, fieldIndex)
        field = name
        fieldIndex = -1
        defer { (field, fieldIndex) = saved }
        return body()
    }

    /// Runs `body` for the line at `position` of `SalesOrderLines` (field paths inside are the
    /// line's: `SalesOrderLines[position].UnitPrice`), restoring the position before after.
    func withLine<T>(at position: Int, _ body: () -> T) -> T {
        let saved = linePosition
        linePosition = position
        defer { linePosition = saved }
        return body()
    }

    /// Evaluates every non-constant field of `table` for the current order (and line), in rule
    /// order, into `values` (reused between calls; constants are copied in as they are). While
    /// a field is evaluated it is the field being computed; the field before is restored after.
    func evaluateFields(_ table: FieldTable, into values: inout [Value]) {
        let saved = (fieldNames, fieldSubject, fieldIndex)
        fieldNames = table.names
        fieldSubject = table.subject
        defer { (fieldNames, fieldSubject, fieldIndex) = saved }
        values.removeAll(keepingCapacity: true)
        for i in 0..<table.expressions.count {
            if let constant = table.constants[i] {
                values.append(constant)
                continue
            }
            fieldIndex = i
            let value = evaluate(table.expressions[i])
            values.append(table.limits[i].map { fitted(value, to: $0, table, i) } ?? value)
        }
    }

    /// `order OM10452 (index 0)`: how renderers name the order (`OrderPlan.label`).
    var label: String { OrderPlan.label(number: number, index: index) }

    /// Evaluates `expression` and tests its truthiness.
    func test(_ expression: CompiledExpression) -> Bool {
        let value = evaluate(expression)
        return value.isTruthy(records)
    }

    /// Truthiness of a value in this evaluation's records.
    func truthy(_ value: Value) -> Bool { value.isTruthy(records) }

    /// `file:line:col (expression)` of a site.
    func siteDescription(_ site: ExpressionSite) -> String {
        program.sites.indices.contains(site.index) ? program.sites[site.index].description : "an expression"
    }

    /// Where the expression at `site` was written.
    func siteLocation(_ site: ExpressionSite) -> SourceLocation? {
        program.sites.indices.contains(site.index) ? program.sites[site.index].location : nil
    }

    /// Records a runtime problem of the expression at `site` (attributed to the field being
    /// computed, located at the expression); the caller returns null.
    func fail(_ site: ExpressionSite, _ what: String, code: ProblemCode = .expression) {
        let path = fieldPath
        let subject = path.isEmpty ? "" : "\(path): "
        problems.append(PlanProblem(code, "\(subject)\(what) at \(siteDescription(site)); the value is left empty.",
                                    field: path.isEmpty ? nil : path, rule: siteLocation(site)))
    }

    /// The value of `expression` for this order; never fails (problems are collected).
    func evaluate(_ expression: CompiledExpression) -> Value {
        switch expression {
        case .constant(let v):
            return v
        case .path(let base, let steps):
            return readPath(base, steps)
        case .slot(let s, let base, let steps):
            if base == .line && !line.isNode { return readPath(base, steps) }
            return value(slot: s)
        case .prop(let i, let steps):
            let value = property(i).value
            return steps.isEmpty ? value : walk(value, steps)
        case .state(let fact):
            return .bool(state[fact])
        case .call(let function, let args, let site):
            return call(function, args, site)
        case .lookup(let table, let key, let fallback):
            let k = evaluate(key)
            if let text = k.displayText(records), let found = table[text] { return .text(found) }
            return fallback.map { evaluate($0) } ?? .null
        case .not(let a):
            return .bool(!test(a))
        case .negate(let a, let site):
            let v = evaluate(a)
            if v.isNull { return .null }
            guard let d = v.numberValue(records) else {
                fail(site, "cannot negate \(v.kindName(records))")
                return .null
            }
            guard let n = d.negated else { fail(site, "number too large"); return .null }
            return .number(n)
        case .and(let a, let b):
            return .bool(test(a) && test(b))
        case .or(let a, let b):
            return .bool(test(a) || test(b))
        case .equalsText(let a, let text, let key, let negated):
            let v = evaluate(a)
            let equal: Bool
            switch v {
            case .text(let s): equal = s == text
            case .node(let slot, let i):
                if let record = records.record(slot), record.kind(i) == .string {
                    equal = record.stringEquals(i, key)
                } else {
                    equal = false
                }
            case .json(let j): equal = j.stringValue == text
            default: equal = false
            }
            return .bool(equal != negated)
        case .binary(let op, let a, let b, let site):
            return binary(op, evaluate(a), evaluate(b), site)
        case .coalesce(let a, let b):
            let v = evaluate(a)
            return v.isNull ? evaluate(b) : v
        case .conditional(let c, let a, let b):
            return test(c) ? evaluate(a) : evaluate(b)
        }
    }

    /// Follows a path from one of the roots; any missing part gives null.
    func readPath(_ base: PathBase, _ steps: [PathStep]) -> Value {
        switch base {
        case .order:
            return walk(records.order, .order, records.order.root, steps)
        case .customer:
            guard let root = customerRoot, let record = records.record(root.slot) else { return .null }
            return walk(record, root.slot, root.index, steps)
        case .line:
            return walk(line, steps)
        case .original:
            guard let original else { return .null }
            return walk(.json(original), steps)
        }
    }

    /// Follows `steps` on a record's tape from `start`.
    func walk(_ record: JSONRecord, _ slot: RecordSlot, _ start: JSONIndex, _ steps: [PathStep]) -> Value {
        var at = start
        for step in steps {
            switch step {
            case .key(let key, _):
                guard let next = record.member(at, key) else { return .null }
                at = next
            case .index(let n):
                guard let next = record.element(at, n) else { return .null }
                at = next
            }
        }
        return Value.read(record, slot, at)
    }

    /// Follows `steps` inside any value (tape node, materialised JSON or engine list).
    func walk(_ value: Value, _ steps: [PathStep]) -> Value {
        if steps.isEmpty { return value }
        switch value {
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return .null }
            return walk(record, slot, i, steps)
        case .json(var json):
            for step in steps {
                switch step {
                case .key(_, let name): guard let next = json[name] else { return .null }; json = next
                case .index(let n): guard let next = json[n] else { return .null }; json = next
                }
            }
            return Value(json: json)
        case .list(let list):
            guard case .index(let n) = steps[0], list.indices.contains(n) else { return .null }
            return walk(list[n], Array(steps.dropFirst()))
        default:
            return .null
        }
    }
}
