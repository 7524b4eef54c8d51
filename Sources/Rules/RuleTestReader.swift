import Batch

/// Builds `RuleTestCase`s from YAML nodes, reporting through a `RuleChecker`.
/// A file's `base:` gives the inputs every case starts from; a case's `order`, `customer` and
/// `original` are merged into the base's (objects member by member, deeply; anything else
/// replaces), its `settings` and `state` are added to the base's, its `warehouses` replace them.
struct RuleTestReader {
    var checker = RuleChecker()

    /// The inputs of a case (or of the base).
    struct Inputs {
        var order: JSONValue?
        var customer: JSONValue?
        var original: JSONValue?
        var settings: [String] = []
        var state: [StateFact: Bool] = [:]
        var warehouses: [String]?
    }

    static let inputKeys = RuleKeys.testInputs

    /// Reads the input keys of `pairs` on top of `base`.
    mutating func inputs(_ pairs: [YAMLNode.Pair], over base: Inputs) -> Inputs {
        var result = base
        if let node = checker.value("order", in: pairs) { result.order = Self.merge(base.order, Self.json(node)) }
        if let node = checker.value("customer", in: pairs) { result.customer = Self.merge(base.customer, Self.json(node)) }
        if let node = checker.value("original", in: pairs) { result.original = Self.merge(base.original, Self.json(node)) }
        if let node = checker.value("settings", in: pairs) { result.settings += overrides(node) }
        if let node = checker.value("state", in: pairs) { result.state.merge(facts(node)) { _, new in new } }
        if let node = checker.value("warehouses", in: pairs), let items = checker.sequence(node, "warehouses") {
            result.warehouses = items.compactMap { checker.scalar($0, "a warehouse code") }
        }
        return result
    }

    /// `base:` of a test file.
    mutating func base(_ node: YAMLNode) -> Inputs {
        guard let pairs = checker.mapping(node, "base") else { return Inputs() }
        checker.checkKeys(pairs, allowed: Self.inputKeys, in: "base", at: node.location)
        return inputs(pairs, over: Inputs())
    }

    mutating func testCase(_ node: YAMLNode, base: Inputs) -> RuleTestCase? {
        guard let pairs = checker.mapping(node, "a rule test") else { return nil }
        checker.checkKeys(pairs, allowed: RuleKeys.testCase.allowed, required: RuleKeys.testCase.required, in: "a rule test",
                          at: node.location)
        guard let name = checker.value("name", in: pairs).flatMap({ checker.scalar($0, "name") }) else { return nil }
        let given = inputs(pairs, over: base)
        guard let order = given.order else {
            checker.report(.missingKey, "rule test '\(name)' has no order (give `order:` in the test or in the file's `base:`)",
                           at: node.location)
            return nil
        }
        var testCase = RuleTestCase(name: name, location: node.location, order: order, customer: given.customer, settings: given.settings,
                                    state: given.state, warehouses: given.warehouses ?? [], original: given.original)
        if let expect = checker.value("expect", in: pairs) { expectations(expect, into: &testCase) }
        return testCase
    }

    /// `settings:` as `{name: value}` or a list of `name=value`.
    private mutating func overrides(_ node: YAMLNode) -> [String] {
        if let items = node.items {
            return items.compactMap { checker.scalar($0, "a setting override") }
        }
        guard let pairs = checker.mapping(node, "settings") else { return [] }
        return pairs.compactMap { pair in
            guard let key = pair.key.scalar, let value = checker.scalar(pair.value, "setting '\(key)'") else { return nil }
            return "\(key)=\(pair.value.isNull ? "null" : value)"
        }
    }

    private mutating func facts(_ node: YAMLNode) -> [StateFact: Bool] {
        guard let pairs = checker.mapping(node, "state") else { return [:] }
        var facts: [StateFact: Bool] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            guard let fact = StateFact(rawValue: key) else {
                let names = StateFact.allCases.map(\.rawValue)
                checker.report(.unknownStateFact, "unknown state fact '\(key)'", at: pair.key.location,
                               hint: Suggestion.hint(for: key, among: names) ?? "state facts: \(names.joined(separator: ", "))")
                continue
            }
            if let value = checker.flag(pair.value, key) { facts[fact] = value }
        }
        return facts
    }

    /// `a` with `b` laid over it: objects merge member by member (deeply), anything else in `b` replaces.
    static func merge(_ a: JSONValue?, _ b: JSONValue) -> JSONValue {
        guard case .object(var base)? = a, case .object(let top) = b else { return b }
        for (key, value) in top {
            base[key] = merge(base[key], value)
        }
        return .object(base)
    }

    /// YAML data as JSON: mappings → objects, lists → arrays; plain scalars that YAML reads as
    /// null or true/false become those, plain numbers (JSON grammar) stay exact; everything else is a string.
    static func json(_ node: YAMLNode) -> JSONValue {
        switch node.kind {
        case .mapping(let pairs):
            return .object(JSONObject(pairs.map { ($0.key.scalar ?? "", json($0.value)) }))
        case .sequence(let items):
            return .array(items.map(json))
        case .scalar(let text, let style):
            guard style == .plain else { return .string(text) }
            if node.isNull { return .null }
            switch text {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            if let number = JSONNumber(text: text) { return .number(number) }
            return .string(text)
        }
    }
}
