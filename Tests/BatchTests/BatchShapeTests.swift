import Testing
import Foundation
@testable import Batch

/// Every batch shape, detected and read record by record.
struct BatchShapeTests {
    @Test func bareArray() throws {
        let read = try BatchReading(text: #"[{"id":"a"}, {"id":"b"} ,{"id":"c"}]"#)
        #expect(read.shape == .array)
        #expect(read.ids == ["a", "b", "c"])
        #expect(read.records.map(\.index) == [0, 1, 2])
        #expect(read.records.map(\.offset) == [1, 13, 25])
        #expect(read.problems.isEmpty)
    }

    @Test func readerIsASequence() throws {
        let path = try TemporaryFile.write(#"[{"id":"a"},1,{"id":"b"}]"#)
        defer { TemporaryFile.remove(path) }
        let reader = try BatchReader(path: path)
        var kinds: [String] = []
        for item in reader {
            switch item {
            case .record(let record): kinds.append("record \(record.index)")
            case .problem(let problem): kinds.append("problem \(problem.record ?? -1)")
            }
        }
        #expect(kinds == ["record 0", "problem 1", "record 2"])
        #expect(reader.next() == nil)
    }

    @Test func prettyArrayPositions() throws {
        let read = try BatchReading(text: "[\n  {\n    \"id\": \"a\"\n  },\n  {\"id\": \"b\"}\n]\n")
        #expect(read.ids == ["a", "b"])
        #expect(read.records.map(\.line) == [2, 5])
        #expect(read.records.map(\.column) == [3, 3])
    }

    @Test func jsonLinesWithBlankLinesAndCRLF() throws {
        let read = try BatchReading(text: "{\"id\":\"a\"}\r\n\n   \n{\"id\":\"b\"}\n{\"id\":\"c\"}")
        #expect(read.shape == .ndjson)
        #expect(read.ids == ["a", "b", "c"])
        #expect(read.records.map(\.line) == [1, 4, 5])
        #expect(read.problems.isEmpty)
    }

    @Test func envelopeWithMetaBeforeAndLinksAfter() throws {
        let read = try BatchReading(text: #"{"meta":{"totalResults":2,"pageNo":1},"data":[{"id":"a"},{"id":"b"}],"links":{"self":"/v1/orders"}}"#)
        #expect(read.shape == .envelope)
        #expect(read.ids == ["a", "b"])
        #expect(read.problems.isEmpty)
    }

    /// JSON Lines whose lines are API pages (a script that appends each page it fetched): each
    /// page gives its orders, indexed on from the lines before, each at its own column; a line
    /// that is one order stays one order, even with a `data` member of its own.
    @Test func jsonLinesOfAPIPagesGiveTheirOrders() throws {
        let text = #"{"meta":{"pageNo":1},"data":[{"id":"a"},{"id":"b"}]}"# + "\n" + #"{"id":"c","data":[1]}"# + "\n"
            + #"{"meta":{"pageNo":2},"data":[{"id":"d"}, 7, {"id":"e"}]}"# + "\n" + #"{"data":[]}"# + "\n" + #"{"id":"f"}"#
        let read = try BatchReading(text: text)
        #expect(read.shape == .ndjson)
        #expect(read.ids == ["a", "b", "c", "d", "e", "f"])
        #expect(read.records.map(\.index) == [0, 1, 2, 3, 5, 6])
        #expect(read.records.map(\.line) == [1, 1, 2, 3, 3, 5])
        #expect(read.records.map(\.column) == [30, 41, 1, 30, 45, 1])
        let lineThree = Array(text.utf8).split(separator: UInt8(0x0A), omittingEmptySubsequences: false).prefix(2).map { $0.count + 1 }.reduce(0, +)
        #expect(read.records[3].offset == lineThree + 29)
        #expect(read.problems.count == 1)
        #expect(read.problems.first?.record == 4 && read.problems.first?.line == 3 && read.problems.first?.column == 42)
        #expect(read.problems.first?.message.contains("record 4 is a number, not an object") == true)
    }

    /// A line that is a whole export joins its orders to its own customers.
    @Test func jsonLinesOfExportsJoinEachLinesCustomers() throws {
        let text = #"{"orders":[{"id":"o1","purchaserId":"c1"},{"id":"o2","purchaserId":"c2"}],"customers":[{"id":"c1","name":"Cafe One"},{"name":"no id"}]}"#
            + "\n" + #"{"orders":[{"id":"o3","purchaserId":"c1"}]}"#
        let read = try BatchReading(text: text)
        #expect(read.ids == ["o1", "o2", "o3"])
        #expect(read.customerNames == ["Cafe One", "-", "-"], "a line's customers serve that line only")
        #expect(read.records.map(\.unmatchedPurchaserId) == [nil, "c2", "c1"])
        #expect(read.customerCount == 1)
        #expect(read.problems.map(\.message) == [#"customer 1 has no string or number "id", so no order can join it; skipped"#])
    }

    /// A document whose list is not a list is refused as what it is, not read as an order without an id.
    @Test(arguments: [(#"{"meta":{},"data":{"id":"x"}}"#, "\"data\" holds an object"), (#"{"data":null}"#, "\"data\" holds null"),
                      (#"{"orders":"none"}"#, "\"orders\" holds a string")])
    func aPageWhoseListIsNotAListIsRefused(text: String, says: String) throws {
        let read = try BatchReading(text: text)
        #expect(read.records.isEmpty)
        #expect(read.problems.count == 1)
        #expect(read.problems.first?.fatal == true)
        #expect(read.problems.first?.message.contains(says) == true, "\(read.problems)")
        #expect(try BatchReading(text: #"{"id":"x","data":{"a":1}}"#).ids == ["x"], "an order with a data member is an order")
    }

    static let customers = #"[{"id":"c1","name":"Cafe One"},{"id":"c2","name":"Deli Two"}]"#
    static let orders = #"[{"id":"o1","purchaserId":"c2"},{"id":"o2","purchaserId":"c1"},{"id":"o3","purchaserId":"zz"},{"id":"o4"}]"#

    @Test func exportWithCustomersFirst() throws {
        let read = try BatchReading(text: #"{"customers":\#(Self.customers),"orders":\#(Self.orders)}"#)
        #expect(read.shape == .export)
        #expect(read.customerCount == 2)
        #expect(read.ids == ["o1", "o2", "o3", "o4"])
        #expect(read.customerNames == ["Deli Two", "Cafe One", "-", "-"])
        #expect(read.problems.isEmpty)
    }

    @Test func exportWithCustomersAfterOrders() throws {
        let read = try BatchReading(text: #"{"meta":{},"orders":\#(Self.orders),"customers":\#(Self.customers)}"#)
        #expect(read.shape == .export)
        #expect(read.customerCount == 2)
        #expect(read.customerNames == ["Deli Two", "Cafe One", "-", "-"])
        #expect(read.problems.isEmpty)
    }

    @Test func exportFromAPipeWithCustomersAfterOrdersIsSpooled() throws {
        let text = #"{"orders":\#(Self.orders),"customers":\#(Self.customers)}"#
        let read = try readThroughPipe(Array(text.utf8))
        #expect(read.shape == .export)
        #expect(read.customerNames == ["Deli Two", "Cafe One", "-", "-"])
    }

    @Test func jsonLinesFromAPipeStream() throws {
        let read = try readThroughPipe(Array("{\"id\":\"a\"}\n{\"id\":\"b\"}\n".utf8))
        #expect(read.shape == .ndjson)
        #expect(read.ids == ["a", "b"])
    }

    @Test func jsonLinesWithABrokenFirstLine() throws {
        let read = try BatchReading(text: "{\"id\":\"a\",\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n")
        #expect(read.shape == .ndjson)
        #expect(read.ids == ["b", "c"])
        #expect(read.records.map(\.index) == [1, 2])
        #expect(read.problems.map(\.record) == [0])
    }

    @Test func oneLineObjectFollowedByBlankLinesIsASingleOrder() throws {
        let read = try BatchReading(text: "{\"id\":\"a\"}\n\n  \n")
        #expect(read.shape == .single)
        #expect(read.ids == ["a"])
    }

    @Test func singleOrderObject() throws {
        let read = try BatchReading(text: "{\n  \"id\": \"only\",\n  \"lineItems\": [{\"SKU\": \"A\"}]\n}\n")
        #expect(read.shape == .single)
        #expect(read.ids == ["only"])
        #expect(read.records.first?.order.member(read.records[0].order.root, JSONKey("lineItems")).map(read.records[0].order.count) == 1)
        #expect(read.problems.isEmpty)
    }

    @Test func topLevelKeysAreComparedDecoded() throws {
        let read = try BatchReading(text: #"{"meta":{},"d\u0061ta":[{"id":"a"},{"id":"b"}]}"#)
        #expect(read.shape == .envelope)
        #expect(read.ids == ["a", "b"])
        #expect(read.problems.isEmpty)
    }

    @Test func byteOrderMarkAndEmptyFiles() throws {
        let bom = try BatchReading(bytes: [0xEF, 0xBB, 0xBF] + Array(#"[{"id":"a"}]"#.utf8))
        #expect(bom.shape == .array && bom.ids == ["a"])
        // A file with no JSON at all is refused, saying so (docs/batch.md).
        #expect(throws: BatchProblem.self) { try BatchReading(text: " \n") }
        do {
            _ = try BatchReading(text: "")
            Issue.record("an empty file must be refused")
        } catch {
            #expect("\(error)".contains("is empty: there are no orders in it"), "\(error)")
        }
    }

    @Test(arguments: ["envelope", "array", "ndjson", "export"])
    func generatedBatchesAcrossChunkBoundaries(_ shape: String) throws {
        // 1,500 orders ≈ 5 MB: records straddle the reader's 2 MiB chunks.
        let path = try TemporaryFile.path("gen.\(shape)")
        defer { TemporaryFile.remove(path) }
        SyntheticBatch(orders: 1500, seed: 3, shape: try #require(SyntheticBatch.Shape(rawValue: shape))).write(to: try OutputSink(path: path))
        let expected = try Python.run(["-c", "import json,sys\nt=open(sys.argv[1]).read()\nd=[json.loads(l) for l in t.splitlines() if l.strip()] if sys.argv[2]=='ndjson' else json.loads(t)\nd=(d.get('data') or d.get('orders')) if isinstance(d,dict) else d\nprint(' '.join(o['id'] for o in d))", path, shape])
        let read = try BatchReading(path: path)
        #expect(read.shape.rawValue == shape)
        #expect(read.problems.isEmpty)
        #expect(read.ids.joined(separator: " ") == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Feeds `bytes` through a pipe from another thread and reads the read end.
    func readThroughPipe(_ bytes: [UInt8]) throws -> BatchReading {
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        let feeder = Thread {
            writer.write(Data(bytes))
            try? writer.close()
        }
        feeder.start()
        let reader = try BatchReader(descriptor: pipe.fileHandleForReading.fileDescriptor, path: "-")
        return BatchReading(reader)
    }
}
