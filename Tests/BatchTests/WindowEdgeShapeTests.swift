import Foundation
import Testing
@_spi(Testing) import Batch

/// Found by fuzzing (`fuzz-batch`, docs/reliability.md "Fuzzing"): the shape of a batch whose
/// first line is '{…' depended on where the reader's 2 MiB window ended. When the first line's
/// newline was the window's last byte (or the blank lines after it ran past the window), the next
/// line was never looked at, and a JSON Lines file with a broken first line was read as one
/// broken object: every order after it lost. And standard input with more than a window of
/// leading blanks before a '{' was spooled without the blanks, so every position after it was
/// off by the blanks' length.
struct WindowEdgeShapeTests {
    static let window = 2 << 20

    /// A broken first order (an unterminated string) whose line, with its newline, is `length` bytes.
    static func brokenFirstLine(length: Int) -> String {
        let head = #"{"id":"a","s":""#
        return head + String(repeating: "x", count: length - head.utf8.count - 1) + "\n"
    }

    @Test(arguments: [0, 1, 5])
    func aBrokenFirstLineEndingAtTheWindowsEndIsStillJSONLines(blankLines: Int) throws {
        // The first line fills the window exactly; blank lines (if any) start the next window.
        let text = Self.brokenFirstLine(length: Self.window) + String(repeating: "  \n", count: blankLines) + #"{"id":"b"}"# + "\n"
        let reading = try BatchReading(text: text)
        #expect(reading.shape == .ndjson)
        #expect(reading.ids == ["b"])
        #expect(reading.problems.count == 1)
        #expect(reading.problems.first?.fatal == false, "\(reading.problems)")
        #expect(reading.problems.first?.line == 1)
    }

    @Test func blankLinesRunningPastTheWindowAfterOneOrderLeaveOneOrder() throws {
        let order = #"{"id":"a"}"# + "\n"
        let text = order + String(repeating: " ", count: Self.window) + "\n"
        let reading = try BatchReading(text: text)
        #expect(reading.shape == .single)
        #expect(reading.ids == ["a"])
        #expect(reading.problems.isEmpty, "\(reading.problems)")
    }

    /// The input the fuzzer found (shrunk): a 58-byte window ended at the first newline.
    @Test(arguments: [16, 30, 58, 59, 64, 79])
    func theShapeDoesNotDependOnTheWindow(chunk: Int) throws {
        let text = #"{"id":",d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e01","orderNumbe["# + "\n  {\"id\": \"b\"}\n"
        let path = try TemporaryFile.write(Array(text.utf8), name: "window.json")
        defer { TemporaryFile.remove(path) }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let small = BatchReading(try BatchReader(descriptor: fd, path: path, chunkSize: chunk))
        let whole = try BatchReading(text: text)
        #expect(whole.shape == .ndjson)
        #expect(small.shape == whole.shape)
        #expect(small.ids == whole.ids)
        #expect(small.problems.map(\.message) == whole.problems.map(\.message))
    }

    /// Reads `text` from a pipe, `chunk` bytes at a time.
    static func readPipe(_ text: String, chunk: Int) throws -> BatchReading {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == bytes.count)
        close(ends[1])
        defer { close(ends[0]) }
        return BatchReading(try BatchReader(descriptor: ends[0], path: "-", chunkSize: chunk))
    }

    @Test(arguments: [16, 40, 100])
    func standardInputPastAWindowOfBlanksKeepsItsPositions(blanks: Int) throws {
        let text = " " + String(repeating: "\r\n", count: blanks / 2) + #"{"meta":{},"data":[{"id":"a"},{"id":"b" "x"}]}"#
        let file = try BatchReading(text: text)
        let piped = try Self.readPipe(text, chunk: 16)
        #expect(file.shape == .envelope)
        #expect(piped.shape == file.shape)
        #expect(piped.ids == ["a"])
        #expect(piped.records.map(\.offset) == file.records.map(\.offset))
        #expect(piped.records.map(\.line) == file.records.map(\.line))
        #expect(piped.problems.map(\.offset) == file.problems.map(\.offset))
        #expect(piped.problems.map(\.line) == file.problems.map(\.line))
        #expect(piped.problems.map(\.column) == file.problems.map(\.column))
    }
}
