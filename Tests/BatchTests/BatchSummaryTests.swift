import TestSupport
import Testing
import Foundation
import Batch

/// The numbers `omsync inspect` reports, on the sample shapes and against Python on a generated batch.
struct BatchSummaryTests {
    static let samples = Project.path("samples/shapes")

    @Test(arguments: [
        ("array.json", BatchShape.array), ("orders.ndjson", .ndjson), ("envelope.json", .envelope),
        ("export.json", .export), ("export-customers-first.json", .export),
    ])
    func everySampleShapeSaysTheSame(_ file: String, _ shape: BatchShape) throws {
        let summary = BatchSummary.of(try BatchReader(path: Self.samples + "/" + file))
        #expect(summary.shape == shape)
        #expect(summary.orders == 3)
        #expect(summary.customers == 2)
        #expect(summary.ordersWithCustomer == 3)
        #expect(summary.createdAtMin == "2026-11-01T08:05:59.001Z")
        #expect(summary.createdAtMax == "2026-11-03T22:40:00.000Z")
        #expect(summary.ordersMissingSKU == 2)
        #expect(summary.tbaDelivery == 1)
        #expect(summary.isClean)
    }

    @Test func brokenSampleKeepsTheOrdersBeforeTheError() throws {
        let summary = BatchSummary.of(try BatchReader(path: Self.samples + "/broken.json"))
        #expect(summary.orders == 2)
        #expect(summary.problems.count == 1)
        #expect(summary.problems.first?.fatal == true)
        #expect(summary.problems.first?.record == 2)
        #expect(summary.problems.first?.message == "invalid JSON in record 2: expected a string key in object, found character ','; reading stopped here after 2 orders")
    }

    @Test func jsonOutputHasTheDocumentedKeys() throws {
        let summary = BatchSummary.of(try BatchReader(path: Self.samples + "/broken-lines.ndjson"))
        var writer = JSONWriter()
        summary.write(to: &writer)
        let value = try JSONValue.parse(writer.bytes)
        #expect(value.objectValue?.keys == ["path", "shape", "orders", "customers", "ordersWithCustomer", "ordersWithUnknownCustomer", "duplicateIds", "createdAt",
                                            "ordersMissingSKU", "tbaDelivery", "problems"])
        #expect(value["shape"]?.stringValue == "ndjson")
        #expect(value["orders"]?.numberValue?.int == 2)
        let problem = try #require(value["problems"]?[0])
        #expect(problem["record"]?.numberValue?.int == 1)
        #expect(problem["line"]?.numberValue?.int == 2)
        #expect(problem["column"]?.numberValue?.int == 22)
        #expect(problem["message"]?.stringValue?.hasPrefix("unexpected end of input: the object opened at byte 1047 is not closed") == true)
        #expect(summary.text.contains("broken-lines.ndjson:2:22: warning: record 1: unexpected end of input"))
    }

    @Test func generatedBatchMatchesPython() throws {
        let path = try TemporaryFile.path("gen.json")
        defer { TemporaryFile.remove(path) }
        SyntheticBatch(orders: 800, seed: 11).write(to: try OutputSink(path: path))
        let expected = try Python.run(["-c", """
            import json,sys
            d=json.load(open(sys.argv[1]))['data']
            miss=sum(1 for o in d if any(not isinstance(l.get('SKU'),str) or l.get('SKU')=='' for l in o['lineItems']))
            print(len(d), len({o['purchaser']['id'] for o in d}), sum(1 for o in d if o.get('purchaser')),
                  min(o['createdAt'] for o in d), max(o['createdAt'] for o in d), miss,
                  sum(1 for o in d if o['deliveryDate']=='TBA'))
            """, path])
        let s = BatchSummary.of(try BatchReader(path: path))
        let actual = "\(s.orders) \(s.customers) \(s.ordersWithCustomer) \(s.createdAtMin ?? "") \(s.createdAtMax ?? "") \(s.ordersMissingSKU) \(s.tbaDelivery)"
        #expect(actual == expected.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(s.isClean)
    }
}
