import Batch
import Foundation
import Pipeline
import Rules

/// Collects what `omsync preview` shows: writes ndjson records as they come, keeps the json
/// records and text detail until the summary (which comes first) is known, and counts.
struct PreviewReport {
    let format: PreviewFormat
    let color: Bool
    let multipleBatches: Bool
    private(set) var orders = 0
    private(set) var counts: [Action: Int] = [:]
    private(set) var problemCount = 0
    private(set) var ordersWithErrors = 0
    /// The invalid orders with their reasons, for the text summary (not kept for json/ndjson).
    private(set) var invalid: [String] = []
    private(set) var batchProblems: [(path: String, problem: BatchProblem)] = []
    private var writer = JSONWriter()
    private var ordersJSON = JSONWriter()
    private var detail = ""
    private var path = ""
    /// The html format: the summary's invalid list (at most `PreviewHTML.invalidListLimit`),
    /// the batches read, and whether the head was written.
    private(set) var htmlInvalid: [String] = []
    private var batchPaths: [String] = []
    private var htmlStarted = false

    init(format: PreviewFormat, color: Bool, multipleBatches: Bool) {
        self.format = format
        self.color = color
        self.multipleBatches = multipleBatches
        ordersJSON.beginArray()
    }

    /// True when the exit code is 1: some order has errors, or the batch had problems.
    var failed: Bool { ordersWithErrors > 0 || !batchProblems.isEmpty }

    mutating func beginBatch(_ path: String, sink: OutputSink) {
        self.path = path
        batchPaths.append(path)
        if format == .html {
            startHTML()
            if multipleBatches { writer.bytes.append(contentsOf: PreviewHTML.batchHeading(path).utf8) }
        }
        if format == .text && multipleBatches {
            detail += PreviewText.heading("== \(path) ==", color: color) + "\n"
        }
    }

    /// Counts a planned chunk and writes (or keeps) its output.
    mutating func add(_ chunk: PreviewChunk, path: String, sink: OutputSink) {
        for item in chunk.items {
            switch item {
            case .plan(let plan): add(plan, sink: sink, rendered: format == .ndjson || format == .html)
            case .problem(let problem): add(problem, path: path)
            }
        }
        if format == .ndjson || format == .html {
            writer.bytes.append(contentsOf: format == .html ? chunk.html : chunk.ndjson)
            if writer.bytes.count >= 1 << 18 { sink.write(&writer) }
        }
    }

    mutating func add(_ plan: OrderPlan, sink: OutputSink, rendered: Bool = false) {
        orders += 1
        counts[plan.action, default: 0] += 1
        problemCount += plan.problems.count
        if plan.hasErrors || plan.action == .invalid {
            ordersWithErrors += 1
        }
        if plan.action == .invalid && format == .text {
            // Only the text summary lists them (ndjson memory must not grow with the batch).
            // The heading names the order; the reasons are the problems' own messages.
            let reasons = plan.problems.filter { $0.severity == .error }.map { "    - " + TerminalText.escaped($0.message) }
            let where_ = multipleBatches ? "\(TerminalText.escaped(path)): " : ""
            invalid.append("  \(where_)\(TerminalText.escaped(plan.sourceNumber ?? "?")) (index \(plan.index))\n" + reasons.joined(separator: "\n"))
        }
        switch format {
        case .ndjson:
            if !rendered {
                plan.write(to: &writer)
                writer.newline()
                if writer.bytes.count >= 1 << 18 { sink.write(&writer) }
            }
        case .json:
            plan.write(to: &ordersJSON)
        case .text:
            detail += PreviewText.order(plan, color: color)
        case .html:
            let batch = batchPaths.count - 1
            if plan.action == .invalid && htmlInvalid.count < PreviewHTML.invalidListLimit {
                htmlInvalid.append(PreviewHTML.invalidEntry(plan, batch: batch, path: multipleBatches ? path : nil))
            }
            if !rendered {
                writer.bytes.append(contentsOf: PreviewHTML.order(plan, batch: batch).utf8)
                if writer.bytes.count >= 1 << 18 { sink.write(&writer) }
            }
        }
    }

    private mutating func startHTML() {
        guard !htmlStarted else { return }
        htmlStarted = true
        writer.bytes.append(contentsOf: PreviewHTML.head().utf8)
    }

    mutating func add(_ problem: BatchProblem, path: String) {
        batchProblems.append((path, problem))
        if format == .ndjson {
            StandardError.write("omsync preview: \(path):\(problem.line):\(problem.column): \(problem.message)\n")
        }
    }

    mutating func finish(sink: OutputSink) {
        switch format {
        case .ndjson:
            break
        case .json:
            ordersJSON.endArray()
            writer.beginObject()
            writer.key("summary")
            writer.beginObject()
            writer.planSummaryMembers(orders: orders, counts: counts, problems: problemCount, ordersWithErrors: ordersWithErrors)
            writer.key("batchProblems")
            writer.int(batchProblems.count)
            writer.endObject()
            writer.key("orders")
            writer.raw(ordersJSON.bytes)
            writer.key("batchProblems")
            writer.beginArray()
            for (path, problem) in batchProblems {
                writer.beginObject()
                writer.key("file")
                writer.string(path)
                writer.key("record")
                if let record = problem.record { writer.int(record) } else { writer.null() }
                writer.key("line")
                writer.int(problem.line)
                writer.key("column")
                writer.int(problem.column)
                writer.key("message")
                writer.string(problem.message)
                writer.key("fatal")
                writer.bool(problem.fatal)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            writer.newline()
        case .html:
            startHTML()
            writer.bytes.append(contentsOf: PreviewHTML.tail(self, batches: batchPaths).utf8)
        case .text:
            let summary = PreviewText.summary(self)
            writer.bytes.append(contentsOf: summary.utf8)
            writer.bytes.append(contentsOf: detail.utf8)
        }
        sink.write(&writer)
    }
}
