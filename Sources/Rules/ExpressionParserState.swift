import Batch

/// The recursive-descent parser behind `ExpressionParser`. Syntax errors end the expression
/// (thrown); unknown names are collected and parsing goes on, so one pass reports them all.
struct ParserState {
    let text: String
    let tokens: [ExpressionToken]
    let positions: [SourceLocation]
    let scope: ExpressionScope
    var index = 0
    var depth = 0
    var diagnostics: [Diagnostic] = []

    init(text: String, tokens: [ExpressionToken], positions: [SourceLocation], scope: ExpressionScope) {
        self.text = text
        self.tokens = tokens
        self.positions = positions
        self.scope = scope
    }

    var current: ExpressionToken { tokens[min(index, tokens.count - 1)] }

    func location(_ token: ExpressionToken) -> SourceLocation {
        positions[safe: token.offset] ?? positions.last ?? SourceLocation(file: "<expression>", line: 1, column: 1)
    }

    func syntax(_ message: String, at token: ExpressionToken? = nil, hint: String? = nil) -> Diagnostic {
        Diagnostic(.syntax, message, at: location(token ?? current), hint: hint)
    }

    func node(_ kind: ExpressionKind, _ token: ExpressionToken) -> Expression {
        Expression(kind: kind, location: location(token), text: text)
    }

    mutating func advance() -> ExpressionToken {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func accept(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) || current.isName(symbol) {
            index += 1
            return true
        }
        return false
    }

    mutating func expect(_ symbol: String, _ what: String) throws(Diagnostic) {
        guard accept(symbol) else {
            throw syntax("expected '\(symbol)' \(what), found \(current.display)")
        }
    }

    mutating func enter() throws(Diagnostic) {
        depth += 1
        if depth > ExpressionParser.maxDepth {
            throw Diagnostic(.expressionTooDeep, "expression nested deeper than \(ExpressionParser.maxDepth) levels", at: location(current),
                             hint: "split it into named conditions")
        }
    }

    // MARK: - Precedence levels

    mutating func parseExpression() throws(Diagnostic) -> Expression {
        try enter()
        defer { depth -= 1 }
        let condition = try parseCoalesce()
        guard current.isSymbol("?") else { return condition }
        let question = advance()
        let then = try parseExpression()
        try expect(":", "between the two branches of `? :`")
        let otherwise = try parseExpression()
        return node(.conditional(condition, then, otherwise), question)
    }

    mutating func parseCoalesce() throws(Diagnostic) -> Expression {
        var left = try parseOr()
        while current.isSymbol("??") {
            let op = advance()
            let right = try parseOr()
            left = node(.coalesce(left, right), op)
        }
        return left
    }

    mutating func parseOr() throws(Diagnostic) -> Expression {
        var left = try parseAnd()
        while current.isName("or") {
            let op = advance()
            left = node(.binary(.or, left, try parseAnd()), op)
        }
        return left
    }

    mutating func parseAnd() throws(Diagnostic) -> Expression {
        var left = try parseNot()
        while current.isName("and") {
            let op = advance()
            left = node(.binary(.and, left, try parseNot()), op)
        }
        return left
    }

    mutating func parseNot() throws(Diagnostic) -> Expression {
        guard current.isName("not") else { return try parseComparison() }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        return node(.unary(.not, try parseNot()), op)
    }

    static let comparisons: [String: BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    mutating func parseComparison() throws(Diagnostic) -> Expression {
        let left = try parseAdditive()
        guard case .symbol(let s) = current.kind, let op = Self.comparisons[s] else { return left }
        let opToken = advance()
        let right = try parseAdditive()
        if case .symbol(let next) = current.kind, Self.comparisons[next] != nil {
            throw syntax("comparisons cannot be chained", hint: "write `a < b and b < c`")
        }
        return node(.binary(op, left, right), opToken)
    }

    mutating func parseAdditive() throws(Diagnostic) -> Expression {
        var left = try parseMultiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op = advance()
            let right = try parseMultiplicative()
            left = node(.binary(op.isSymbol("+") ? .add : .subtract, left, right), op)
        }
        return left
    }

    mutating func parseMultiplicative() throws(Diagnostic) -> Expression {
        var left = try parseUnary()
        while current.isSymbol("*") || current.isSymbol("/") {
            let op = advance()
            let right = try parseUnary()
            left = node(.binary(op.isSymbol("*") ? .multiply : .divide, left, right), op)
        }
        return left
    }

    mutating func parseUnary() throws(Diagnostic) -> Expression {
        guard current.isSymbol("-") else { return try parsePostfix() }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        let operand = try parseUnary()
        if case .literal(.number(let value)) = operand.kind, let negated = value.negated {
            return node(.literal(.number(negated)), op)
        }
        return node(.unary(.negate, operand), op)
    }
}
