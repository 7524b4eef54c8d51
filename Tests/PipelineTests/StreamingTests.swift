import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// The streaming stages: chunks come out complete and strictly in input order, whatever the
/// number of worker threads; problems stay in place.
@Suite struct StreamingTests {
    /// A temporary JSON Lines batch of `count` orders, with a broken line after order 10.
    static func batch(_ count: Int) throws -> String {
        var text = ""
        for n in 0..<count {
            text += #"{"id":"o\#(n)","orderNumber":"OM\#(n)","properties":{"unleashed_customer_code":"C\#(n % 7)"}}"# + "\n"
            if n == 10 { text += "{broken\n" }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-stream-\(UUID().uuidString).ndjson").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [1, 2, 3])
    func parallelPlanningKeepsInputOrder(_ workers: Int) throws {
        let path = try Self.batch(1500)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pipeline = try Fixtures.shipped()
        let prefetcher = BatchPrefetcher(reader: try BatchReader(path: path), chunkSize: 7, depth: 2)
        let map = OrderedParallelMap<[String]>(source: prefetcher, workers: workers, depth: 3) { _, items in
            items.map { item in
                switch item {
                case .record(let record): return pipeline.plan(record).sourceNumber ?? "?"
                case .problem: return "problem"
                }
            }
        }
        var seen: [String] = []
        while let chunk = map.next() { seen.append(contentsOf: chunk) }
        let expected = (0..<1500).flatMap { n in n == 10 ? ["OM10", "problem"] : ["OM\(n)"] }
        #expect(seen == expected)
    }

    @Test func cancelledReadingEndsTheChunks() throws {
        let path = try Self.batch(200)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let prefetcher = BatchPrefetcher(reader: try BatchReader(path: path), chunkSize: 1, depth: 1)
        #expect(prefetcher.next()?.count == 1)
        prefetcher.cancel()
        #expect(prefetcher.next().map(\.count) == nil, "no chunk after cancel (and no wait for one that never comes)")
    }
}
