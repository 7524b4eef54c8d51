/// What the checker knows about each built-in function: how it is called and what it returns.
extension BuiltinFunction {
    /// How the function is called, for messages and docs: `round(x, places)`.
    public var signature: String {
        switch self {
        case .text: return "text(x)"
        case .lower: return "lower(s)"
        case .upper: return "upper(s)"
        case .trim: return "trim(s)"
        case .concat: return "concat(a, b, …)"
        case .substr: return "substr(s, start, length)"
        case .truncate: return "truncate(s, n)"
        case .replace: return "replace(s, find, with)"
        case .length: return "length(x)"
        case .nonempty: return "nonempty(x)"
        case .join: return "join(list, separator)"
        case .decimal: return "decimal(x)"
        case .round: return "round(x, places)"
        case .round_even: return "round_even(x, places)"
        case .abs: return "abs(x)"
        case .min: return "min(a, b, …)"
        case .max: return "max(a, b, …)"
        case .sum: return "sum(list)"
        case .local_date: return "local_date(timestamp, zone)"
        case .date: return "date(timestamp)"
        case .lookup: return "lookup(\"table\", key) or lookup(\"table\", key, default)"
        case .exists: return "exists(x)"
        case .empty: return "empty(x)"
        case .contains: return "contains(haystack, needle)"
        case .starts_with: return "starts_with(s, prefix)"
        case .warehouse_exists: return "warehouse_exists(code)"
        case .coalesce: return "coalesce(a, b, …)"
        }
    }

    /// "2 arguments", "1 to 3 arguments", "at least 1 argument".
    var arityDescription: String {
        let range = arity
        func args(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        if range.lowerBound == range.upperBound { return args(range.lowerBound) }
        if range.upperBound >= 32 { return "at least \(args(range.lowerBound)) (at most 32)" }
        return "\(range.lowerBound) to \(args(range.upperBound))"
    }

    /// The type each argument must have (unknown: anything). The last entry repeats for variadic functions.
    var parameterTypes: [StaticType] {
        switch self {
        case .text, .length, .nonempty, .exists, .empty, .coalesce, .concat: return [.unknown]
        case .lower, .upper, .trim, .date, .warehouse_exists: return [.text]
        case .substr: return [.text, .number, .number]
        case .truncate: return [.text, .number]
        case .replace: return [.text, .text, .text]
        case .join: return [.list, .text]
        case .decimal: return [.unknown]
        case .round, .round_even: return [.number, .number]
        case .abs, .min, .max: return [.number]
        case .sum: return [.list]
        case .local_date: return [.text, .text]
        case .lookup: return [.text, .unknown, .unknown]
        case .contains: return [.unknown, .unknown]
        case .starts_with: return [.text, .text]
        }
    }

    /// The type of the result when the arguments are of the right types.
    var resultType: StaticType {
        switch self {
        case .text, .lower, .upper, .trim, .concat, .substr, .truncate, .replace, .join, .local_date, .date, .lookup:
            return .text
        case .length, .decimal, .round, .round_even, .abs, .min, .max, .sum:
            return .number
        case .exists, .empty, .contains, .starts_with, .warehouse_exists:
            return .bool
        case .nonempty, .coalesce:
            return .unknown
        }
    }
}

/// What the checker knows about a value before any record is read.
enum StaticType: String, Sendable, Equatable {
    case unknown, null, bool, number, text, list, object

    /// For messages: "text", "a number", "true/false".
    var described: String {
        switch self {
        case .unknown: return "a value"
        case .null: return "null"
        case .bool: return "true/false"
        case .number: return "a number"
        case .text: return "text"
        case .list: return "a list"
        case .object: return "an object"
        }
    }

    /// Whether a value of this type can be used where `expected` is needed (unknown and null always can).
    func fits(_ expected: StaticType) -> Bool {
        self == .unknown || self == .null || expected == .unknown || self == expected
    }

    /// The static type of a setting of `type`.
    init(_ type: SettingType) {
        switch type {
        case .text, .timezone: self = .text
        case .bool: self = .bool
        case .decimal, .integer: self = .number
        }
    }
}
