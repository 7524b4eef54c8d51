import Batch
import Pipeline
import Facts

/// One chunk of a batch, planned on a worker thread (and, for ndjson, already rendered).
struct PreviewChunk: Sendable {
    enum Item: Sendable {
        case plan(OrderPlan)
        case problem(BatchProblem)
    }

    var items: [Item] = []
    /// The ndjson lines of the chunk's plans, when rendered.
    var ndjson: [UInt8] = []
    /// The html sections of the chunk's plans, when rendered (`renderHTML` is the batch's position).
    var html: [UInt8] = []

    /// Plans `batchItems` on the one facts path, with what its source knows of each order.
    init(_ batchItems: [BatchItem], facts: FactFinder, batch: Int, explain: Bool,
         renderNDJSON: Bool, renderHTML: Int? = nil) {
        var writer = JSONWriter()
        items.reserveCapacity(batchItems.count)
        for item in batchItems {
            switch item {
            case .record(let record):
                let plan = facts.plan(record, at: NewestCopies.Position(batch: batch, index: record.index), explain: explain)
                if renderNDJSON {
                    plan.write(to: &writer)
                    writer.newline()
                }
                if let batch = renderHTML {
                    html.append(contentsOf: PreviewHTML.order(plan, batch: batch).utf8)
                }
                items.append(.plan(plan))
            case .problem(let problem):
                items.append(.problem(problem))
            }
        }
        ndjson = writer.bytes
    }
}
