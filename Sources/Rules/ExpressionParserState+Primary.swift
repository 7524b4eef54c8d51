import Batch

extension ParserState {
    /// Words that cannot be used as names.
    static let keywords: Set<String> = ["and", "or", "not", "true", "false", "null", "omit"]

    /// A primary followed by `.name`, `[index]` or `["key"]` steps (paths only).
    mutating func parsePostfix() throws(Diagnostic) -> Expression {
        let start = current
        var base = try parsePrimary()
        var components: [PathComponent] = []
        var firstStep: ExpressionToken?
        while current.isSymbol(".") || current.isSymbol("[") {
            let step = advance()
            if firstStep == nil { firstStep = step }
            if step.isSymbol(".") {
                guard case .name(let name) = current.kind else {
                    throw syntax("expected a name after '.', found \(current.display)")
                }
                _ = advance()
                components.append(.key(name))
            } else {
                let inside = advance()
                switch inside.kind {
                case .text(let key):
                    components.append(.key(key))
                case .number(let digits):
                    guard let n = Int(digits) else {
                        throw syntax("an index must be a whole number from 0 up", at: inside)
                    }
                    components.append(.index(n))
                default:
                    throw syntax("expected an index (0, 1, …) or a quoted key inside [ ], found \(inside.display)", at: inside,
                                 hint: "indexes are fixed: `line.product[\"SKU\"]` or `order.lineItems[0]`")
                }
                try expect("]", "to close [")
            }
        }
        guard let firstStep else {
            if case .path(let root, []) = base.kind, [.prop, .settings, .state].contains(root) {
                report(root == .state ? .unknownStateFact : (root == .prop ? .unknownProperty : .unknownSettingName),
                       "`\(root.rawValue)` needs a name after it, like `\(root.rawValue).\(example(root))`", start)
            }
            return base
        }
        guard case .path(let root, []) = base.kind else {
            if case .literal(.null) = base.kind, !diagnostics.isEmpty { return base }  // an unknown name, already reported
            throw syntax("only paths (order.…, customer.…, line.…) have members", at: firstStep,
                         hint: "to read a member of a computed value, name the path directly")
        }
        base.kind = .path(root, components)
        checkDeclared(root, components, at: start)
        return base
    }

    private func example(_ root: PathRoot) -> String {
        switch root {
        case .prop: return scope.properties.sorted().first ?? "warehouse"
        case .settings: return scope.settings.keys.sorted().first ?? "timezone"
        default: return StateFact.pushed.rawValue
        }
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, _ token: ExpressionToken, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: location(token), hint: hint))
    }

    /// `prop.X`, `settings.X`, `state.X`: exactly one declared name.
    private mutating func checkDeclared(_ root: PathRoot, _ components: [PathComponent], at token: ExpressionToken) {
        guard [.prop, .settings, .state].contains(root), let first = components.first else { return }
        guard case .key(let name) = first else {
            report(.syntax, "`\(root.rawValue)` is read by name, not by index", token)
            return
        }
        let at = positionOfName(after: token)
        switch root {
        case .prop where !scope.properties.contains(name):
            report(.unknownProperty, "unknown property '\(name)'", at, hint: Suggestion.hint(for: name, among: scope.properties)
                   ?? "declared properties: \(scope.properties.sorted().joined(separator: ", "))")
        case .settings where scope.settings[name] == nil:
            report(.unknownSettingName, "unknown setting '\(name)'", at, hint: Suggestion.hint(for: name, among: scope.settings.keys)
                   ?? "declare it under `settings:`")
        case .state where StateFact(rawValue: name) == nil:
            let facts = StateFact.allCases.map(\.rawValue)
            report(.unknownStateFact, "unknown state fact '\(name)'", at, hint: Suggestion.hint(for: name, among: facts)
                   ?? "state facts: \(facts.joined(separator: ", "))")
        default:
            if components.count > 1 {
                report(.typeMismatch, "`\(root.rawValue).\(name)` is a single value; it has no members", at)
            }
        }
    }

    /// The token of the name after `root.` (for the caret), or the root itself.
    private func positionOfName(after rootToken: ExpressionToken) -> ExpressionToken {
        guard let i = tokens.firstIndex(of: rootToken), i + 2 < tokens.count else { return rootToken }
        return tokens[i + 2]
    }

    mutating func parsePrimary() throws(Diagnostic) -> Expression {
        let token = advance()
        switch token.kind {
        case .number(let digits):
            guard let value = ExactDecimal(digits) else {
                report(.badNumber, "number \(digits) is out of range", token)
                return node(.literal(.null), token)
            }
            return node(.literal(.number(value)), token)
        case .text(let value):
            return node(.literal(.text(value)), token)
        case .symbol("("):
            let inner = try parseExpression()
            try expect(")", "to close the '(' at column \(location(token).column)")
            return inner
        case .name(let name):
            return try parseName(name, token)
        case .end:
            throw syntax("the expression ends too early: a value is missing", at: token)
        case .symbol(let s):
            throw syntax("expected a value, found '\(s)'", at: token)
        }
    }

    private mutating func parseName(_ name: String, _ token: ExpressionToken) throws(Diagnostic) -> Expression {
        switch name {
        case "true": return node(.literal(.bool(true)), token)
        case "false": return node(.literal(.bool(false)), token)
        case "null": return node(.literal(.null), token)
        case "omit": return node(.literal(.omit), token)
        case "and", "or", "not": throw syntax("expected a value, found '\(name)'", at: token)
        default: break
        }
        if current.isSymbol("(") { return try parseCall(name, token) }
        if let root = PathRoot(rawValue: name) {
            if !scope.allowedRoots.contains(root) {
                report(.rootNotHere, ExpressionScope.whereAllowed(root), token)
            }
            return node(.path(root, []), token)
        }
        if scope.conditions.contains(name) { return node(.condition(name), token) }
        let candidates = PathRoot.allCases.filter { scope.allowedRoots.contains($0) }.map(\.rawValue) + scope.conditions
        var hint = Suggestion.hint(for: name, among: candidates)
        if hint == nil, BuiltinFunction(rawValue: name) != nil { hint = "`\(name)` is a function: call it as \(name)(…)" }
        if hint == nil, StateFact(rawValue: name) != nil { hint = "did you mean 'state.\(name)'?" }
        if hint == nil, scope.properties.contains(name) { hint = "did you mean 'prop.\(name)'?" }
        if hint == nil, scope.settings[name] != nil { hint = "did you mean 'settings.\(name)'?" }
        report(.unknownName, "unknown name '\(name)'", token,
               hint: hint ?? "an expression starts from \(candidates.sorted().joined(separator: ", ")), or is quoted \"text\"")
        return node(.literal(.null), token)
    }

    private mutating func parseCall(_ name: String, _ token: ExpressionToken) throws(Diagnostic) -> Expression {
        _ = advance()  // (
        var arguments: [Expression] = []
        if !current.isSymbol(")") {
            repeat {
                arguments.append(try parseExpression())
            } while accept(",")
        }
        try expect(")", "to close the arguments of \(name)(")
        guard let function = BuiltinFunction(rawValue: name) else {
            report(.unknownFunction, "unknown function '\(name)'", token,
                   hint: Suggestion.hint(for: name, among: BuiltinFunction.allCases.map(\.rawValue))
                   ?? "see the function list in docs/rules.md")
            return node(.literal(.null), token)
        }
        if !function.arity.contains(arguments.count) {
            report(.arity, "\(name) takes \(function.arityDescription), got \(arguments.count)", token,
                   hint: "call it as \(function.signature)")
        }
        return node(.call(function, arguments), token)
    }
}
