import Batch

/// A checked expression of the rule language: small, total, side-effect free.
/// Every node keeps its location (the column is the node's own column inside the YAML file).
public indirect enum ExpressionKind: Sendable {
    /// A literal: null, `omit`, true/false, an exact decimal, or text.
    case literal(Literal)
    /// A path into one of the roots; missing parts give null (never an error).
    case path(PathRoot, [PathComponent])
    /// A named condition from `conditions:` (already checked to exist).
    case condition(String)
    /// A call of a built-in function (already checked for existence and arity).
    case call(BuiltinFunction, [Expression])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `a ?? b`: a unless a is null (or `omit`), else b.
    case coalesce(Expression, Expression)
    /// `c ? a : b`: c is tested for truthiness (null, false, "", 0, empty list → false).
    case conditional(Expression, Expression, Expression)
}

/// One node of an expression: what it is and where it was written.
public struct Expression: Sendable {
    public var kind: ExpressionKind
    public var location: SourceLocation
    /// The source text of the whole expression this node belongs to (for messages and `--explain`).
    public var text: String
    /// Every member given (the checker builds these; tests and tools may too).
    public init(kind: ExpressionKind, location: SourceLocation, text: String) {
        self.kind = kind
        self.location = location
        self.text = text
    }
}

/// Literal values.
public enum Literal: Sendable, Hashable {
    case null
    /// Leave the field out of the payload (behaves as null in every other way).
    case omit
    case bool(Bool)
    case number(ExactDecimal)
    case text(String)
}

/// The names an expression can start from.
public enum PathRoot: String, Sendable, Hashable, CaseIterable {
    /// The Ordermentum order (JSON).
    case order
    /// The order's customer: the embedded `purchaser` when it is a non-empty object, else the customer joined from an export.
    case customer
    /// The current line item (only inside `lines:`).
    case line
    /// `prop.<name>`: a declared property, resolved by precedence. The first component is the property name.
    case prop
    /// `settings.<name>`: a declared setting. The first component is the setting name.
    case settings
    /// `state.<fact>`: facts about the order from the ledger and Unleashed (see `StateFact`).
    case state
    /// `original.<Field>`: the sales order as it stands in Unleashed (only inside `supersede:`).
    case original
}

/// Facts about an order that come from outside the batch (ledger, Unleashed).
/// In a preview without a ledger every fact is false ("never pushed").
public enum StateFact: String, Sendable, Hashable, CaseIterable {
    /// The order was pushed before (the ledger knows its Unleashed GUID).
    case pushed
    /// The order changed in Ordermentum since it was last pushed (its payload differs from the one pushed).
    case changed
    /// Someone changed the sales order in Unleashed since omsync pushed it (status or LastModifiedOn).
    case changed_in_unleashed
    /// The order was cancelled in Ordermentum and omsync took its sales order out of the way
    /// (the ledger row is `superseded`; no sales order of it is live).
    case superseded
    /// An older copy of the order: its version (the rules' `order_version`, e.g. `order.updatedAt`)
    /// is before the version last pushed, or a newer copy of the same order is in the same run.
    case stale
}

/// One step of a path.
public enum PathComponent: Sendable, Hashable {
    /// `.name` (also `["name"]`): object member.
    case key(String)
    /// `[3]`: array element, 0-based.
    case index(Int)
}

/// Unary operators.
public enum UnaryOperator: String, Sendable {
    case not = "not"
    case negate = "-"
}

/// Binary operators. `+` adds numbers, and joins text when either side is text (null joins as "").
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "==", notEqual = "!="
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "and", or = "or"
}

/// The built-in functions: all total (bad input gives null, never a crash) and free of I/O.
public enum BuiltinFunction: String, Sendable, CaseIterable {
    // text
    case text          // text(x): x as text (numbers in exact plain form), null stays null
    case lower, upper, trim
    case concat        // concat(a, b, …): joins, null as ""
    case substr        // substr(s, start, length)
    case truncate      // truncate(s, n): at most n characters
    case replace       // replace(s, find, with)
    case length        // length(x): characters of text, elements of a list, members of an object
    case nonempty      // nonempty(x): x, or null when x is "" / {} / []
    case join          // join(list, separator)
    // numbers
    case decimal       // decimal(x): a number, or text holding a decimal ("28.7900"); else null
    case round         // round(x, places): half away from zero
    case round_even    // round_even(x, places): banker's rounding
    case abs, min, max
    case sum           // sum(list): Σ of the numbers in a list (null entries skipped)
    // dates
    case local_date    // local_date(timestamp, zone): "YYYY-MM-DDT00:00:00" of the instant in zone; "TBA", null, "" → null
    case date          // date(timestamp): the UTC date part "YYYY-MM-DD" of an ISO timestamp; bad input → null
    // lookups and tests
    case lookup        // lookup("table", key) or lookup("table", key, default)
    case exists        // exists(x): x is not null
    case empty         // empty(x): x is null, "", {} or []
    case contains      // contains(haystack, needle): text contains text, or list contains value
    case starts_with   // starts_with(s, prefix)
    case warehouse_exists // warehouse_exists(code): the warehouse exists in Unleashed (a fact; false in a preview without reference data)
    case coalesce      // coalesce(a, b, …): first non-null

    /// Allowed argument counts.
    public var arity: ClosedRange<Int> {
        switch self {
        case .text, .lower, .upper, .trim, .length, .nonempty, .decimal, .abs, .sum, .date, .exists, .empty, .warehouse_exists:
            return 1...1
        case .truncate, .round, .round_even, .local_date, .join, .contains, .starts_with:
            return 2...2
        case .substr, .replace:
            return 3...3
        case .lookup:
            return 2...3
        case .concat, .min, .max, .coalesce:
            return 1...32
        }
    }
}
