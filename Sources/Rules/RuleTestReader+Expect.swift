import Batch

extension RuleTestReader {
    /// `expect:` {action, message, payload, supersede, problems, no_problems}.
    mutating func expectations(_ node: YAMLNode, into testCase: inout RuleTestCase) {
        guard let pairs = checker.mapping(node, "expect") else { return }
        checker.checkKeys(pairs, allowed: RuleKeys.expect.allowed, in: "expect",
                          at: node.location)
        if let action = checker.value("action", in: pairs) { testCase.expectAction = checker.actionName(action, "action") }
        if let message = checker.value("message", in: pairs) { testCase.expectMessage = checker.scalar(message, "message") }
        if let payload = checker.value("payload", in: pairs) { testCase.expectPayload = fields(payload, "payload") }
        if let supersede = checker.value("supersede", in: pairs) { testCase.expectSupersede = fields(supersede, "supersede") }
        if let problems = checker.value("problems", in: pairs), let items = checker.sequence(problems, "problems") {
            for item in items {
                if let expectation = problem(item) { testCase.expectProblems.append(expectation) }
            }
        }
        if let flag = checker.value("no_problems", in: pairs) {
            testCase.expectNoProblems = checker.flag(flag, "no_problems") ?? false
        }
    }

    /// `path: value` lines; a null value means "must be absent".
    private mutating func fields(_ node: YAMLNode, _ what: String) -> [RuleTestCase.PayloadExpectation] {
        guard let pairs = checker.mapping(node, what) else { return [] }
        var result: [RuleTestCase.PayloadExpectation] = []
        for pair in pairs {
            guard let path = pair.key.scalar else { continue }
            guard PayloadPath.parse(path) != nil else {
                checker.report(.badTestPath, "'\(path)' is not a payload path", at: pair.key.location,
                               hint: "write dotted names with indexes, like SalesOrderLines[0].Product.ProductCode")
                continue
            }
            let value: JSONValue? = pair.value.isNull ? Optional<JSONValue>.none : Self.json(pair.value)
            result.append(.init(path: path, value: value, location: pair.key.location))
        }
        return result
    }

    private mutating func problem(_ node: YAMLNode) -> RuleTestCase.ProblemExpectation? {
        guard let pairs = checker.mapping(node, "a problem") else { return nil }
        checker.checkKeys(pairs, allowed: RuleKeys.expectedProblem.allowed, in: "a problem", at: node.location)
        var severity: Severity?
        if let node = checker.value("severity", in: pairs), let text = checker.scalar(node, "severity") {
            severity = Severity(rawValue: text)
            if severity == nil {
                checker.report(.badTestValue, "severity must be error, warning or note, not '\(text)'", at: node.location,
                               hint: Suggestion.hint(for: text, among: ["error", "warning", "note"]))
            }
        }
        let code = checker.value("code", in: pairs).flatMap { checker.scalar($0, "code") }
        let field = checker.value("field", in: pairs).flatMap { checker.scalar($0, "field") }
        let message = checker.value("message", in: pairs).flatMap { checker.scalar($0, "message") }
        if severity == nil, code == nil, field == nil, message == nil {
            checker.report(.badTestValue, "an expected problem needs at least one of severity, code, field and message", at: node.location)
            return nil
        }
        return .init(severity: severity, code: code, field: field, messageContains: message, location: node.location)
    }
}
