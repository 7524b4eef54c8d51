import Batch
import Rules

extension Evaluator {
    /// Digits kept after the point by `/` (the result is then normalised: 10 / 4 = 2.5).
    static let divisionScale = 12

    /// A binary operator on two evaluated operands. Null operands give null (comparisons too);
    /// `+` joins text when either side is text, with null joining as "".
    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: ExpressionSite) -> Value {
        switch op {
        case .and: return .bool(truthy(a) && truthy(b))
        case .or: return .bool(truthy(a) || truthy(b))
        case .equal: return .bool(equals(a, b))
        case .notEqual: return .bool(!equals(a, b))
        case .add where a.isText(records) || b.isText(records):
            return .text((a.displayText(records) ?? "") + (b.displayText(records) ?? ""))
        case .add, .subtract, .multiply, .divide:
            return arithmetic(op, a, b, site)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if a.isNull || b.isNull { return .null }
            guard let order = compare(a, b) else {
                fail(site, "cannot compare \(a.kindName(records)) with \(b.kindName(records))")
                return .null
            }
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, _ site: ExpressionSite) -> Value {
        if a.isNull || b.isNull { return .null }
        guard let x = a.numberValue(records), let y = b.numberValue(records) else {
            let verb = [BinaryOperator.add: "add", .subtract: "subtract", .multiply: "multiply", .divide: "divide"][op] ?? "combine"
            fail(site, "cannot \(verb) \(a.kindName(records)) and \(b.kindName(records)) (use decimal(...) to read numbers held as text)")
            return .null
        }
        let result: ExactDecimal?
        switch op {
        case .add: result = x.adding(y)
        case .subtract: result = x.subtracting(y)
        case .multiply: result = x.multiplied(by: y)
        default:
            if y.isZero {
                fail(site, "division by zero")
                return .null
            }
            let scale = min(ExactDecimal.maxScale, max(x.scale, y.scale) + Self.divisionScale)
            result = x.divided(by: y, scale: scale, rounding: .halfUp)?.normalized
        }
        guard let result else {
            fail(site, "number out of range")
            return .null
        }
        return .number(result)
    }

    /// Equality: null equals only null; numbers by value; text by content; lists and objects
    /// by their JSON; different kinds are never equal.
    func equals(_ a: Value, _ b: Value) -> Bool {
        if a.isNull || b.isNull { return a.isNull && b.isNull }
        if case .bool(let x) = a { if case .bool(let y) = b { return x == y }; return false }
        if case .bool = b { return false }
        if let x = a.numberValue(records) {
            guard let y = b.numberValue(records) else { return false }
            return x == y
        }
        if b.numberValue(records) != nil { return false }
        if a.isText(records) || b.isText(records) {
            guard let x = a.textValue(records), let y = b.textValue(records) else { return false }
            return x == y
        }
        return a.jsonValue(records) == b.jsonValue(records)
    }

    /// -1, 0 or 1 for two numbers or two texts; nil for any other pair.
    func compare(_ a: Value, _ b: Value) -> Int? {
        if let x = a.numberValue(records), let y = b.numberValue(records) {
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        if a.isText(records), b.isText(records), let x = a.textValue(records), let y = b.textValue(records) {
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        return nil
    }
}
