import Batch
import Foundation
import Push

/// The final summary of an import, as text for people or JSON for scripts.
enum ImportSummaryText {
    /// The summary as lines of text.
    static func text(_ summary: PushSummary, ledgerArguments: String) -> String {
        var lines: [String] = []
        let state = summary.stopped == nil ? "finished" : "stopped"
        let resumed = summary.resumedFrom.map { " (resumed at record \($0 + 1))" } ?? ""
        lines.append("import: run \(summary.runID) \(state) after \(String(format: "%.1f", summary.elapsed)) s\(resumed); \(summary.total) records")
        if let holder = summary.lockTakenOver {
            lines.append("  took over the lock of a stopped import (\(holder))")
        }
        for outcome in PushOutcome.allCases {
            guard let count = summary.counts[outcome], count > 0 else { continue }
            lines.append("  " + outcome.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + String(count))
        }
        if summary.warned > 0 {
            lines.append("  warnings    \(summary.warned) (orders pushed with warnings: `omsync logs --errors\(ledgerArguments)` lists them)")
        }
        let calls = summary.calls.values.reduce(0, +)
        lines.append("  API calls   \(calls)")
        if let stopped = summary.stopped {
            lines.append("omsync import: \(stopped)")
        }
        if summary.hasProblems {
            let ledgerOption = ledgerArguments
            lines.append("problems: `omsync logs --errors\(ledgerOption)` says why; `omsync retry\(ledgerOption)` pushes the failed orders again")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as one JSON object.
    static func json(_ summary: PushSummary) -> String {
        var counts = JSONObject()
        for outcome in PushOutcome.allCases { counts[outcome.rawValue] = .number(JSONNumber(summary.counts[outcome] ?? 0)) }
        var calls = JSONObject()
        for key in summary.calls.keys.sorted() { calls[key] = .number(JSONNumber(summary.calls[key] ?? 0)) }
        var object = JSONObject()
        object["run"] = .number(JSONNumber(Int(summary.runID)))
        object["resumedFrom"] = summary.resumedFrom.map { .number(JSONNumber($0)) } ?? .null
        object["total"] = .number(JSONNumber(summary.total))
        object["counts"] = .object(counts)
        object["warned"] = .number(JSONNumber(summary.warned))
        object["calls"] = .object(calls)
        object["batches"] = .array(summary.byBatch.map { batch in
            var counts = JSONObject()
            for outcome in PushOutcome.allCases { counts[outcome.rawValue] = .number(JSONNumber(batch.counts[outcome] ?? 0)) }
            return .object(JSONObject([("path", .string(batch.path)), ("counts", .object(counts))]))
        })
        object["stopped"] = summary.stopped.map { .string($0.description) } ?? .null
        object["elapsedSeconds"] = .number(JSONNumber(ExactDecimal(significand: Int128(summary.elapsed * 1000), scale: 3)))
        return JSONValue.object(object).serialized() + "\n"
    }
}
