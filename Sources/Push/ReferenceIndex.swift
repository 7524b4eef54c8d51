import Batch
import Synchronization
import Unleashed

/// What exists in the Unleashed account, for the checks made before any write: warehouses,
/// taxes, currencies, sales persons, groups, delivery methods, customers and products.
///
/// Codes match without regard to case, as Unleashed's (SQL Server) collation does. Customers
/// and products that the run creates are added as it goes. Safe to share between tasks.
public final class ReferenceIndex: Sendable {
    /// One kind of reference record: an Unleashed resource (its list and the field that names a record).
    public typealias Kind = UnleashedResource

    /// The kinds the index holds: every resource but sales orders.
    public static let kinds: [Kind] = Kind.allCases.filter { $0 != .salesOrders }

    /// One record as the index keeps it: its key as Unleashed spells it, its GUID and whether
    /// it may be sold (products).
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var guid: String?
        public var sellable: Bool

        /// An entry from its parts.
        public init(key: String, guid: String?, sellable: Bool = true) {
            self.key = key
            self.guid = guid
            self.sellable = sellable
        }
    }

    private let entries: Mutex<[Kind: [String: Entry]]>

    /// An index from the records of each kind.
    public init(_ records: [Kind: [Entry]]) {
        var table: [Kind: [String: Entry]] = [:]
        for kind in Self.kinds {
            var byKey: [String: Entry] = [:]
            for entry in records[kind] ?? [] { byKey[entry.key.lowercased()] = entry }
            table[kind] = byKey
        }
        entries = Mutex(table)
    }

    /// The record of `kind` named `key` (without regard to case), if Unleashed has it.
    public func entry(_ kind: Kind, _ key: String) -> Entry? {
        entries.withLock { $0[kind]?[key.lowercased()] }
    }

    /// Whether Unleashed has a record of `kind` named `key`.
    public func contains(_ kind: Kind, _ key: String) -> Bool { entry(kind, key) != nil }

    /// Adds (or replaces) a record the run created.
    public func add(_ kind: Kind, _ entry: Entry) {
        entries.withLock { $0[kind, default: [:]][entry.key.lowercased()] = entry }
    }

    /// How many records of `kind` the index holds.
    public func count(_ kind: Kind) -> Int { entries.withLock { $0[kind]?.count ?? 0 } }

    /// The warehouse codes, for the rules' `warehouse_exists`.
    public var warehouseCodes: Set<String> {
        entries.withLock { Set(($0[.warehouses] ?? [:]).values.map(\.key)) }
    }

    /// The entry a record of `kind` makes, nil when it has no key.
    public static func entry(_ kind: Kind, from json: JSONValue) -> Entry? {
        guard let key = json[kind.codeField]?.stringValue, !key.isEmpty else { return nil }
        return Entry(key: key, guid: json["Guid"]?.stringValue, sellable: json["IsSellable"]?.boolValue ?? true)
    }
}


extension UnleashedResource {
    /// How a message names one record of this kind: `warehouse`, `tax code`, …
    public var noun: String {
        switch self {
        case .warehouses: return "warehouse"
        case .taxes: return "tax code"
        case .currencies: return "currency"
        case .salespersons: return "sales person (by email)"
        case .salesOrderGroups: return "sales order group"
        case .deliveryMethods: return "delivery method"
        case .customers: return "customer"
        case .products: return "product"
        case .salesOrders: return "sales order"
        }
    }
}
