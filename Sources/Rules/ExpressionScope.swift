/// What an expression may refer to where it is written: which roots are allowed (`line` only
/// inside `lines:`, `original` only inside `supersede:`), and the declared properties, settings
/// (with their types), conditions and tables that names are checked against.
public struct ExpressionScope: Sendable {
    public var allowedRoots: Set<PathRoot>
    public var properties: Set<String>
    public var settings: [String: SettingType]
    public var conditions: Set<String>
    public var tables: Set<String>

    /// A scope; by default every root except `line` and `original`.
    public init(allowedRoots: Set<PathRoot> = ExpressionScope.baseRoots, properties: Set<String> = [],
                settings: [String: SettingType] = [:], conditions: Set<String> = [], tables: Set<String> = []) {
        self.allowedRoots = allowedRoots
        self.properties = properties
        self.settings = settings
        self.conditions = conditions
        self.tables = tables
    }

    /// Roots usable everywhere.
    public static let baseRoots: Set<PathRoot> = [.order, .customer, .prop, .settings, .state]

    /// The scope of a rule set's own declarations.
    public init(ruleSet: RuleSet) {
        self.init(properties: Set(ruleSet.properties.map(\.name)),
                  settings: Dictionary(ruleSet.settings.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first }),
                  conditions: Set(ruleSet.conditions.map(\.name)),
                  tables: Set(ruleSet.tables.map(\.name)))
    }

    /// The same scope with one more root allowed (`line` inside `lines:`, `original` in `supersede:`).
    public func allowing(_ root: PathRoot) -> ExpressionScope {
        var copy = self
        copy.allowedRoots.insert(root)
        return copy
    }

    /// Where a root may be used, for the message when it is used elsewhere.
    static func whereAllowed(_ root: PathRoot) -> String {
        switch root {
        case .line: return "`line` is the current line item: it can only be used inside `sales_order.lines`"
        case .original: return "`original` is the order as it stands in Unleashed: it can only be used inside `supersede`"
        case .state: return "`state` cannot be used in `order_version`: the version decides `state.stale` (read the order's own fields, e.g. order.updatedAt)"
        default: return "`\(root.rawValue)` cannot be used here"
        }
    }
}
