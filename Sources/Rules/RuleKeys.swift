/// The keys each part of a rule file and of a rule test may hold, and which are required: the
/// one owner of the rule language's shape. The checker reports keys against these (`E101`,
/// `E102`) and `RuleSchema` writes the JSON Schema from them, so the two never disagree.
public enum RuleKeys {
    /// The keys a mapping may hold and those it must.
    public struct KeySet: Sendable {
        public var allowed: [String]
        public var required: [String]
    }

    /// Top-level sections of a rule file (`version` and `sales_order` required, see `RuleChecker`).
    public static let sections = ["version", "settings", "properties", "conditions", "tables", "sales_order", "transitions", "supersede",
                                  "customer", "freight_product", "order_version"]
    public static let requiredSections = ["version", "sales_order"]
    /// `settings.<name>`.
    public static let setting = KeySet(allowed: ["type", "default", "one_of", "doc"], required: ["type"])
    /// `properties.<name>`.
    public static let property = KeySet(allowed: ["tag", "from", "required"], required: ["tag", "from"])
    /// `sales_order`.
    public static let salesOrder = KeySet(allowed: ["fields", "lines", "freight", "totals"], required: ["fields"])
    /// `sales_order.lines`.
    public static let lines = KeySet(allowed: ["each", "when", "fields", "tax_rate", "required"], required: ["each", "fields", "tax_rate"])
    /// `sales_order.freight`.
    public static let freight = KeySet(allowed: ["when", "fields", "tax_rate"], required: ["when", "fields", "tax_rate"])
    /// `sales_order.totals` (`places` and `rounding` are obsolete: warning W505).
    public static let totals = KeySet(allowed: ["places", "rounding", "compare_to"], required: [])
    /// One row of `transitions`.
    public static let transition = KeySet(allowed: ["when", "otherwise", "do", "message"], required: ["do"])
    /// One row of `supersede`.
    public static let supersedeRow = KeySet(allowed: ["when", "otherwise", "set"], required: ["set"])
    /// `customer:` and `freight_product:`.
    public static let record = KeySet(allowed: ["when", "fields", "required"], required: ["fields"])
    /// An item of a record's `required` list written as a mapping.
    public static let requiredItem = KeySet(allowed: ["field", "message"], required: ["field"])

    /// Top-level keys of a rule test file.
    public static let testFile = KeySet(allowed: ["base", "tests"], required: ["tests"])
    /// The inputs of a rule test (in `base` and in each case).
    public static let testInputs = ["order", "customer", "original", "settings", "state", "warehouses"]
    /// One rule test case.
    public static let testCase = KeySet(allowed: ["name"] + testInputs + ["expect"], required: ["name", "expect"])
    /// A case's `expect`.
    public static let expect = KeySet(allowed: ["action", "message", "payload", "supersede", "problems", "no_problems"], required: [])
    /// An item of `expect.problems`.
    public static let expectedProblem = KeySet(allowed: ["severity", "code", "field", "message"], required: [])
}
