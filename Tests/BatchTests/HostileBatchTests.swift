import Batch
import Foundation
import Testing

/// Issue 7, items 11, 12, 14 and the file-level message: hostile or careless batches.
@Suite struct HostileBatchTests {
    // 11. UTF-16 and UTF-32 batches are named as such, with what to do, instead of "unexpected byte 0xFF".
    @Test(arguments: [
        ("utf-16", [0xFF, 0xFE] as [UInt8], "UTF-16 (little-endian, with a byte-order mark)"),
        ("utf-16be", [0xFE, 0xFF], "UTF-16 (big-endian, with a byte-order mark)"),
        ("utf-16le", [], "UTF-16 (little-endian, no byte-order mark)"),
        ("utf-16be", [], "UTF-16 (big-endian, no byte-order mark)"),
        ("utf-32le", [], "UTF-32 (little-endian, no byte-order mark)"),
    ] as [(String, [UInt8], String)])
    func wideEncodingsAreNamed(_ encoding: String, _ bom: [UInt8], _ expected: String) throws {
        let text = #"[{"id":"a","orderNumber":"OM1"}]"#
        let body: [UInt8]
        switch encoding {
        case "utf-16be": body = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case "utf-32le": body = text.unicodeScalars.flatMap { [UInt8($0.value & 0xFF), 0, 0, 0] }
        default: body = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
        let path = try TemporaryFile.write(bom + body)
        defer { TemporaryFile.remove(path) }
        do {
            _ = try BatchReader(path: path)
            Issue.record("a \(encoding) batch was opened")
        } catch {
            #expect(error.message.contains("is \(expected), not UTF-8"), "\(error.message)")
            #expect(error.message.contains("iconv -f UTF-"), "says what to do: \(error.message)")
            #expect(!error.hasPosition)
            #expect(error.description == error.message, "no fake position: \(error.description)")
        }
    }

    @Test func ordinaryUTF8WithABOMStillReads() throws {
        let reading = try BatchReading(bytes: [0xEF, 0xBB, 0xBF] + Array(#"[{"id":"a"}]"#.utf8))
        #expect(reading.records.count == 1)
        #expect(reading.problems.isEmpty)
    }

    // The cosmetic one: file-open errors carry no "line 1, column 1 (byte 0):" prefix.
    @Test func fileLevelProblemsHaveNoPosition() throws {
        do {
            _ = try BatchReader(path: TemporaryFile.directory + "/does-not-exist.json")
            Issue.record("opened a missing file")
        } catch {
            #expect(error.description.hasPrefix("cannot open "), "\(error.description)")
            #expect(!error.description.contains("byte 0"))
        }
    }

    // 12. An export order whose purchaserId matches no customer is marked as such.
    @Test func anExportOrderWithAnUnknownCustomerIsMarkedAndCounted() throws {
        let text = #"{"orders":[{"id":"o1","purchaserId":"c1"},{"id":"o2","purchaserId":"nobody"},{"id":"o3"}],"customers":[{"id":"c1"}]}"#
        let reading = try BatchReading(text: text)
        #expect(reading.shape == .export)
        #expect(reading.records.map(\.unmatchedPurchaserId) == [nil, "nobody", nil])
        let path = try TemporaryFile.write(text)
        defer { TemporaryFile.remove(path) }
        let summary = BatchSummary.of(try BatchReader(path: path))
        #expect(summary.ordersWithUnknownCustomer == 1)
        #expect(summary.text.contains("orders whose customer is not in the export: 1"))
    }

    /// One order of about 3 MiB on one line (many short strings: each string stays under the limit).
    static func longOrder(_ id: String) -> String {
        let note = "\"" + String(repeating: "x", count: 1000) + "\""
        return #"{"id":"\#(id)","notes":["# + Array(repeating: note, count: 3_200).joined(separator: ",") + "]}"
    }

    // 14. A JSON Lines file whose first line is longer than the detection window (2 MiB).
    @Test func aFirstLineLongerThanTheWindowIsStillJSONLines() throws {
        let long = Self.longOrder("a")
        let text = long + "\n" + #"{"id":"b"}"# + "\n"
        let reading = try BatchReading(text: text)
        #expect(reading.shape == .ndjson)
        #expect(reading.records.count == 2)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
    }

    @Test func aLongSingleObjectIsStillASingleOrder() throws {
        let long = Self.longOrder("a") + "\n"
        let reading = try BatchReading(text: long)
        #expect(reading.shape == .single)
        #expect(reading.records.count == 1)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
    }

    @Test func aLongFirstLineOnStandardInputIsStillJSONLines() throws {
        let long = Self.longOrder("a")
        let bytes = Array((long + "\n" + #"{"id":"b"}"# + "\n").utf8)
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data(bytes))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let reader = try BatchReader(descriptor: pipe.fileHandleForReading.fileDescriptor, path: "-")
        let reading = BatchReading(reader)
        #expect(reading.shape == .ndjson)
        #expect(reading.records.count == 2)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
    }
}
