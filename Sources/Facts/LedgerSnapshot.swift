import Batch
import Ledger
import Pipeline

/// The ledger's order rows read once, for a ledger-aware preview: each order is planned with
/// the facts the ledger knows (`pushed`, `changed`, a recorded block), without asking Unleashed.
public struct LedgerSnapshot: Sendable {
    /// The rows by Ordermentum order id.
    public let rows: [String: OrderRecord]
    /// The customer mappings set by hand, applied as the import applies them.
    public let manual: ManualMappings

    /// A snapshot of the given rows.
    public init(rows: [String: OrderRecord], manual: ManualMappings = .none) {
        self.rows = rows
        self.manual = manual
    }

    /// Every order row of `ledger`, and its customer mappings set by hand.
    public static func load(from ledger: any Ledger) async throws -> LedgerSnapshot {
        let rows = try await ledger.orders(OrderFilter())
        return LedgerSnapshot(rows: Dictionary(rows.map { ($0.sourceID, $0) }, uniquingKeysWith: { _, last in last }),
                              manual: try await ManualMappings.load(from: ledger))
    }
}
