import Testing
import Foundation
@testable import Batch

/// Every reader error path: exact message, position, record index, fatal or not, what was kept.
struct BatchProblemTests {
    func only(_ read: BatchReading) throws -> BatchProblem {
        try #require(read.problems.count == 1, "\(read.problems)")
        return read.problems[0]
    }

    @Test func jsonLinesRejectsABadLineAloneAndGoesOn() throws {
        let read = try BatchReading(text: "{\"id\":\"a\"}\n{\"id\":\"b\",}\n\n{\"id\":\"c\"}\n[1]\n{\"id\":\"d\"}\n")
        #expect(read.ids == ["a", "c", "d"])
        #expect(read.records.map(\.index) == [0, 2, 4])
        #expect(read.problems.count == 2)
        let first = read.problems[0]
        #expect(first.message == "trailing comma before '}'; this line was skipped, the other lines go on")
        #expect((first.record, first.line, first.column, first.offset, first.fatal) == (1, 2, 11, 21, false))
        let second = read.problems[1]
        #expect(second.message == "record 3 is an array, not an object; this line was skipped")
        #expect((second.record, second.line, second.column) == (3, 5, 1))
    }

    @Test func arraySyntaxErrorKeepsEarlierRecordsAndStops() throws {
        let read = try BatchReading(text: #"[{"id":"a"},{"id":"b"},{"id":"c",},{"id":"d"}]"#)
        #expect(read.ids == ["a", "b"])
        let problem = try only(read)
        #expect(problem.message == "invalid JSON in record 2: trailing comma before '}'; reading stopped here after 2 orders")
        #expect((problem.record, problem.offset, problem.column, problem.fatal) == (2, 33, 34, true))
        #expect(problem.description == "line 1, column 34 (byte 33), record 2: " + problem.message)
    }

    @Test func envelopeSyntaxErrorOnALaterLine() throws {
        let read = try BatchReading(text: "{\"meta\":{},\n\"data\":[\n{\"id\":\"a\"},\n{\"id\":\"b\" \"x\":1}\n]}")
        #expect(read.shape == .envelope)
        #expect(read.ids == ["a"])
        let problem = try only(read)
        #expect(problem.message == "invalid JSON in record 1: expected ',' or '}' after object member, found character '\"'; reading stopped here after 1 order")
        #expect((problem.record, problem.line, problem.column, problem.fatal) == (1, 4, 11, true))
    }

    @Test(arguments: [
        (#"[{"id":"a"} {"id":"b"}]"#, "expected ',' or ']' after array element, found character '{'; reading stopped here after 1 order", 12),
        (#"[{"id":"a"},]"#, "trailing comma before ']'; reading stopped here after 1 order", 12),
        (#"[{"id":"a"}"#, "unexpected end of input: the array opened at byte 0 is not closed; reading stopped here after 1 order", 11),
        (#"[{"id":"a"},{"id":"#, "unexpected end of input inside record 1, which starts at line 1, column 13; reading stopped here after 1 order", 18),
        (#"[{"id":"a"}] x"#, "unexpected character 'x' after the end of the JSON document; reading stopped here after 1 order", 13),
        (#"{"data":[{"id":"a"}],"meta" {}}"#, "expected ':' after object key, found character '{'; reading stopped here after 1 order", 28),
        (#"{"data":[{"id":"a"}],}"#, "trailing comma before '}'; reading stopped here after 1 order", 21),
        (#"{"data":[{"id":"a"}]"#, "unexpected end of input: the object opened at byte 0 is not closed; reading stopped here after 1 order", 20),
        (#"{"data":[{"id":"a"}],"links":{"x":01}}"#, "invalid number: leading zeros are not allowed; reading stopped here after 1 order", 34),
    ])
    func fatalStructureErrors(_ text: String, _ message: String, _ offset: Int) throws {
        let read = try BatchReading(text: text)
        #expect(read.ids == ["a"])
        let problem = try only(read)
        #expect(problem.message == message)
        #expect(problem.offset == offset)
        #expect(problem.fatal)
    }

    @Test func nonObjectRecordIsSkippedNotFatal() throws {
        let read = try BatchReading(text: #"[{"id":"a"}, 5, "x", {"id":"b"}]"#)
        #expect(read.ids == ["a", "b"])
        #expect(read.records.map(\.index) == [0, 3])
        #expect(read.problems.map(\.message) == ["record 1 is a number, not an object; skipped", "record 2 is a string, not an object; skipped"])
        #expect(read.problems.allSatisfy { !$0.fatal })
    }

    @Test func limitsSkipOneRecordAndGoOn() throws {
        let limits = JSONLimits(maxDepth: 3, maxStringBytes: 8, maxNumberLength: 5, maxRecordBytes: 40)
        let text = #"[{"id":"a"},{"id":"b","x":[[[1]]]},{"id":"toolongstring"},{"id":"c","n":123456},{"id":"d","p1":"1234567","p2":"12345678"},{"id":"e"}]"#
        let read = try BatchReading(text: text, limits: limits)
        #expect(read.ids == ["a", "e"])
        #expect(read.records.map(\.index) == [0, 5])
        #expect(read.problems.map(\.message) == [
            "nesting deeper than 3 levels (JSONLimits.maxDepth) in record 1; skipped",
            "string of 13 bytes is over the limit of 8 (JSONLimits.maxStringBytes) in record 2; skipped",
            "number of 6 characters is over the limit of 5 (JSONLimits.maxNumberLength) in record 3; skipped",
            "record 4 is 41 bytes, over the limit of 40 (JSONLimits.maxRecordBytes); skipped",
        ])
        #expect(read.problems.map(\.record) == [1, 2, 3, 4])
        #expect(read.problems.allSatisfy { !$0.fatal })
    }

    @Test func jsonLinesLineOverTheRecordLimit() throws {
        let limits = JSONLimits(maxDepth: 8, maxStringBytes: 100, maxNumberLength: 10, maxRecordBytes: 12)
        let read = try BatchReading(text: "{\"id\":\"a\"}\n{\"id\":\"bbbbbbbbbb\"}\n{\"id\":\"c\"}\n", limits: limits)
        #expect(read.ids == ["a", "c"])
        #expect(read.problems.map(\.message) == ["line of 19 bytes is over the limit of 12 (JSONLimits.maxRecordBytes); this line was skipped, the other lines go on"])
    }

    @Test func deeplyNestedRecordIsAProblemNotACrash() throws {
        let deep = String(repeating: "[", count: 500_000) + String(repeating: "]", count: 500_000)
        let read = try BatchReading(text: "[{\"id\":\"a\"},{\"x\":\(deep)},{\"id\":\"b\"}]")
        #expect(read.ids == ["a", "b"])
        #expect(read.problems.map(\.message) == ["nesting deeper than 128 levels (JSONLimits.maxDepth) in record 1; skipped"])
    }

    @Test func exportCustomerWithoutIdIsReported() throws {
        let read = try BatchReading(text: #"{"customers":[{"id":"c1","name":"A"},{"name":"no id"}],"orders":[{"id":"o1","purchaserId":"c1"}]}"#)
        #expect(read.customerNames == ["A"])
        #expect(read.customerCount == 1)
        let problem = try only(read)
        #expect(problem.message == "customer 1 has no string or number \"id\", so no order can join it; skipped")
        #expect(problem.record == nil && !problem.fatal && problem.offset == 37)
    }

    @Test func unreadableFilesThrow() throws {
        let missing = try #require(throws: BatchProblem.self) { try BatchReader(path: "/nonexistent/batch.json") }
        #expect(missing.message == "cannot open /nonexistent/batch.json: No such file or directory")
        let directory = try #require(throws: BatchProblem.self) { try BatchReader(path: TemporaryFile.directory) }
        #expect(directory.message == "cannot read \(TemporaryFile.directory): Is a directory")
    }

    @Test func anUnreadableDescriptorIsNamedAndLeftOpen() throws {
        let fd = open(TemporaryFile.directory, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let problem = try #require(throws: BatchProblem.self) { try BatchReader(descriptor: fd, path: "exports/") }
        #expect(problem.message == "cannot read exports/: Is a directory")
        #expect(fcntl(fd, F_GETFD) >= 0, "the caller's descriptor is not closed")
    }
}
