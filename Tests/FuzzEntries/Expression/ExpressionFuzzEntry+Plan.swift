import Batch
import Pipeline
import Rules

extension ExpressionFuzzEntry {
    /// Plans the order (the fuzzed one when it is a JSON object, else the default) and checks the plans.
    static func plan(_ orderBytes: [UInt8], with pipeline: CompiledPipeline, failures: inout [String]) {
        let order: JSONRecord
        if let fuzzed = try? JSONRecord(parsing: orderBytes), fuzzed.kind(fuzzed.root) == .object {
            order = fuzzed
        } else if let fixed = try? JSONRecord(parsing: Array(defaultOrder.utf8)) {
            order = fixed
        } else {
            failures.append("harness: the default order does not parse")
            return
        }
        let joined = try? JSONRecord(parsing: Array(customer.utf8))
        let record = BatchRecord(index: 0, order: order, customer: joined, offset: 0, line: 1, column: 1)
        for state in [OrderState.neverPushed, OrderState(facts: [.pushed, .changed])] {
            let plain = pipeline.plan(record, state: state)
            let explained = pipeline.plan(record, state: state, explain: true)
            let again = pipeline.plan(record, state: state)
            readable(plain.payload.bytes, "the payload", failures: &failures)
            var writer = JSONWriter()
            explained.write(to: &writer)
            readable(writer.bytes, "the explained preview record", failures: &failures)
            if plain.payload.bytes != explained.payload.bytes { failures.append("explaining changed the payload") }
            if plain.payload.bytes != again.payload.bytes || plain.action != again.action || plain.problems != again.problems {
                failures.append("planning twice gave different plans")
            }
            for problem in plain.problems where problem.message.isEmpty { failures.append("a problem without a message: \(problem.code)") }
        }
    }

    /// `bytes` read as one JSON document.
    static func readable(_ bytes: [UInt8], _ what: String, failures: inout [String]) {
        do {
            _ = try JSONValue.parse(bytes)
        } catch {
            failures.append("\(what) is not JSON: \(error): \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }
}
