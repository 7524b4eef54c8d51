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

    /// The Ordermentum order `id` of `record` (the key of `rows`), nil when it has none.
    public static func sourceID(of record: BatchRecord) -> String? {
        OrderPusher.sourceID(of: record)
    }

    /// The plan of `record` with the ledger's facts and its customer mappings set by hand.
    public func plan(_ record: BatchRecord, pipeline: CompiledPipeline, reference: ReferenceData, explain: Bool) -> OrderPlan {
        let row = OrderPusher.sourceID(of: record).flatMap { rows[$0] }
        return FactFinder(pipeline: pipeline, reference: reference).basePlan(mapped(record, pipeline: pipeline), row: row, explain: explain).plan
    }

    /// `record` with its customer's mapping set by hand applied (as it is when the mapping cannot be applied).
    public func mapped(_ record: BatchRecord, pipeline: CompiledPipeline) -> BatchRecord {
        (try? manual.apply(to: record, tag: pipeline.customerCodeTag)) ?? record
    }
}
