import Batch

/// One rule test, kept next to the rules in `<rules>/tests/*.yaml`: an input order (and
/// customer), settings and state, and what the rules must make of it.
public struct RuleTestCase: Sendable {
    /// One expected payload field: a dotted path with indexes (`SalesOrderLines[0].Product.ProductCode`)
    /// and its value; nil means the field must be absent.
    public struct PayloadExpectation: Sendable {
        public var path: String
        public var value: JSONValue?
        public var location: SourceLocation
        /// An expectation (the loader builds these).
        public init(path: String, value: JSONValue?, location: SourceLocation) {
            self.path = path
            self.value = value
            self.location = location
        }
    }

    /// One expected problem; every given part must match (`messageContains` is a substring).
    public struct ProblemExpectation: Sendable {
        public var severity: Severity?
        public var code: String?
        public var field: String?
        public var messageContains: String?
        public var location: SourceLocation
        /// An expectation (the loader builds these).
        public init(severity: Severity? = nil, code: String?, field: String?, messageContains: String?, location: SourceLocation) {
            self.severity = severity
            self.code = code
            self.field = field
            self.messageContains = messageContains
            self.location = location
        }
    }

    public var name: String
    public var location: SourceLocation
    /// The order, as JSON (YAML converted: plain numbers stay exact text, quoted scalars are strings).
    public var order: JSONValue
    public var customer: JSONValue?
    /// `key=value` overrides for this case, applied after the run's own settings.
    public var settings: [String]
    /// Facts from the ledger and Unleashed; facts not listed are false.
    public var state: [StateFact: Bool]
    /// Reference data: warehouse codes that exist in Unleashed.
    public var warehouses: [String]
    /// The sales order as it stands in Unleashed (`original.*` in supersede rows), when the case gives one.
    public var original: JSONValue?
    public var expectAction: Action?
    /// The transition's message (e.g. for block), when the case names one.
    public var expectMessage: String?
    public var expectPayload: [PayloadExpectation]
    /// Fields the supersede recipe must set on the original (nil value: must not be set).
    public var expectSupersede: [PayloadExpectation]
    public var expectProblems: [ProblemExpectation]
    /// True when the case says `no_problems: true`: the order must have no problems at all.
    public var expectNoProblems: Bool

    /// A test case (the loader builds these).
    public init(name: String, location: SourceLocation, order: JSONValue, customer: JSONValue? = nil, settings: [String] = [],
                state: [StateFact: Bool] = [:], warehouses: [String] = [], original: JSONValue? = nil, expectAction: Action? = nil,
                expectMessage: String? = nil, expectPayload: [PayloadExpectation] = [], expectSupersede: [PayloadExpectation] = [],
                expectProblems: [ProblemExpectation] = [], expectNoProblems: Bool = false) {
        self.name = name
        self.location = location
        self.order = order
        self.customer = customer
        self.settings = settings
        self.state = state
        self.warehouses = warehouses
        self.original = original
        self.expectAction = expectAction
        self.expectMessage = expectMessage
        self.expectPayload = expectPayload
        self.expectSupersede = expectSupersede
        self.expectProblems = expectProblems
        self.expectNoProblems = expectNoProblems
    }
}

/// A payload path split into steps: `SalesOrderLines[0].Product.ProductCode` →
/// `[.key("SalesOrderLines"), .index(0), .key("Product"), .key("ProductCode")]`.
public enum PayloadPath {
    /// The steps, or nil when the path does not parse.
    public static func parse(_ text: String) -> [PathComponent]? {
        var steps: [PathComponent] = []
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(segment)
            let nameEnd = rest.firstIndex(of: "[") ?? rest.endIndex
            let name = rest[..<nameEnd]
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(\.isIdentifierChar) else { return nil }
            steps.append(.key(String(name)))
            rest = rest[nameEnd...]
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let n = Int(rest[rest.index(after: rest.startIndex)..<close]), n >= 0 else {
                    return nil
                }
                steps.append(.index(n))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        return steps.isEmpty ? nil : steps
    }
}
