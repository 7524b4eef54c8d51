import Foundation
import Ledger
import Testing

/// Issue 21, item 12: a hand-edited ledger export is checked before anything is imported: a row
/// twice, two orders live under one GUID and negative counts are refused, naming the line.
@Suite struct LedgerExportTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_669_600)

    static func order(_ id: String, guid: String?) -> LedgerRow {
        .order(OrderRecord(sourceID: id, sourceNumber: "OM-\(id)", state: guid == nil ? .rejected : .pushed, guid: guid,
                           createdAt: t0, updatedAt: t0))
    }

    static func read(_ rows: [LedgerRow]) throws(ExportProblem) -> [LedgerRow] {
        try LedgerExport.read((try? LedgerExport.write(rows, account: "acme")) ?? Data(), source: "edited.ndjson").rows
    }

    @Test func aCleanExportReadsBack() throws {
        let rows = [Self.order("1", guid: "g-1"), Self.order("2", guid: "g-2"), Self.order("3", guid: nil),
                    .calls(month: "2026-12", counts: ["GET /Taxes": 3])]
        #expect(try Self.read(rows) == rows)
    }

    @Test func aRowTwiceIsRefusedNamingBothLines() {
        #expect(throws: ExportProblem.self) { try Self.read([Self.order("1", guid: "g-1"), Self.order("1", guid: "g-9")]) }
        do {
            _ = try Self.read([Self.order("1", guid: "g-1"), Self.order("2", guid: nil), Self.order("1", guid: "g-9")])
        } catch {
            #expect(error.message == "edited.ndjson:4: a second row for order id 1 (the first is at line 2); one would silently replace the other. Keep one, or export the ledger again")
        }
    }

    @Test func twoOrdersUnderOneGuidAreRefused() {
        do {
            _ = try Self.read([Self.order("1", guid: "g-1"), Self.order("2", guid: "G-1")])
            Issue.record("accepted two orders live under one GUID")
        } catch {
            #expect(error.message.hasPrefix("edited.ndjson:3: order id 2 and order id 1 (line 2) are both live as sales order G-1"), "\(error.message)")
        }
    }

    @Test func negativeCountsAreRefused() {
        do {
            _ = try Self.read([.calls(month: "2026-12", counts: ["POST /SalesOrders/{guid}": -5000])])
            Issue.record("accepted a negative call count")
        } catch {
            #expect(error.message.contains("-5000 calls to POST /SalesOrders/{guid} in 2026-12; counts are never negative"), "\(error.message)")
        }
    }
}
