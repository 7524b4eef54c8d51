import Batch
import Rules

/// What the pipeline decided for one order: the action, the Unleashed payload and the problems.
public struct OrderPlan: Sendable {
    /// 0-based position of the order in its batch.
    public var index: Int
    /// The order's Ordermentum `id` (the stable key), nil when the order has none.
    public var sourceID: String?
    /// `orderNumber` (or `number`) of the order.
    public var sourceNumber: String?
    /// The action after problems are taken into account (`create` with an error becomes `invalid`).
    public var action: Action
    /// The transition's message (`block`), or for `invalid` the first error rendered for people
    /// (`order OM10452 (index 0): …`, as `PlanProblem.rendered(for:)`).
    public var message: String?
    /// The Unleashed sales order (always built, whatever the action, so a preview shows it).
    public var payload: Payload
    public var problems: [PlanProblem]
    /// For `replace` and `supersede`: how the original sales order is taken out of the way,
    /// shown against the payload as a stand-in for the original (the push stage recomputes it
    /// with `CompiledPipeline.supersedeChanges(original:reference:)`).
    public var supersede: SupersedeOutcome?
    /// Where each payload field came from (only when planned with `explain: true`).
    public var explain: [ExplainEntry]?
    /// The transition row that chose the action, nil when none matched.
    public var transition: SourceLocation?
    /// The Unleashed customer to create first when its code is not there yet (`customer:`).
    public var customer: RecordPlan?
    /// The freight product to create first when its code is not there yet (`freight_product:`).
    public var freightProduct: RecordPlan?

    /// True when some problem is an error.
    public var hasErrors: Bool { problems.contains { $0.severity == .error } }

    /// How people are told which order this is: `order OM10452 (index 0)` (problem messages
    /// leave it to the renderer: `problem.rendered(for: plan.label)`).
    public var label: String { Self.label(number: sourceNumber, index: index) }

    /// `order OM10452 (index 0)`, `order without a number (index 3)`.
    public static func label(number: String?, index: Int) -> String {
        "order \(number ?? "without a number") (index \(index))"
    }

    /// A plan from its parts.
    public init(index: Int, sourceID: String?, sourceNumber: String?, action: Action, message: String?,
                payload: Payload, problems: [PlanProblem], supersede: SupersedeOutcome? = nil,
                explain: [ExplainEntry]? = nil, transition: SourceLocation? = nil,
                customer: RecordPlan? = nil, freightProduct: RecordPlan? = nil) {
        self.index = index
        self.sourceID = sourceID
        self.sourceNumber = sourceNumber
        self.action = action
        self.message = message
        self.payload = payload
        self.problems = problems
        self.supersede = supersede
        self.explain = explain
        self.transition = transition
        self.customer = customer
        self.freightProduct = freightProduct
    }
}

/// The supersede recipe applied to one original order: which rule matched and what it sets.
public struct SupersedeOutcome: Sendable {
    /// The `supersede:` row that matched, nil when none did.
    public var rule: SourceLocation?
    /// Dotted Unleashed paths and their new values, in rule order.
    public var changes: [(path: String, value: JSONValue)]

    /// An outcome from its parts.
    public init(rule: SourceLocation?, changes: [(path: String, value: JSONValue)]) {
        self.rule = rule
        self.changes = changes
    }
}

/// Where one payload field's value came from (`--explain`).
public struct ExplainEntry: Sendable {
    /// The payload path: `Warehouse.WarehouseCode`, `SalesOrderLines[].UnitPrice`, `SubTotal`.
    public var field: String
    /// The rule that produced it (nil for engine-computed fields).
    public var rule: SourceLocation?
    /// The expression text, or how the engine computed the value.
    public var expression: String
    /// The properties and settings it read, and where their values came from:
    /// `prop.warehouse = "SYD" from customer (customer.properties.unleashed_warehouse)`,
    /// `settings.tax_rate = 0.1 (default at rules/omsync.yaml:40:5)`.
    public var sources: [String]

    /// An entry from its parts.
    public init(field: String, rule: SourceLocation?, expression: String, sources: [String]) {
        self.field = field
        self.rule = rule
        self.expression = expression
        self.sources = sources
    }
}
