import Batch
import Rules

/// Pre-encoded keys the engine itself reads: the members of an order's `tags` entry (the other
/// keys it reads, `properties`, `id`, `purchaser`, …, are interned path slots in `Program`).
enum Keys {
    static let key = JSONKey("key")
    static let value = JSONKey("value")
}

extension Evaluator {
    /// The property at `i`, resolved by precedence on first use and memoised for the order.
    func property(_ i: Int) -> PropertyResolution {
        if let known = resolved[i] { return known }
        let resolution = resolve(program.properties[i])
        resolved[i] = resolution
        return resolution
    }

    /// The first level with a value (not null, not ""), in declaration order.
    func resolve(_ property: CompiledProperty) -> PropertyResolution {
        for (n, level) in property.levels.enumerated() {
            let value: Value
            switch level {
            case .order: value = orderProperty(property.tagKey)
            case .customer: value = customerProperty(property.tagKey)
            case .constant(let constant): value = constant
            }
            if hasValue(value) { return PropertyResolution(value: value, level: n) }
        }
        return PropertyResolution(value: .null, level: nil)
    }

    /// Not null and not the empty string.
    func hasValue(_ value: Value) -> Bool {
        switch value {
        case .null, .omit: return false
        case .text(let s): return !s.isEmpty
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return false }
            return record.kind(i) != .string || !record.rawJSON(i).elementsEqual([0x22, 0x22])
        case .json(let j): return !j.isNull && j.stringValue != ""
        default: return true
        }
    }

    /// `order.properties[tag]`, then the `tags` entry `{key: tag, value}`.
    func orderProperty(_ tag: JSONKey) -> Value {
        let order = records.order
        if let bag = resolve(slot: program.orderProperties), let found = order.member(bag.index, tag) {
            let value = Value.read(order, .order, found)
            if hasValue(value) { return value }
        }
        if orderTags == nil { orderTags = collectTags() }
        for entry in orderTags ?? [] where order.stringEquals(entry.key, tag) {
            let value = Value.read(order, .order, entry.value)
            if hasValue(value) { return value }
        }
        return .null
    }

    /// The order's `tags` entries `{key, value}` with a text key, read once per order.
    func collectTags() -> [(key: JSONIndex, value: JSONIndex)] {
        let order = records.order
        guard let tags = resolve(slot: program.orderTags)?.index, order.kind(tags) == .array else { return [] }
        var entries: [(key: JSONIndex, value: JSONIndex)] = []
        for entry in order.elements(tags) {
            guard let key = order.member(entry, Keys.key), order.kind(key) == .string,
                  let value = order.member(entry, Keys.value) else { continue }
            entries.append((key, value))
        }
        return entries
    }

    /// The customer's `properties[tag]`.
    func customerProperty(_ tag: JSONKey) -> Value {
        guard let bag = resolve(slot: program.customerProperties), let record = records.record(bag.slot),
              let found = record.member(bag.index, tag) else { return .null }
        return Value.read(record, bag.slot, found)
    }

    /// Checks every required property, adding `E-PROP-REQUIRED` for each that has no value.
    func checkRequiredProperties() {
        for (i, property) in program.properties.enumerated() where property.required {
            guard self.property(i).level == nil else { continue }
            var looked = property.levels.indices.map { property.describe(level: $0) }.joined(separator: ", ")
            if let missingCustomer {
                looked += " (no customer with id \"\(TerminalText.escaped(String(missingCustomer.prefix(80))))\" is in the export)"
            }
            var advice = "Set it on the order or the customer in Ordermentum"
            for case .setting(let name) in property.declared {
                advice += ", or set \(name) (--set \(name)=VALUE)"
            }
            problems.append(PlanProblem(
                .propertyRequired, "required property \(property.tag) (\(property.name)) has no value; looked at \(looked). \(advice).",
                field: property.field, rule: property.location))
        }
    }

    /// `prop.warehouse = "SYD" from customer (customer.properties.unleashed_warehouse)`.
    func explainProperty(_ i: Int) -> String {
        let property = program.properties[i]
        let resolution = self.property(i)
        guard let level = resolution.level else {
            return "prop.\(property.name) = null (nothing at \(property.levels.indices.map { property.describe(level: $0) }.joined(separator: ", ")))"
        }
        let shown = resolution.value.jsonValue(records).serialized()
        let source: String
        switch property.declared[level] {
        case .order: source = "order (order.properties / order.tags: \(property.tag))"
        case .customer: source = "customer (customer.properties.\(property.tag))"
        case .setting(let name): source = "settings.\(name)"
        case .literal: source = "the literal in \(property.location)"
        }
        return "prop.\(property.name) = \(shown) from \(source)"
    }
}
