import Batch

// The checked rule set: the contract between `Rules` (load + check) and `Pipeline` (compile + run).
// Every node keeps the `SourceLocation` it came from, so runtime problems and `--explain` can
// point back into the YAML.

/// A place in a rule file: path as given, 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// A place: path as given, 1-based line and column.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    /// `file:line:col`, the form editors parse.
    public var description: String { "\(file):\(line):\(column)" }
}

/// The whole rule set, checked: names resolved, types known where knowable.
public struct RuleSet: Sendable {
    /// The rule files read, in load order.
    public var files: [String]
    public var version: Int
    /// Declared settings, in declaration order.
    public var settings: [SettingDecl]
    /// Declared properties, in declaration order.
    public var properties: [PropertyDecl]
    /// Named conditions (`conditions:`), usable by name in any expression.
    public var conditions: [ConditionDecl]
    /// Lookup tables (`tables:`), read with `lookup("name", key)`.
    public var tables: [TableDecl]
    public var salesOrder: SalesOrderMapping
    /// First match wins.
    public var transitions: [TransitionRule]
    /// First match wins.
    public var supersede: [SupersedeRule]
    /// `customer:`: the Unleashed customer to create when the order's customer code is not there yet.
    public var customer: RecordMapping?
    /// `freight_product:`: the Unleashed product to create when the freight product code is not there yet.
    public var freightProduct: RecordMapping?
    /// `order_version:`: which copy of an order is the newest (an ISO-8601 timestamp, e.g.
    /// `order.updatedAt`); nil when the rules do not say (then copies are ordered by position only).
    public var orderVersion: Expression?

    /// Every member given (the checker builds these; tests and tools may too).
    public init(files: [String], version: Int, settings: [SettingDecl], properties: [PropertyDecl],
                conditions: [ConditionDecl], tables: [TableDecl], salesOrder: SalesOrderMapping,
                transitions: [TransitionRule], supersede: [SupersedeRule],
                customer: RecordMapping? = nil, freightProduct: RecordMapping? = nil, orderVersion: Expression? = nil) {
        self.files = files
        self.version = version
        self.settings = settings
        self.properties = properties
        self.conditions = conditions
        self.tables = tables
        self.salesOrder = salesOrder
        self.transitions = transitions
        self.supersede = supersede
        self.customer = customer
        self.freightProduct = freightProduct
        self.orderVersion = orderVersion
    }
}

/// The type of a setting; values from settings files and `--set` are converted and checked against it.
public enum SettingType: String, Sendable, Hashable, CaseIterable {
    case text, bool, decimal, integer, timezone
}

/// A setting's value (already converted to its declared type).
public enum SettingValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case decimal(ExactDecimal)
    case text(String)
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .decimal(let d): return d.description
        case .text(let s): return s
        }
    }
}

/// `settings.<name>`: type, default, allowed values.
public struct SettingDecl: Sendable {
    public var name: String
    public var type: SettingType
    public var defaultValue: SettingValue
    /// When present, the only values allowed (besides null when the default is null).
    public var oneOf: [SettingValue]?
    public var doc: String?
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(name: String, type: SettingType, defaultValue: SettingValue, oneOf: [SettingValue]?, doc: String?, location: SourceLocation) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.oneOf = oneOf
        self.doc = doc
        self.location = location
    }
}

/// Where a resolved setting value came from (for `--explain` and error messages).
public enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    case ruleDefault(SourceLocation)
    case settingsFile(SourceLocation)
    case commandLine(String)
    public var description: String {
        switch self {
        case .ruleDefault(let l): return "default at \(l)"
        case .settingsFile(let l): return "settings file \(l)"
        case .commandLine(let s): return "--set \(s)"
        }
    }
}

/// The effective settings: declared defaults, then settings files, then `--set`, last wins.
public struct ResolvedSettings: Sendable {
    public var values: [String: SettingValue]
    public var sources: [String: SettingSource]
    /// Every member given (the checker builds these; tests and tools may too).
    public init(values: [String: SettingValue], sources: [String: SettingSource]) {
        self.values = values
        self.sources = sources
    }
}

/// One level of a property's precedence list.
public enum PropertyLevel: Sendable, Hashable, CustomStringConvertible {
    /// `order.properties[tag]`, then the order's `tags` list entry with `key == tag`.
    case order
    /// The order's customer: embedded `purchaser.properties[tag]`, else the joined export customer's.
    case customer
    /// `settings.<name>`.
    case setting(String)
    /// A literal value (a quoted scalar in the `from:` list).
    case literal(String)
    public var description: String {
        switch self {
        case .order: return "order"
        case .customer: return "customer"
        case .setting(let n): return "settings.\(n)"
        case .literal(let s): return "\"\(s)\""
        }
    }
}

/// `prop.<name>`: a tagged custom field resolved by precedence; the first level with a value
/// (not null and not the empty string) wins.
public struct PropertyDecl: Sendable {
    public var name: String
    public var tag: String
    public var levels: [PropertyLevel]
    public var required: Bool
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(name: String, tag: String, levels: [PropertyLevel], required: Bool, location: SourceLocation) {
        self.name = name
        self.tag = tag
        self.levels = levels
        self.required = required
        self.location = location
    }
}

