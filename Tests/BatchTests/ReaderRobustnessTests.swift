import TestSupport
import Testing
import Foundation
@testable import Batch

/// The reader on thousands of damaged batches (deterministic byte mutations of the samples):
/// it never crashes or loops, and what it reports is consistent.
struct ReaderRobustnessTests {
    static let noise: [UInt8] = Array(#"[]{}",:\ 0-1.eEtfnu"#.utf8) + [0x0A, 0x00, 0xFF, 0xC3, 0xED]

    @Test(arguments: ["array.json", "orders.ndjson", "envelope.json", "export.json", "export-customers-first.json", "single.json"])
    func damagedSamplesAreReportedNotCrashedOn(_ file: String) throws {
        let original = try TemporaryFile.read(BatchSummaryTests.samples + "/" + file)
        var random = SplitMix64(seed: UInt64(file.utf8.count) &* 7919)
        var fatalSeen = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + random.below(3)) {
                let at = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(Self.noise[random.below(Self.noise.count)], at: at)
                default: bytes[at] = Self.noise[random.below(Self.noise.count)]
                }
            }
            let read = try BatchReading(bytes: bytes, name: file)
            for problem in read.problems {
                #expect(problem.offset >= 0 && problem.offset <= bytes.count)
                #expect(problem.line >= 1 && problem.column >= 1)
                #expect(!problem.message.isEmpty)
            }
            let fatal = read.problems.filter(\.fatal)
            #expect(fatal.count <= 1)
            if let last = read.problems.last, fatal.count == 1 { #expect(last.fatal) }
            fatalSeen += fatal.count
            for record in read.records {
                #expect(record.offset < bytes.count)
                #expect(record.order.kind(record.order.root) == .object)
            }
            let indexes = read.records.map(\.index)
            #expect(indexes == indexes.sorted() && Set(indexes).count == indexes.count)
        }
        if file != "orders.ndjson" { #expect(fatalSeen > 0, "mutations exercise the fatal paths") }
    }
}
