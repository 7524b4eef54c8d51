import Rules

/// The stable codes of plan problems: every one the pipeline (and the push stage, which
/// reports the plan's problems) can give. Documented, one row each, in the table "Plan problem
/// codes" of docs/rules.md; a test checks the table against `allCases` both ways.
public enum ProblemCode: String, CaseIterable, Sendable {
    /// A required property resolved to nothing at every level.
    case propertyRequired = "E-PROP-REQUIRED"
    /// A line lacks a field listed in `lines.required`.
    case lineRequired = "E-LINE-REQUIRED"
    /// An expression failed at run time (type mismatch, overflow, division by zero).
    case expression = "E-EXPR"
    /// Money could not be computed (a value that is not an exact decimal, a negative tax rate, overflow).
    case money = "E-MONEY"
    /// A new order (`create`/`replace`) has no item lines: nothing to sell, zero totals.
    case noLines = "E-NO-LINES"
    /// No transition row matched the order.
    case noTransition = "E-NO-TRANSITION"
    /// An order without an `id`: it cannot be tracked, so it is never pushed.
    case noID = "E-NO-ID"
    /// A line with a negative quantity (a return is a credit note in Unleashed, not a sales order).
    case negativeQuantity = "E-NEGATIVE-QUANTITY"
    /// An order whose `id` an earlier order of the same batch had: only the newest copy is imported.
    case duplicateID = "W-DUPLICATE-ID"
    /// An export order whose `purchaserId` matches no customer of the export.
    case customerNotInExport = "W-CUSTOMER-NOT-IN-EXPORT"
    /// A text longer than Unleashed accepts in its field: cut to the limit.
    case fieldTooLong = "W-FIELD-TOO-LONG"
    /// `lines.each` is not a list.
    case linesNotList = "W-LINES-NOT-LIST"
    /// Ordermentum's own total differs from the computed Total.
    case totalMismatch = "W-TOTAL-MISMATCH"
    /// A timestamp that `local_date`/`date` could not read.
    case badDate = "W-BAD-DATE"
    /// A `required` field of `customer:` or `freight_product:` has no value (a warning in a
    /// preview: the record may already exist in Unleashed).
    case recordRequired = "W-RECORD-REQUIRED"
    /// The order's `status` is none of Ordermentum's (`OrdermentumStatus`).
    case unknownStatus = "W-UNKNOWN-STATUS"
    /// The rules declare `order_version` but this copy has no usable one (missing, or not a timestamp).
    case noVersion = "W-NO-VERSION"

    /// The severity of every problem with this code: `E-…` errors, `W-…` warnings.
    public var severity: Severity { rawValue.hasPrefix("E-") ? .error : .warning }

    /// One line saying when the problem is reported, as in docs/rules.md.
    public var summary: String {
        switch self {
        case .propertyRequired: return "a required property has no value at any level"
        case .lineRequired: return "a line lacks a field listed in `lines.required`"
        case .expression: return "an expression failed at run time (the value is left empty)"
        case .money: return "money cannot be computed (quantity, price, discount or tax rate not an exact decimal; overflow) or is absurd (beyond omsync's bounds, or 10 times Ordermentum's own total)"
        case .noLines: return "a new order (`create`/`replace`) has no item lines"
        case .noTransition: return "no transition row matched"
        case .noID: return "the order has no `id` (it cannot be tracked, so it is never pushed)"
        case .negativeQuantity: return "a line's `OrderQuantity` is negative (a return is a credit note in Unleashed)"
        case .duplicateID: return "an earlier order of the same batch has this order's id (only the newest copy is imported; the others are older copies)"
        case .customerNotInExport: return "an export order's `purchaserId` matches no customer of the export"
        case .fieldTooLong: return "a text longer than Unleashed accepts in its field, cut to the limit"
        case .linesNotList: return "`lines.each` is not a list"
        case .totalMismatch: return "Ordermentum's total differs from the computed `Total`"
        case .badDate: return "a timestamp (or time zone) that cannot be read"
        case .unknownStatus: return "the order's `status` is not one Ordermentum uses (the rules see it as written)"
        case .recordRequired: return "a `required` field of `customer:` / `freight_product:` has no value"
        case .noVersion: return "the rules declare `order_version` but the order has none usable (it is ordered by position only)"
        }
    }
}
