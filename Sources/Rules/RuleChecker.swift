import Batch

/// Turns the YAML trees of the rule files into a checked `RuleSet`, collecting every problem.
/// One instance per load; the sections are checked in dependency order (settings, tables and
/// properties before the expressions that name them), and the diagnostics sorted by place at the end.
struct RuleChecker {
    var diagnostics: [Diagnostic] = []
    var sources: [String: SourceText] = [:]

    mutating func report(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: location, hint: hint))
    }

    /// The pairs of a mapping node, or nil after reporting what was found instead.
    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLNode.Pair]? {
        if let pairs = node.pairs { return pairs }
        if node.isNull { return [] }
        report(.wrongKind, "\(what) must be a mapping (`key: value` lines), not \(node.kindName)", at: node.location)
        return nil
    }

    /// The items of a sequence node, or nil after reporting what was found instead.
    mutating func sequence(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        if let items = node.items { return items }
        report(.wrongKind, "\(what) must be a list (`- item` lines or `[a, b]`), not \(node.kindName)", at: node.location)
        return nil
    }

    /// A scalar's text, or nil after reporting what was found instead.
    mutating func scalar(_ node: YAMLNode, _ what: String) -> String? {
        if let text = node.scalar { return text }
        report(.wrongKind, "\(what) must be a single value, not \(node.kindName)", at: node.location)
        return nil
    }

    /// Reports keys not in `allowed` (with a suggestion) and `required` keys that are missing.
    mutating func checkKeys(_ pairs: [YAMLNode.Pair], allowed: [String], required: [String] = [], in what: String, at location: SourceLocation) {
        for pair in pairs {
            guard let key = pair.key.scalar, !allowed.contains(key) else { continue }
            report(.unknownKey, "unknown key '\(key)' in \(what)", at: pair.key.location,
                   hint: Suggestion.hint(for: key, among: allowed) ?? "allowed here: \(allowed.joined(separator: ", "))")
        }
        for key in required where !pairs.contains(where: { $0.key.scalar == key }) {
            report(.missingKey, "\(what) needs '\(key)'", at: location)
        }
    }

    /// The value of `key` among `pairs`.
    func value(_ key: String, in pairs: [YAMLNode.Pair]) -> YAMLNode? {
        pairs.first { $0.key.scalar == key }?.value
    }

    /// Checks a declared name: an identifier.
    mutating func checkName(_ node: YAMLNode, _ what: String) -> String? {
        guard let name = node.scalar else { return nil }
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, first.isIdentifierStart, scalars.allSatisfy(\.isIdentifierChar) else {
            report(.badName, "\(what) name '\(name)' is not a name: use letters, digits and _, not starting with a digit",
                   at: node.location)
            return nil
        }
        return name
    }

    /// An expression from a node: a plain or block scalar is parsed, a quoted scalar is literal text.
    mutating func expression(_ node: YAMLNode, scope: ExpressionScope, what: String) -> Expression? {
        guard case .scalar(let text, let style) = node.kind else {
            report(.wrongKind, "\(what) must be an expression, not \(node.kindName)", at: node.location,
                   hint: "nested fields are written with dots on one level: `Customer.CustomerCode: …`")
            return nil
        }
        if style.isQuoted {
            return Expression(kind: .literal(.text(text)), location: node.location, text: text)
        }
        let positions = sources[node.location.file]?.positions(of: text, node: node)
            ?? (0...text.unicodeScalars.count).map {
                SourceLocation(file: node.location.file, line: node.location.line, column: node.location.column + $0)
            }
        let (expression, problems) = ExpressionParser.parse(text, positions: positions, scope: scope)
        diagnostics += problems
        return expression
    }

    /// An expression where a quoted scalar is almost surely a mistake (`when`, `each`): warns, then reads it as usual.
    mutating func condition(_ node: YAMLNode, scope: ExpressionScope, what: String) -> Expression? {
        if let text = node.scalar, node.style?.isQuoted == true {
            report(.quotedExpression, "this '\(what)' is quoted, so it is the literal text \"\(text)\", not an expression",
                   at: node.location, hint: "remove the quotes to make it an expression")
        }
        return expression(node, scope: scope, what: what)
    }

    /// A boolean flag written as plain `true`/`false` (also yes/no/on/off).
    mutating func flag(_ node: YAMLNode, _ what: String) -> Bool? {
        guard let text = scalar(node, what) else { return nil }
        if let value = SettingValueParser.bool(text) { return value }
        report(.wrongKind, "\(what) must be true or false, not '\(text)'", at: node.location)
        return nil
    }

    /// Sorts diagnostics by file (in `order`), then line and column; unlocated ones last. Stable.
    static func sorted(_ diagnostics: [Diagnostic], fileOrder order: [String]) -> [Diagnostic] {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return diagnostics.enumerated().sorted { a, b in
            let la = a.element.location
            let lb = b.element.location
            let ka = (la.map { rank[$0.file] ?? order.count } ?? Int.max, la?.line ?? 0, la?.column ?? 0, a.offset)
            let kb = (lb.map { rank[$0.file] ?? order.count } ?? Int.max, lb?.line ?? 0, lb?.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
    }
}
