import Batch
import Foundation

/// Checks the types of an expression where they can be known before any record is read:
/// literals, settings (by declared type), function results, `state.*` and conditions (true/false).
/// Values read from the order (`order.*`, `customer.*`, `line.*`, `original.*`, `prop.*`) are of
/// unknown type and always accepted. Truthiness makes any type fine as a condition.
struct ExpressionTypeChecker {
    let scope: ExpressionScope
    private(set) var diagnostics: [Diagnostic] = []

    init(scope: ExpressionScope) {
        self.scope = scope
    }

    /// All type problems of `expression`.
    func check(_ expression: Expression) -> [Diagnostic] {
        var checker = self
        _ = checker.type(of: expression)
        return checker.diagnostics
    }

    /// The static type of an already checked expression (its problems are not repeated).
    static func type(of expression: Expression, scope: ExpressionScope) -> StaticType {
        var checker = ExpressionTypeChecker(scope: scope)
        return checker.type(of: expression)
    }

    private mutating func mismatch(_ message: String, _ at: Expression, hint: String? = nil) {
        diagnostics.append(Diagnostic(.typeMismatch, message, at: at.location, hint: hint))
    }

    /// How an operand is described in messages: the literal itself when it is one.
    private func describe(_ e: Expression, _ t: StaticType) -> String {
        switch e.kind {
        case .literal(.text(let s)): return "the text \"\(s)\""
        case .literal(.bool(let b)): return "\(b)"
        case .path(.settings, let c): return "settings.\(c.first.map(Self.name) ?? "") (\(t.described))"
        default: return t.described
        }
    }

    private static func name(_ c: PathComponent) -> String {
        switch c {
        case .key(let k): return k
        case .index(let i): return "[\(i)]"
        }
    }

    mutating func type(of e: Expression) -> StaticType {
        switch e.kind {
        case .literal(let literal):
            switch literal {
            case .null, .omit: return .null
            case .bool: return .bool
            case .number: return .number
            case .text: return .text
            }
        case .path(let root, let components):
            switch root {
            case .settings:
                if case .key(let name)? = components.first, let t = scope.settings[name] { return StaticType(t) }
                return .unknown
            case .state: return .bool
            default: return .unknown
            }
        case .condition:
            return .bool
        case .call(let function, let arguments):
            return call(function, arguments, e)
        case .unary(.not, let operand):
            _ = type(of: operand)
            return .bool
        case .unary(.negate, let operand):
            let t = type(of: operand)
            if !t.fits(.number) { mismatch("'-' needs a number, not \(describe(operand, t))", operand) }
            return .number
        case .binary(let op, let left, let right):
            return binary(op, left, right, e)
        case .coalesce(let left, let right):
            let l = type(of: left)
            let r = type(of: right)
            if l == .null { return r }
            return l == r || r == .null ? l : .unknown
        case .conditional(let condition, let then, let otherwise):
            _ = type(of: condition)
            let a = type(of: then)
            let b = type(of: otherwise)
            if a == b { return a }
            if a == .null { return b }
            return b == .null ? a : .unknown
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, _ e: Expression) -> StaticType {
        let l = type(of: left)
        let r = type(of: right)
        switch op {
        case .and, .or, .equal, .notEqual:
            return .bool
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            for (side, t) in [(left, l), (right, r)] where [.bool, .list, .object].contains(t) {
                mismatch("'\(op.rawValue)' orders numbers or text, not \(describe(side, t))", side)
            }
            if (l == .text && r == .number) || (l == .number && r == .text) {
                mismatch("'\(op.rawValue)' compares text with a number", e, hint: "convert the text with decimal(…)")
            }
            return .bool
        case .add:
            for (side, t) in [(left, l), (right, r)] where [.bool, .list, .object].contains(t) {
                mismatch("'+' adds numbers or joins text, not \(describe(side, t))", side)
            }
            return l == .text || r == .text ? .text : (l == .number && r == .number ? .number : .unknown)
        case .subtract, .multiply, .divide:
            for (side, t) in [(left, l), (right, r)] where !t.fits(.number) {
                mismatch("'\(op.rawValue)' needs numbers, not \(describe(side, t))", side,
                         hint: t == .text ? "convert text with decimal(…)" : nil)
            }
            if op == .divide, case .literal(.number(let d)) = right.kind, d.isZero {
                mismatch("division by zero", right)
            }
            return .number
        }
    }

    private mutating func call(_ function: BuiltinFunction, _ arguments: [Expression], _ e: Expression) -> StaticType {
        let expected = function.parameterTypes
        for (i, argument) in arguments.enumerated() {
            let t = type(of: argument)
            let want = expected[min(i, expected.count - 1)]
            if !t.fits(want) {
                mismatch("argument \(i + 1) of \(function.rawValue) must be \(want.described), not \(describe(argument, t))", argument,
                         hint: "call it as \(function.signature)")
            }
        }
        switch function {
        case .round, .round_even, .truncate, .substr:
            for argument in arguments.dropFirst() {
                if case .literal(.number(let n)) = argument.kind, n.normalized.scale > 0 || n.isNegative {
                    mismatch("\(function.rawValue) needs a whole number ≥ 0 here, not \(n)", argument)
                }
            }
            if function == .round || function == .round_even, arguments.count == 2,
               case .literal(.number(let n)) = arguments[1].kind, n > ExactDecimal(ExactDecimal.maxScale) {
                mismatch("\(function.rawValue) keeps at most \(ExactDecimal.maxScale) places", arguments[1])
            }
        case .local_date:
            if arguments.count == 2 { checkZone(arguments[1]) }
        case .lookup:
            checkTable(arguments.first)
        default:
            break
        }
        return function.resultType
    }

    private mutating func checkZone(_ zone: Expression) {
        switch zone.kind {
        case .literal(.text(let name)):
            if TimeZone(identifier: name) == nil {
                diagnostics.append(Diagnostic(.badTimeZone, "unknown time zone \"\(name)\"", at: zone.location,
                                              hint: Suggestion.hint(for: name, among: TimeZone.knownTimeZoneIdentifiers)
                                                ?? "use an IANA name such as \"Australia/Sydney\""))
            }
        default:
            break
        }
    }

    private mutating func checkTable(_ argument: Expression?) {
        guard let argument else { return }
        guard case .literal(.text(let name)) = argument.kind else {
            mismatch("the table of lookup must be written as a quoted name, like lookup(\"\(scope.tables.sorted().first ?? "table")\", key)",
                     argument)
            return
        }
        if !scope.tables.contains(name) {
            diagnostics.append(Diagnostic(.unknownTable, "unknown table \"\(name)\"", at: argument.location,
                                          hint: Suggestion.hint(for: name, among: scope.tables) ?? "declare it under `tables:`"))
        }
    }
}
