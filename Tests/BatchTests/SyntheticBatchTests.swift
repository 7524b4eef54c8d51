import TestSupport
import Testing
import Foundation
@testable import Batch

/// `SyntheticBatch` (`omsync generate`): deterministic, the same orders in every shape, money
/// that adds up, and exports whose orders all join a customer.
struct SyntheticBatchTests {
    func generate(_ orders: Int, seed: UInt64 = 7, shape: SyntheticBatch.Shape) throws -> [UInt8] {
        let path = try TemporaryFile.path("synthetic.\(shape)")
        defer { TemporaryFile.remove(path) }
        SyntheticBatch(orders: orders, seed: seed, shape: shape).write(to: try OutputSink(path: path))
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let first = try generate(120, seed: 5, shape: .envelope)
        #expect(first == (try generate(120, seed: 5, shape: .envelope)))
        #expect(first != (try generate(120, seed: 6, shape: .envelope)))
    }

    @Test func everyShapeHoldsTheSameOrders() throws {
        var idsByShape: [SyntheticBatch.Shape: [String]] = [:]
        for shape in SyntheticBatch.Shape.allCases {
            let read = try BatchReading(bytes: try generate(150, seed: 9, shape: shape))
            #expect(read.shape.rawValue == shape.rawValue)
            #expect(read.problems.isEmpty, "\(shape): \(read.problems)")
            #expect(read.ids.count == 150)
            idsByShape[shape] = read.ids
        }
        #expect(Set(idsByShape.values.map { $0.joined(separator: ",") }).count == 1)
        #expect(Set(idsByShape[.ndjson] ?? []).count == 150, "order ids are unique")
    }

    @Test func exportOrdersAllJoinACustomer() throws {
        let path = try TemporaryFile.path("synthetic.export")
        defer { TemporaryFile.remove(path) }
        let generator = SyntheticBatch(orders: 400, seed: 3, shape: .export)
        generator.write(to: try OutputSink(path: path))
        let summary = BatchSummary.of(try BatchReader(path: path))
        #expect(summary.isClean)
        #expect(summary.orders == 400)
        #expect(summary.customers == generator.customerCount)
        #expect(summary.customers == 40)
        #expect(summary.ordersWithCustomer == 400)
        #expect(summary.ordersWithUnknownCustomer == 0)
    }

    @Test func moneyAddsUpAndNumbersAreFromTheVocabulary() throws {
        let text = String(decoding: try generate(300, shape: .ndjson), as: UTF8.self)
        var cancelled = 0, tba = 0, freighted = 0
        for line in text.split(separator: "\n") {
            let order = try JSONValue.parse(String(line))
            let lines = try #require(order["lineItems"]?.arrayValue)
            #expect((1...12).contains(lines.count))
            var subtotal = 0, gst = 0
            for item in lines {
                let price = try cents(item["price"]?.stringValue.flatMap { ExactDecimal($0) })
                let quantity = try #require(item["quantity"]?.numberValue?.int)
                let lineSubtotal = try cents(item["subtotal"]?.stringValue.flatMap { ExactDecimal($0) })
                let tax = try cents(item["tax"]?.stringValue.flatMap { ExactDecimal($0) })
                #expect(price * quantity == lineSubtotal)
                #expect(item["taxable"]?.boolValue == true ? tax == (lineSubtotal + 5) / 10 : tax == 0)
                let sku = try #require(item["SKU"]?.stringValue)
                #expect(sku.hasPrefix("SKU") && sku.count == 7 && (1...800).contains(Int(sku.dropFirst(3)) ?? 0))
                subtotal += lineSubtotal
                gst += tax
            }
            #expect(try cents(order["subtotal"]?.decimalValue) == subtotal)
            let freight = try cents(order["freight"]?.decimalValue)
            let totalGST = try cents(order["totalGST"]?.decimalValue)
            #expect(try cents(order["total"]?.decimalValue) == subtotal + freight + totalGST)
            #expect(totalGST == gst + (freight + 5) / 10)
            if order["status"]?.stringValue == "Cancelled" { cancelled += 1 }
            if order["deliveryDate"]?.stringValue == "TBA" { tba += 1 }
            if freight != 0 { freighted += 1 }
            let code = try #require(order["purchaser"]?["properties"]?["unleashed_customer_code"]?.stringValue)
            #expect(code.hasPrefix("CUST"))
        }
        // The mix of real exports: a few cancellations and TBA dates, freight on about half.
        #expect((1...20).contains(cancelled))
        #expect((4...35).contains(tba))
        #expect((100...200).contains(freighted))
    }

    /// A money value in whole cents (it must have at most two significant places).
    func cents(_ value: ExactDecimal?) throws -> Int {
        let value = try #require(value)
        let exact = try #require(value.roundedExactly(scale: 2))
        return Int(exact.significand)
    }

    @Test func sandboxSeedNamesEveryCustomer() {
        let seed = SyntheticBatch(orders: 5000, seed: 1).sandboxSeed
        #expect(seed.contains("count: 500,"))
        #expect(seed.contains("CustomerCode: \"CUST{n:05}\""))
        #expect(seed.contains("ProductCode: \"U-SKU{n:04}\""))
    }
}
