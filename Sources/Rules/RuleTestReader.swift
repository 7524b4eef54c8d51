import Batch

/// Builds `RuleTestCase`s from YAML nodes, reporting through a `RuleChecker`.
struct RuleTestReader {
    var checker = RuleChecker()

    mutating func testCase(_ node: YAMLNode) -> RuleTestCase? {
        guard let pairs = checker.mapping(node, "a rule test") else { return nil }
        let keys = ["name", "order", "customer", "settings", "state", "warehouses", "expect"]
        checker.checkKeys(pairs, allowed: keys, required: ["name", "order", "expect"], in: "a rule test", at: node.location)
        guard let name = checker.value("name", in: pairs).flatMap({ checker.scalar($0, "name") }),
              let orderNode = checker.value("order", in: pairs) else { return nil }
        var testCase = RuleTestCase(name: name, location: node.location, order: Self.json(orderNode))
        if let customer = checker.value("customer", in: pairs) { testCase.customer = Self.json(customer) }
        if let settings = checker.value("settings", in: pairs) { testCase.settings = overrides(settings) }
        if let state = checker.value("state", in: pairs) { testCase.state = facts(state) }
        if let warehouses = checker.value("warehouses", in: pairs), let items = checker.sequence(warehouses, "warehouses") {
            testCase.warehouses = items.compactMap { checker.scalar($0, "a warehouse code") }
        }
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

    private mutating func expectations(_ node: YAMLNode, into testCase: inout RuleTestCase) {
        guard let pairs = checker.mapping(node, "expect") else { return }
        checker.checkKeys(pairs, allowed: ["action", "payload", "problems", "no_problems"], in: "expect", at: node.location)
        if let action = checker.value("action", in: pairs), let text = checker.scalar(action, "action") {
            if let value = Action(rawValue: text) {
                testCase.expectAction = value
            } else {
                let names = Action.allCases.map(\.rawValue)
                checker.report(.unknownAction, "unknown action '\(text)'", at: action.location,
                               hint: (text == "blocked" ? "did you mean 'block'?" : Suggestion.hint(for: text, among: names))
                                ?? "actions: \(names.joined(separator: ", "))")
            }
        }
        if let payload = checker.value("payload", in: pairs), let fields = checker.mapping(payload, "payload") {
            for pair in fields {
                guard let path = pair.key.scalar else { continue }
                guard PayloadPath.parse(path) != nil else {
                    checker.report(.badTestPath, "'\(path)' is not a payload path", at: pair.key.location,
                                   hint: "write dotted names with indexes, like SalesOrderLines[0].Product.ProductCode")
                    continue
                }
                let value: JSONValue? = pair.value.isNull ? nil : Self.json(pair.value)
                testCase.expectPayload.append(.init(path: path, value: value, location: pair.key.location))
            }
        }
        if let problems = checker.value("problems", in: pairs), let items = checker.sequence(problems, "problems") {
            for item in items { problem(item, into: &testCase) }
        }
        if let flag = checker.value("no_problems", in: pairs) {
            testCase.expectNoProblems = checker.flag(flag, "no_problems") ?? false
        }
    }

    private mutating func problem(_ node: YAMLNode, into testCase: inout RuleTestCase) {
        guard let pairs = checker.mapping(node, "a problem") else { return }
        checker.checkKeys(pairs, allowed: ["code", "field", "message"], in: "a problem", at: node.location)
        let code = checker.value("code", in: pairs).flatMap { checker.scalar($0, "code") }
        let field = checker.value("field", in: pairs).flatMap { checker.scalar($0, "field") }
        let message = checker.value("message", in: pairs).flatMap { checker.scalar($0, "message") }
        if code == nil, field == nil, message == nil {
            checker.report(.badTestValue, "an expected problem needs at least one of code, field and message", at: node.location)
            return
        }
        testCase.expectProblems.append(.init(code: code, field: field, messageContains: message, location: node.location))
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
