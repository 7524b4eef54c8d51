import Batch
import Foundation
import Ledger
import Push
import Testing

/// The newest version of an order always wins (issue 20): an older copy, in a later export or in
/// the same run, never changes what Unleashed holds, and says why naming both versions.
@Suite struct FreshnessTests {
    static let id = "5a0c1e7e-0000-4000-8000-0000000000f1"

    /// The order at `updatedAt` (2026-05-01T`time`Z) with `comment`.
    static func copy(_ time: String, comment: String, cancelled: Bool = false) -> JSONValue {
        var order = OM.order(id: id, number: "OMF1", cancelled: cancelled).objectValue ?? JSONObject()
        order["updatedAt"] = .string("2026-05-01T\(time)Z")
        order["comment"] = .string(comment)
        return .object(order)
    }

    static func ms(_ time: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return Int64((formatter.date(from: "2026-05-01T\(time)Z")!.timeIntervalSince1970 * 1000).rounded())
    }

    /// The live sales orders of the order (not taken out of the way).
    static func live(_ fx: PushFixture) async throws -> [JSONValue] {
        try await fx.salesOrders(customerRef: "OMF1").filter {
            $0["OrderStatus"]?.stringValue != "Deleted" && $0.value(atPath: "Warehouse.WarehouseCode")?.stringValue != "OM_DELETE"
        }
    }

    static func writes(_ calls: [String: Int]) -> Int {
        calls.filter { $0.key.hasPrefix("POST /SalesOrders") || $0.key.hasPrefix("PUT /SalesOrders") }.values.reduce(0, +)
    }

    @Test func anOlderExportAfterANewerOneChangesNothingAndSaysWhy() async throws {
        try await PushFixture.with { fx in
            let first = try await fx.importOrders([Self.copy("05:00:00.000", comment: "newer")], name: "newer.json")
            #expect(first.counts == [.created: 1], "\(first.counts)")
            let writesBefore = Self.writes(try await fx.calls())
            let second = try await fx.importOrders([Self.copy("03:00:00.000", comment: "older")], name: "older.json")
            #expect(second.counts == [.skipped: 1], "\(second.counts)")
            #expect(Self.writes(try await fx.calls()) == writesBefore, "no create or update for an older copy")
            let live = try await Self.live(fx)
            #expect(live.count == 1 && live.first?["Comments"]?.stringValue == "newer", "\(live)")
            let log = try await fx.ledger().logs(LogFilter(sourceID: Self.id)).last
            #expect(log?.message == "an older copy: updatedAt 2026-05-01T03:00:00.000Z is before the pushed version's 2026-05-01T05:00:00.000Z",
                    "\(String(describing: log))")
            let row = try #require(try await fx.ledger().order(sourceID: Self.id))
            #expect(row.pushedVersion == Self.ms("05:00:00.000") && row.seenVersion == Self.ms("05:00:00.000"), "\(row)")

            // A newer one replaces it, and becomes the version pushed.
            let third = try await fx.importOrders([Self.copy("06:00:00.000", comment: "newest")], name: "newest.json")
            #expect(third.counts == [.replaced: 1], "\(third.counts)")
            #expect(try await Self.live(fx).map { $0["Comments"]?.stringValue } == ["newest"])
            #expect(try await fx.ledger().order(sourceID: Self.id)?.pushedVersion == Self.ms("06:00:00.000"))
        }
    }

    @Test func fiveWaitingVersionsOfOneOrderCostOneCreateWithTheNewestContent() async throws {
        try await PushFixture.with { fx in
            // Five files, oldest file first, holding the versions out of order.
            let times = ["02:00:00.000", "05:00:00.000", "01:00:00.000", "04:00:00.000", "03:00:00.000"]
            let paths = try times.enumerated().map { index, time in
                try fx.write([Self.copy(time, comment: "v\(time.prefix(2))")], name: "inbox-\(index).json")
            }
            let summary = try await fx.importFiles(paths)
            #expect(summary.counts == [.created: 1, .skipped: 4], "\(summary.counts)")
            let calls = try await fx.calls()
            #expect(calls["POST /SalesOrders/{guid}"] == 1 && calls["PUT /SalesOrders/{guid}"] == nil, "\(calls)")
            let all = try await fx.salesOrders(customerRef: "OMF1")
            #expect(all.count == 1 && all.first?["Comments"]?.stringValue == "v05", "one sales order, the newest content: \(all)")
            let skips = try await fx.ledger().logs(LogFilter(sourceID: Self.id)).filter { $0.action == .skip }
            #expect(skips.count == 4)
            #expect(skips.allSatisfy { $0.message?.contains("at index 0 of \(paths[1]), updatedAt 2026-05-01T05:00:00.000Z, which supersedes it") == true },
                    "\(skips.map(\.message))")
        }
    }

    @Test func anOlderUncancelledCopyNeverBringsACancelledOrderBack() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([Self.copy("05:00:00.000", comment: "placed")], name: "a.json")
            let cancelled = try await fx.importOrders([Self.copy("07:00:00.000", comment: "placed", cancelled: true)], name: "b.json")
            #expect(cancelled.counts == [.superseded: 1], "\(cancelled.counts)")
            #expect(try await fx.ledger().order(sourceID: Self.id)?.pushedVersion == Self.ms("07:00:00.000"))
            let older = try await fx.importOrders([Self.copy("06:00:00.000", comment: "edited before the cancel")], name: "c.json")
            #expect(older.counts == [.skipped: 1], "\(older.counts)")
            #expect(try await Self.live(fx).isEmpty, "still taken out of the way")
            let log = try await fx.ledger().logs(LogFilter(sourceID: Self.id)).last
            #expect(log?.message?.hasPrefix("an older copy: updatedAt 2026-05-01T06:00:00.000Z is before the pushed version's 2026-05-01T07:00:00.000Z") == true,
                    "\(String(describing: log))")
        }
    }

    @Test func theSameVersionWithOtherContentReplacesAndTheLogSaysSo() async throws {
        try await PushFixture.with { fx in
            _ = try await fx.importOrders([Self.copy("05:00:00.000", comment: "first")], name: "a.json")
            let again = try await fx.importOrders([Self.copy("05:00:00.000", comment: "second")], name: "b.json")
            #expect(again.counts == [.replaced: 1], "\(again.counts)")
            let log = try await fx.ledger().logs(LogFilter(sourceID: Self.id)).last
            #expect(log?.message?.contains("(the same updatedAt 2026-05-01T05:00:00.000Z as the version pushed before, with other content)") == true,
                    "\(String(describing: log))")
        }
    }
}
