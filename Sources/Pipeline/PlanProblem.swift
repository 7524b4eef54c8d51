import Rules

/// Something wrong with one order, found while planning it (or while pushing it).
///
/// A problem is data: its code, the payload `field` it is about and the `rule` that produced
/// it. The `message` says what is wrong and what to do, but never names the order: whoever
/// shows it does (`rendered(for:)`, the preview record, the text preview, the integration log).
public struct PlanProblem: Sendable, Hashable, CustomStringConvertible {
    /// How bad a problem is: the rules' own severity (`error`, `warning`; plan problems are never
    /// `note`). An error makes a `create`/`replace` order `invalid`; a warning does not.
    public typealias Severity = Rules.Severity

    public var severity: Severity
    /// The stable code (docs/rules.md, "Plan problem codes").
    public var code: ProblemCode
    /// What is wrong and what to do, without the order's label.
    public var message: String
    /// The payload path (`Customer.CustomerCode`, `SalesOrderLines[1].Product.ProductCode`,
    /// `customer.Email`) or the rule part (`lines.each`) the problem is about, if any.
    public var field: String?
    /// The rule entry or expression that produced the problem (`rules/omsync.yaml:42:7`), nil
    /// when none did (an order without an id, a duplicate id, no transition row matched).
    public var rule: SourceLocation?

    /// A problem with its code's severity.
    public init(_ code: ProblemCode, _ message: String, field: String?, rule: SourceLocation?) {
        self.init(severity: code.severity, code: code, message: message, field: field, rule: rule)
    }

    /// A problem from its parts.
    public init(severity: Severity, code: ProblemCode, message: String, field: String?, rule: SourceLocation?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.field = field
        self.rule = rule
    }

    /// The message for people, the order named first: `order OM10452 (index 0): …`.
    public func rendered(for order: String) -> String { "\(order): \(message)" }

    /// `error[E-PROP-REQUIRED] message`.
    public var description: String { "\(severity.rawValue)[\(code.rawValue)] \(message)" }
}
