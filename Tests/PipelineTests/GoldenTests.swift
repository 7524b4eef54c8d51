import Batch
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// Every sample batch through the shipped rules, compared with `Golden/<name>.ndjson`
/// (TestSupport's `Golden`: `OMSYNC_RECORD=1` rewrites the golden files, and fails).
@Suite struct GoldenTests {
    /// `Tests/PipelineTests/Golden/<name>`.
    static func golden(_ name: String) -> URL { Project.url("Tests/PipelineTests/Golden/" + name) }

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
        Golden.check(try Self.preview(name), file: Self.golden("\(stem).ndjson"))
    }

    /// `--explain` on one sample: where every field came from, as the spec in examples.
    @Test func explainedSample() throws {
        Golden.check(try Self.preview("orders.ndjson", explain: true, warehouses: ["OM_DELETE"]),
                     file: Self.golden("orders.explain.ndjson"))
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
