import Rules

/// Something wrong with one order, found while planning it.
///
/// Every message names the order (number and batch index) and, where there is one, the field;
/// `field` is the payload path (`Customer.CustomerCode`, `SalesOrderLines[1].Product.ProductCode`)
/// or the rule name the problem is about.
public struct PlanProblem: Sendable, Hashable, CustomStringConvertible {
    /// How bad it is: an error makes a `create`/`replace` order `invalid`; a warning does not.
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// A stable code, e.g. `E-PROP-REQUIRED` (see docs/pipeline.md).
    public var code: String
    public var message: String
    public var field: String?

    /// A problem from its parts.
    public init(severity: Severity, code: String, message: String, field: String?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.field = field
    }

    /// `error[E-PROP-REQUIRED] message`.
    public var description: String { "\(severity.rawValue)[\(code)] \(message)" }
}

/// The stable problem codes the pipeline reports.
public enum ProblemCode {
    /// A required property resolved to nothing at every level.
    public static let propertyRequired = "E-PROP-REQUIRED"
    /// A line lacks a field listed in `lines.required`.
    public static let lineRequired = "E-LINE-REQUIRED"
    /// An expression failed at run time (type mismatch, overflow, division by zero).
    public static let expression = "E-EXPR"
    /// No transition row matched the order.
    public static let noTransition = "E-NO-TRANSITION"
    /// Money could not be computed (overflow).
    public static let money = "E-MONEY"
    /// A new order (`create`/`replace`) has no item lines: nothing to sell, zero totals.
    public static let noLines = "E-NO-LINES"
    /// `lines.each` is not a list.
    public static let linesNotList = "W-LINES-NOT-LIST"
    /// Ordermentum's own total differs from the computed Total.
    public static let totalMismatch = "W-TOTAL-MISMATCH"
    /// A text longer than Unleashed accepts in its field: cut to the limit.
    public static let fieldTooLong = "W-FIELD-TOO-LONG"
    /// An order without an `id`: it cannot be tracked, so it is never pushed.
    public static let noID = "E-NO-ID"
    /// An order whose `id` an earlier order of the same batch had: the later one wins.
    public static let duplicateID = "W-DUPLICATE-ID"
    /// A line with a negative quantity (a return is a credit note in Unleashed, not a sales order).
    public static let negativeQuantity = "E-NEGATIVE-QUANTITY"
    /// An export order whose `purchaserId` matches no customer of the export.
    public static let customerNotInExport = "W-CUSTOMER-NOT-IN-EXPORT"
    /// A timestamp that `local_date`/`date` could not read.
    public static let badDate = "W-BAD-DATE"
}