/// A named boolean condition over the order (`conditions:`).
public struct ConditionDecl: Sendable {
    public var name: String
    public var expression: Expression
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(name: String, expression: Expression, location: SourceLocation) {
        self.name = name
        self.expression = expression
        self.location = location
    }
}

/// A lookup table of text keys to text values (`tables:`).
public struct TableDecl: Sendable {
    public var name: String
    public var entries: [String: String]
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(name: String, entries: [String: String], location: SourceLocation) {
        self.name = name
        self.entries = entries
        self.location = location
    }
}

/// One output field: a dotted Unleashed path (`Customer.CustomerCode` → `["Customer","CustomerCode"]`)
/// and the expression that fills it. A null (or `omit`) value leaves the field out; objects left
/// empty are left out too.
public struct FieldMapping: Sendable {
    public var path: [String]
    public var expression: Expression
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(path: [String], expression: Expression, location: SourceLocation) {
        self.path = path
        self.expression = expression
        self.location = location
    }
    /// The dotted form, as written in the rules.
    public var dottedPath: String { path.joined(separator: ".") }
}

/// `sales_order:`: header fields, lines, freight line and the computed totals.
public struct SalesOrderMapping: Sendable {
    public var fields: [FieldMapping]
    public var lines: LineMapping?
    public var freight: FreightMapping?
    public var totals: TotalsSpec
    /// Every member given (the checker builds these; tests and tools may too).
    public init(fields: [FieldMapping], lines: LineMapping?, freight: FreightMapping?, totals: TotalsSpec) {
        self.fields = fields
        self.lines = lines
        self.freight = freight
        self.totals = totals
    }
}

/// `lines:`: one sales order line per element of `each` (bound to `line`), optionally filtered by `when`.
/// The engine adds `LineNumber`, `LineTotal` and `LineTax` (computed as Unleashed validates them).
public struct LineMapping: Sendable {
    public var each: Expression
    public var when: Expression?
    public var fields: [FieldMapping]
    /// The line's tax rate as a fraction (0.1 = 10 %), used for LineTax.
    public var taxRate: Expression
    /// Line field paths (dotted) that must have a value; a line missing one makes the order invalid.
    public var required: [String]
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(each: Expression, when: Expression?, fields: [FieldMapping], taxRate: Expression, required: [String], location: SourceLocation) {
        self.each = each
        self.when = when
        self.fields = fields
        self.taxRate = taxRate
        self.required = required
        self.location = location
    }
}

/// `freight:`: an extra line appended after the item lines when `when` holds.
public struct FreightMapping: Sendable {
    public var when: Expression
    public var fields: [FieldMapping]
    public var taxRate: Expression
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(when: Expression, fields: [FieldMapping], taxRate: Expression, location: SourceLocation) {
        self.when = when
        self.fields = fields
        self.taxRate = taxRate
        self.location = location
    }
}

/// `totals:`: how money is rounded, and what Ordermentum's own total is (for the mismatch warning).
/// LineTotal = round(qty × price × (1 − DiscountRate)), LineTax = round(LineTotal × rate),
/// SubTotal = Σ LineTotal, TaxTotal = Σ LineTax, Total = SubTotal + TaxTotal.
public struct TotalsSpec: Sendable {
    public var compareTo: Expression?
    public var location: SourceLocation?
    /// Every member given (the checker builds these; tests and tools may too).
    public init(compareTo: Expression? = nil, location: SourceLocation? = nil) {
        self.compareTo = compareTo
        self.location = location
    }
}

/// What a sync does with an order.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case create, replace, supersede, skip, block, invalid
}

/// One row of the transition table; `when == nil` is `otherwise: true`.
public struct TransitionRule: Sendable {
    public var when: Expression?
    public var action: Action
    public var message: String?
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(when: Expression?, action: Action, message: String?, location: SourceLocation) {
        self.when = when
        self.action = action
        self.message = message
        self.location = location
    }
}

/// One way of taking an original order out of the way; `when == nil` is `otherwise: true`.
/// `set` expressions may read `original.*` (the order as it stands in Unleashed).
public struct SupersedeRule: Sendable {
    public var when: Expression?
    public var set: [FieldMapping]
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(when: Expression?, set: [FieldMapping], location: SourceLocation) {
        self.when = when
        self.set = set
        self.location = location
    }
}

/// `customer:` and `freight_product:`: an Unleashed record (customer, product) that the push
/// stage creates before the order when it does not exist yet. The plan carries the mapped payload;
/// a `required` field without a value is a warning in a preview (the record may already exist in
/// Unleashed) and becomes the order's error when the push stage finds the record missing.
public struct RecordMapping: Sendable {
    /// When present and false, no record is planned (e.g. no freight line, no freight product).
    public var when: Expression?
    public var fields: [FieldMapping]
    public var required: [RequiredField]
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(when: Expression?, fields: [FieldMapping], required: [RequiredField], location: SourceLocation) {
        self.when = when
        self.fields = fields
        self.required = required
        self.location = location
    }
}

/// A field a created record cannot do without, and what to tell the user when it has no value.
public struct RequiredField: Sendable {
    /// Dotted field path, as mapped under `fields`.
    public var path: String
    /// The user's explanation (what it means, what to do); a generic one is used when absent.
    public var message: String?
    public var location: SourceLocation
    /// Every member given (the checker builds these; tests and tools may too).
    public init(path: String, message: String?, location: SourceLocation) {
        self.path = path
        self.message = message
        self.location = location
    }
}
