import Batch

/// Parses and checks one expression of the rule language.
///
/// Grammar, lowest precedence first: `c ? a : b` (right-assoc) < `??` < `or` < `and` < `not`
/// < comparisons (`== != < <= > >=`, not chainable) < `+ -` < `* /` < unary `-` < postfix
/// (`.name`, `[index]`, `["key"]`) < primary (number, "text" or 'text', true/false/null/omit,
/// name, `name(args)`, `( … )`). Names are resolved against an `ExpressionScope`; types are
/// checked where they can be known (see `ExpressionTypeChecker`).
public enum ExpressionParser {
    /// Longest expression text accepted, in characters.
    public static let maxLength = 4096
    /// Deepest nesting accepted (parentheses, operators, calls).
    public static let maxDepth = 64

    /// Parses `text`, written at `location` on one line (offset n is column + n).
    public static func parse(_ text: String, location: SourceLocation, scope: ExpressionScope) -> (Expression?, [Diagnostic]) {
        let count = text.unicodeScalars.count
        let positions = (0...count).map {
            SourceLocation(file: location.file, line: location.line, column: location.column + $0)
        }
        return parse(text, positions: positions, scope: scope)
    }

    /// Parses `text` whose n-th Unicode scalar was written at `positions[n]` (one extra entry for the end).
    static func parse(_ text: String, positions: [SourceLocation], scope: ExpressionScope) -> (Expression?, [Diagnostic]) {
        let chars = Array(text.unicodeScalars)
        let start = positions.first ?? SourceLocation(file: "<expression>", line: 1, column: 1)
        if chars.count > maxLength {
            return (nil, [Diagnostic(.expressionTooLong, "expression is \(chars.count) characters long; the limit is \(maxLength)", at: start,
                                     hint: "split it into named conditions or simpler fields")])
        }
        if chars.allSatisfy({ $0.properties.isWhitespace }) {
            return (nil, [Diagnostic(.emptyExpression, "an expression is needed here", at: start,
                                     hint: "write `null` or `omit` to leave the field out, or a quoted \"\" for empty text")])
        }
        let tokens: [ExpressionToken]
        switch ExpressionLexer.tokens(chars) {
        case .success(let list):
            tokens = list
        case .failure(let failure):
            let at = positions[safe: failure.offset] ?? start
            return (nil, [Diagnostic(.syntax, failure.message, at: at, hint: failure.hint)])
        }
        var parser = ParserState(text: text, tokens: tokens, positions: positions, scope: scope)
        do throws(Diagnostic) {
            let expression = try parser.parseExpression()
            if !parser.current.kind.isEnd {
                throw parser.syntax("unexpected \(parser.current.display) after a complete expression",
                                    hint: parser.current.isSymbol("=") ? "compare with '=='" : "a missing operator?")
            }
            guard parser.diagnostics.isEmpty else { return (nil, parser.diagnostics) }
            if expression.depth > maxDepth {
                return (nil, [Diagnostic(.expressionTooDeep, "expression nested deeper than \(maxDepth) levels (a long chain of operators nests too)",
                                         at: start, hint: "split it into named conditions, or use concat(…)/sum(…)")])
            }
            let typeProblems = ExpressionTypeChecker(scope: scope).check(expression)
            let hasErrors = typeProblems.contains { $0.severity == .error }
            return (hasErrors ? nil : expression, typeProblems)
        } catch {
            return (nil, parser.diagnostics + [error])
        }
    }
}

extension Expression {
    /// The depth of the tree (a leaf is 1), computed without recursion.
    var depth: Int {
        var deepest = 0
        var stack: [(Expression, Int)] = [(self, 1)]
        while let (e, level) = stack.popLast() {
            deepest = max(deepest, level)
            switch e.kind {
            case .literal, .path, .condition: break
            case .call(_, let args): stack += args.map { ($0, level + 1) }
            case .unary(_, let a): stack.append((a, level + 1))
            case .binary(_, let a, let b), .coalesce(let a, let b): stack += [(a, level + 1), (b, level + 1)]
            case .conditional(let a, let b, let c): stack += [(a, level + 1), (b, level + 1), (c, level + 1)]
            }
        }
        return deepest
    }
}

extension ExpressionToken.Kind {
    var isEnd: Bool { self == .end }
}
