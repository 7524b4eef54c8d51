import Batch
import Rules

/// A property compiled for resolution: the tag pre-encoded, setting levels folded to constants.
struct CompiledProperty: Sendable {
    /// One level of the precedence list.
    enum Level: Sendable {
        case order
        case customer
        /// A setting's value or a literal, known at compile time.
        case constant(Value)
    }

    let name: String
    let tag: String
    let tagKey: JSONKey
    let levels: [Level]
    let declared: [PropertyLevel]
    let required: Bool
    let location: SourceLocation
    /// The payload field that reads this property (for problem messages), or `prop.<name>`.
    var field: String

    init(_ decl: PropertyDecl, settings: ResolvedSettings) {
        name = decl.name
        tag = decl.tag
        tagKey = JSONKey(decl.tag)
        declared = decl.levels
        required = decl.required
        location = decl.location
        field = "prop.\(decl.name)"
        levels = decl.levels.map { level in
            switch level {
            case .order: return .order
            case .customer: return .customer
            case .setting(let name): return .constant(Value(settings.values[name] ?? .null))
            case .literal(let text): return .constant(.text(text))
            }
        }
    }

    /// Where a level looks, for messages: `order.properties, order.tags`.
    func describe(level: Int) -> String {
        guard declared.indices.contains(level) else { return "none" }
        switch declared[level] {
        case .order: return "order.properties, order.tags"
        case .customer: return "customer.properties"
        case .setting(let name): return "settings.\(name)"
        case .literal(let text): return "the literal \"\(text)\""
        }
    }
}

/// A property's value for one order and the level that supplied it (nil: no level had one).
struct PropertyResolution: Sendable {
    let value: Value
    let level: Int?
}

/// The immutable compiled parts every evaluation reads: properties and lookup tables.
final class Program: Sendable {
    let properties: [CompiledProperty]
    let tables: [String: [String: String]]
    /// Interned path prefixes (filled in once compiling is done), as parallel arrays: the
    /// parent slot (-1: the base root), the base, the key (for key steps) and the index.
    let slotParents: [Int]
    let slotBases: [PathBase]
    let slotKeys: [JSONKey]
    let slotIndexes: [Int]
    /// The slots under `line`.
    let lineSlots: [Int]
    /// Slots of `order.properties`, `order.tags` and `customer.properties` (for property lookups).
    let orderProperties: Int
    let orderTags: Int
    /// Slots of `order.id`, `order.orderNumber`, `order.number` and `order.purchaser`.
    let orderID: Int
    let orderNumber: Int
    let orderNumberAlias: Int
    let orderPurchaser: Int
    /// The slot of `order.status` (checked against Ordermentum's statuses).
    let orderStatus: Int
    /// Where each compiled expression node came from (`ExpressionSite.index`).
    let sites: [SiteInfo]
    let customerProperties: Int
    /// `{}`: the record constant folding and record-less evaluations run against.
    let emptyRecord: JSONRecord
    /// This pipeline's memo of time-zone offsets (`local_date`).
    let zones: ZoneOffsets

    init(properties: [CompiledProperty], tables: [String: [String: String]], interner: PathInterner) {
        self.properties = properties
        self.tables = tables
        self.orderProperties = interner.intern(.order, [PathStep(.key("properties"))]) ?? 0
        self.orderTags = interner.intern(.order, [PathStep(.key("tags"))]) ?? 0
        self.customerProperties = interner.intern(.customer, [PathStep(.key("properties"))]) ?? 0
        self.orderID = interner.intern(.order, [PathStep(.key("id"))]) ?? 0
        self.orderNumber = interner.intern(.order, [PathStep(.key("orderNumber"))]) ?? 0
        self.orderNumberAlias = interner.intern(.order, [PathStep(.key("number"))]) ?? 0
        self.orderPurchaser = interner.intern(.order, [PathStep(.key("purchaser"))]) ?? 0
        self.orderStatus = interner.intern(.order, [PathStep(.key("status"))]) ?? 0
        (slotParents, slotBases, slotKeys, slotIndexes) = Self.layout(interner.slots)
        self.lineSlots = interner.slots.indices.filter { interner.slots[$0].base == .line }
        self.sites = interner.sites
        self.emptyRecord = JSONRecord.emptyObject
        self.zones = ZoneOffsets()
    }

    /// A copy with the final slot table (after every expression is compiled).
    init(_ other: Program, interner: PathInterner) {
        properties = other.properties
        tables = other.tables
        orderProperties = other.orderProperties
        orderTags = other.orderTags
        customerProperties = other.customerProperties
        orderID = other.orderID
        orderNumber = other.orderNumber
        orderNumberAlias = other.orderNumberAlias
        orderPurchaser = other.orderPurchaser
        orderStatus = other.orderStatus
        emptyRecord = other.emptyRecord
        zones = other.zones
        (slotParents, slotBases, slotKeys, slotIndexes) = Self.layout(interner.slots)
        lineSlots = interner.slots.indices.filter { interner.slots[$0].base == .line }
        sites = interner.sites
    }

    /// Slots as parallel arrays; an index step has an empty key and a key step index -1.
    static func layout(_ slots: [PathSlot]) -> ([Int], [PathBase], [JSONKey], [Int]) {
        let empty = JSONKey("")
        return (slots.map { $0.parent ?? -1 }, slots.map(\.base),
                slots.map { if case .key(let key, _) = $0.step { return key } else { return empty } },
                slots.map { if case .index(let n) = $0.step { return n } else { return -1 } })
    }

    /// An evaluator with no record, state or reference data (for constant folding).
    func foldingEvaluator() -> Evaluator {
        Evaluator(program: self, records: RecordPair(order: emptyRecord, customer: nil), customerRoot: nil,
                  state: .neverPushed, reference: .empty, index: -1, number: nil)
    }
}
