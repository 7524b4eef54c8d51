import Batch
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// Every sample batch through the shipped rules, compared with `Golden/<name>.ndjson`.
/// `OMSYNC_RECORD=1` rewrites the golden files (and fails, so a recording is never a pass).
@Suite struct GoldenTests {
    static var samples: [String] {
        let dir = Project.url("samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") || $0.hasSuffix(".jsonl") }.sorted()
    }

    @Test func thereAreSamples() {
        #expect(Self.samples.count >= 4)
    }

    @Test(arguments: samples)
    func sample(_ name: String) throws {
        let stem = (name as NSString).deletingPathExtension
        try Golden.check(try Self.preview(name), file: "Golden/\(stem).ndjson")
    }

    /// `--explain` on one sample: where every field came from, as the spec in examples.
    @Test func explainedSample() throws {
        try Golden.check(try Self.preview("orders.ndjson", explain: true, warehouses: ["OM_DELETE"]),
                         file: "Golden/orders.explain.ndjson")
    }

    /// The preview records of a sample through the shipped rules, rule paths made relative.
    static func preview(_ name: String, explain: Bool = false, warehouses: Set<String> = []) throws -> String {
        let pipeline = try Fixtures.shipped()
        let path = Project.path("samples/\(name)")
        let reader = try BatchReader(path: path)
        var writer = JSONWriter()
        while let item = reader.next() {
            switch item {
            case .record(let record):
                pipeline.plan(record, reference: ReferenceData(warehouses: warehouses), explain: explain).write(to: &writer)
            case .problem(let problem):
                writer.beginObject()
                writer.key("batchProblem")
                writer.string("\(problem.line):\(problem.column): \(problem.message)")
                writer.endObject()
            }
            writer.newline()
        }
        // Rule locations name the rules directory as given; keep the goldens machine-independent.
        return String(decoding: writer.bytes, as: UTF8.self).replacingOccurrences(of: Project.root.path + "/", with: "")
    }
}

/// Golden-file comparison with a record mode and a readable diff.
enum Golden {
    static var directory: URL { Project.url("Tests/PipelineTests") }

    /// Compares `actual` with the golden file; records it when `OMSYNC_RECORD=1` (and fails).
    static func check(_ actual: String, file: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["OMSYNC_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(file); run again without OMSYNC_RECORD to check it", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(file); record it with OMSYNC_RECORD=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("\(file) differs:\n\(diff(expected: expected, actual: actual))", sourceLocation: sourceLocation)
        }
    }

    /// The first differing lines, each side shown around the first differing character.
    static func diff(expected: String, actual: String, limit: Int = 3) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) where out.count < limit * 3 {
            let x = i < e.count ? String(e[i]) : "<no line>"
            let y = i < a.count ? String(a[i]) : "<no line>"
            guard x != y else { continue }
            let common = zip(x, y).prefix { $0 == $1 }.count
            let from = max(0, common - 60)
            out.append("line \(i + 1), from character \(common + 1):")
            out.append("  expected: …\(x.dropFirst(from).prefix(240))")
            out.append("  actual:   …\(y.dropFirst(from).prefix(240))")
        }
        if e.count != a.count { out.append("expected \(e.count) lines, got \(a.count)") }
        return out.joined(separator: "\n")
    }
}
