import Testing
@testable import Batch

/// Records larger than the reader's 2 MiB chunk, and escapes split across chunk boundaries.
struct ChunkBoundaryTests {
    static let roomy = JSONLimits(maxDepth: 128, maxStringBytes: 8 << 20, maxNumberLength: 256, maxRecordBytes: 64 << 20)

    /// A string body of `count` repetitions of `a\"` (an escaped quote every third byte).
    static func escapedBody(_ count: Int) -> String {
        String(repeating: #"a\""#, count: count)
    }

    @Test(arguments: [0, 1, 2])
    func escapesAcrossTheChunkBoundaryInAnArray(padding: Int) throws {
        let body = Self.escapedBody(900_000)
        let text = "[" + String(repeating: " ", count: padding) + #"{"id":"big","s":""# + body + #""},{"id":"after"}]"#
        let read = try BatchReading(text: text, limits: Self.roomy)
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.ids == ["big", "after"])
        let big = read.records[0].order
        let s = try #require(big.member(big.root, JSONKey("s")).flatMap(big.string))
        #expect(s.utf8.count == 1_800_000)
        #expect(s.hasPrefix("a\"a\""))
        #expect(read.records[1].offset == text.utf8.count - 15)
    }

    @Test func jsonLinesLineLongerThanAChunk() throws {
        let long = #"{"id":"long","s":""# + String(repeating: "x", count: 3_000_000) + "\"}"
        let text = "{\"id\":\"a\"}\n" + long + "\n{\"id\":\"b\"}\n"
        let read = try BatchReading(text: text, limits: Self.roomy)
        #expect(read.shape == .ndjson)
        #expect(read.ids == ["a", "long", "b"])
        #expect(read.records.map(\.line) == [1, 2, 3])
    }

    @Test func envelopeWithARecordBiggerThanAChunkAndLinesAfter() throws {
        let items = (0..<50_000).map { #"{"SKU":"S\#($0)","quantity":\#($0 % 9 + 1),"price":"1.2500"}"# }.joined(separator: ",\n")
        let text = "{\"meta\":{},\n\"data\":[\n{\"id\":\"huge\",\"lineItems\":[\n" + items + "\n]},\n{\"id\":\"next\"}\n]}\n"
        #expect(text.utf8.count > 2 << 20)
        let read = try BatchReading(text: text)
        #expect(read.problems.isEmpty)
        #expect(read.ids == ["huge", "next"])
        let huge = read.records[0].order
        #expect(huge.member(huge.root, JSONKey("lineItems")).map(huge.count) == 50_000)
        #expect(read.records[1].line == 50_000 + 5)
        #expect(read.records[1].column == 1)
    }

    @Test func fatalErrorAfterAChunkBoundaryHasFilePositions() throws {
        let filler = (0..<30_000).map { #"{"id":"r\#($0)","pad":"\#(String(repeating: "p", count: 60))"}"# }.joined(separator: ",\n")
        let text = "[\n" + filler + ",\n{\"id\":\"bad\",}\n]"
        let read = try BatchReading(text: text)
        #expect(read.records.count == 30_000)
        let problem = try #require(read.problems.first)
        #expect(problem.fatal)
        #expect(problem.record == 30_000)
        #expect(problem.line == 30_002)
        #expect(problem.column == 13)
        #expect(problem.offset == text.utf8.count - 3)
        #expect(problem.message == "invalid JSON in record 30000: trailing comma before '}'; reading stopped here after 30000 orders")
    }
}
