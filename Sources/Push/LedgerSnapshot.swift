import Batch
import Ledger
import Pipeline

/// The ledger's order rows read once, for a ledger-aware preview: each order is planned with
/// the facts the ledger knows (`pushed`, `changed`, a recorded block), without asking Unleashed.
public struct LedgerSnapshot: Sendable {
    /// The rows by Ordermentum order id.
    public let rows: [String: OrderRecord]

    /// A snapshot of the given rows.
    public init(rows: [String: OrderRecord]) {
        self.rows = rows
    }

    /// Every order row of `ledger`.
    public static func load(from ledger: any Ledger) async throws -> LedgerSnapshot {
        let rows = try await ledger.orders(OrderFilter())
        return LedgerSnapshot(rows: Dictionary(rows.map { ($0.sourceID, $0) }, uniquingKeysWith: { _, last in last }))
    }

    /// The Ordermentum order `id` of `record` (the key of `rows`), nil when it has none.
    public static func sourceID(of record: BatchRecord) -> String? {
        OrderPusher.sourceID(of: record)
    }

    /// The plan of `record` with the ledger's facts.
    public func plan(_ record: BatchRecord, pipeline: CompiledPipeline, reference: ReferenceData, explain: Bool) -> OrderPlan {
        let row = OrderPusher.sourceID(of: record).flatMap { rows[$0] }
        return FactFinder(pipeline: pipeline, reference: reference).basePlan(record, row: row, explain: explain).plan
    }
}
