import Foundation

/// One row of a ledger, whatever its table: what `omsync ledger export` writes (one JSON object
/// a line) and `omsync ledger import` reads, to move a ledger between backends.
///
/// The form is `{"table":"orders","row":{…}}`; rows keep their ids (runs, log rows), so the
/// orders' and log rows' run ids stay right. The import lock is not a row: it belongs to a
/// running process, not to the ledger's history.
public enum LedgerRow: Sendable, Hashable, Codable {
    case order(OrderRecord)
    case customerMapping(CustomerMapping)
    case createdProduct(CreatedProduct)
    case reference(CachedReference)
    case run(ImportRun)
    case calls(month: String, counts: [String: Int])
    case log(LogEntry)
    case payload(PushedPayload)

    /// The table names, in the order an export writes them.
    public static let tables = ["orders", "customer_mappings", "created_products", "reference_data", "import_runs", "api_calls", "integration_log", "pushed_payloads"]

    /// The row's table name.
    public var table: String {
        switch self {
        case .order: return "orders"
        case .customerMapping: return "customer_mappings"
        case .createdProduct: return "created_products"
        case .reference: return "reference_data"
        case .run: return "import_runs"
        case .calls: return "api_calls"
        case .log: return "integration_log"
        case .payload: return "pushed_payloads"
        }
    }

    private enum Key: String, CodingKey { case table, row, month, counts }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let table = try c.decode(String.self, forKey: .table)
        switch table {
        case "orders": self = .order(try c.decode(OrderRecord.self, forKey: .row))
        case "customer_mappings": self = .customerMapping(try c.decode(CustomerMapping.self, forKey: .row))
        case "created_products": self = .createdProduct(try c.decode(CreatedProduct.self, forKey: .row))
        case "reference_data": self = .reference(try c.decode(CachedReference.self, forKey: .row))
        case "import_runs": self = .run(try c.decode(ImportRun.self, forKey: .row))
        case "api_calls": self = .calls(month: try c.decode(String.self, forKey: .month), counts: try c.decode([String: Int].self, forKey: .counts))
        case "integration_log": self = .log(try c.decode(LogEntry.self, forKey: .row))
        case "pushed_payloads": self = .payload(try c.decode(PushedPayload.self, forKey: .row))
        default:
            throw DecodingError.dataCorruptedError(forKey: .table, in: c, debugDescription: "unknown table '\(table)' (known: \(Self.tables.joined(separator: ", ")))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(table, forKey: .table)
        switch self {
        case .order(let r): try c.encode(r, forKey: .row)
        case .customerMapping(let r): try c.encode(r, forKey: .row)
        case .createdProduct(let r): try c.encode(r, forKey: .row)
        case .reference(let r): try c.encode(r, forKey: .row)
        case .run(let r): try c.encode(r, forKey: .row)
        case .calls(let month, let counts):
            try c.encode(month, forKey: .month)
            try c.encode(counts, forKey: .counts)
        case .log(let r): try c.encode(r, forKey: .row)
        case .payload(let r): try c.encode(r, forKey: .row)
        }
    }
}

extension Ledger {
    /// Every row, table by table in `LedgerRow.tables` order, each table in key order
    /// (orders by id, runs and log rows by id): the same ledger always exports the same lines.
    public func exportRows() async throws -> [LedgerRow] {
        var rows: [LedgerRow] = []
        rows += try await orders(OrderFilter()).sorted { $0.sourceID < $1.sourceID }.map(LedgerRow.order)
        rows += try await customerMappings().map(LedgerRow.customerMapping)
        rows += try await createdProducts().map(LedgerRow.createdProduct)
        for kind in try await referenceKinds() {
            if let reference = try await referenceData(kind: kind) { rows.append(.reference(reference)) }
        }
        rows += try await runs(limit: Int.max).sorted { $0.id < $1.id }.map(LedgerRow.run)
        for month in try await callMonths() {
            rows.append(.calls(month: month, counts: try await calls(month: month)))
        }
        rows += try await logs(LogFilter()).map(LedgerRow.log)
        rows += try await payloads().sorted { ($0.sourceID, $0.hash) < ($1.sourceID, $1.hash) }.map(LedgerRow.payload)
        return rows
    }
}
