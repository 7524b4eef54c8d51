import Batch
import Foundation
import Ledger
import Testing
import TestSupport
@testable import Serve

/// With a ledger: the integration log with its filters, the customer mapping (list and
/// correct), the ledger's facts as a state, and what the ledger knows of the chosen order.
@Suite struct ServeLedgerTests {
    static let firstID = "3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e01"

    /// A fixture whose ledger knows the first sample order as pushed (with another payload's
    /// hash), one customer mapping and three log rows.
    func fixture() async throws -> ServeFixture {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("serve-ledger-\(UUID().uuidString).sqlite").path
        let ledger = try SQLiteLedger(path: path)
        let day = { (text: String) in ISO8601DateFormatter().date(from: text)! }
        try await ledger.saveOrder(OrderRecord(sourceID: Self.firstID, sourceNumber: "OM10452", state: .pushed, guid: "g-1",
                                               unleashedOrderNumber: "SO-00000001", payloadHash: "not-the-same", lastAction: "create",
                                               createdAt: day("2026-12-01T10:00:00Z"), updatedAt: day("2026-12-01T10:00:00Z")))
        try await ledger.saveCustomerMapping(CustomerMapping(customerID: "cust-1", customerName: "Bean Counter", customerCode: "BEAN001",
                                                             unleashedGuid: "u-1", origin: .property, updatedAt: day("2026-12-01T10:00:00Z")))
        try await ledger.appendLog(LogEntry(time: day("2026-11-30T09:00:00Z"), runID: 1, sourceID: "x", orderNumber: "OM1", action: .create, outcome: .ok, httpStatus: 200))
        try await ledger.appendLog(LogEntry(time: day("2026-12-01T10:00:00Z"), runID: 2, sourceID: Self.firstID, orderNumber: "OM10452",
                                            action: .create, outcome: .ok, httpStatus: 200, message: "created SO-00000001"))
        try await ledger.appendLog(LogEntry(time: day("2026-12-02T11:00:00Z"), runID: 2, sourceID: "y", orderNumber: "OM10455",
                                            action: .invalid, outcome: .rejected, message: "required property unleashed_customer_code"))
        return try ServeFixture(ledger: path)
    }

    @Test func theLogFiltersByOrderErrorsAndDate() async throws {
        let fixture = try await fixture()
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: fixture.configuration.ledger?.location ?? "") }
        try await fixture.test { client in
            let all = try await client.get("/api/log").json
            #expect(all["rows"]?.arrayValue?.count == 3)
            let order = try await client.get("/api/log?order=OM10452").json
            #expect(order["rows"]?.arrayValue?.compactMap { $0["message"]?.string } == ["created SO-00000001"])
            let errors = try await client.get("/api/log?errors=true").json
            #expect(errors["rows"]?.arrayValue?.compactMap { $0["orderNumber"]?.string } == ["OM10455"])
            let since = try await client.get("/api/log?since=2026-12-01").json
            #expect(since["rows"]?.arrayValue?.compactMap { $0["orderNumber"]?.string } == ["OM10452", "OM10455"])
            let bad = try await client.get("/api/log?since=yesterday")
            #expect(bad.status == .badRequest)
        }
    }

    @Test func theCustomerMappingIsListedAndCorrected() async throws {
        let fixture = try await fixture()
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: fixture.configuration.ledger?.location ?? "") }
        try await fixture.test { client in
            let list = try await client.get("/api/customers").json
            #expect(list.at("customers.0.customerCode")?.string == "BEAN001")
            #expect(list.at("customers.0.origin")?.string == "property")
            let corrected = try await client.post("/api/customers", object(["customerID": .string("cust-1"), "customerCode": .string("BEAN002")]))
            #expect(corrected.status == .ok)
            #expect(corrected.json.at("customers.0.customerCode")?.string == "BEAN002")
            #expect(corrected.json.at("customers.0.origin")?.string == "manual")
            #expect(corrected.json.at("customers.0.unleashedGuid") == .null, "a new code's GUID is not known yet")
            let ledger = try SQLiteLedger(path: try #require(fixture.configuration.ledger?.location))
            #expect(try await ledger.customerMapping(customerID: "cust-1")?.customerCode == "BEAN002")
            let missing = try await client.post("/api/customers", object(["customerID": .string("cust-1")]))
            #expect(missing.status == .badRequest)
        }
    }

    @Test func theLedgerStatePlansWithEachOrdersFactsAndTheDiffSaysThePayloadChanged() async throws {
        let fixture = try await fixture()
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: fixture.configuration.ledger?.location ?? "") }
        try await fixture.test { client in
            let state = try await client.get("/api/state").json
            #expect(state["ledger"] == .bool(true))
            #expect(state["states"]?.arrayValue?.last?.string == "ledger")
            let preview = try await client.post("/api/preview", object(["state": .string("ledger"), "index": .number(JSONNumber(0))])).json
            // Pushed with another payload: the order changed since, so it is replaced.
            #expect(preview.at("selected.plan.action")?.string == "replace", "\(preview.at("selected.plan") ?? .null)")
            #expect(preview.at("selected.ledger.unleashedOrderNumber")?.string == "SO-00000001")
            #expect(preview.at("selected.ledger.payloadChanged") == .bool(true))
            #expect(preview.at("orders.1.action")?.string == "create", "an order the ledger does not know is new")
        }
    }

    /// The diff against the payload last pushed, field by field: a changed value, a field the
    /// pushed payload lacked, one it had that is gone; a number written another way is the same.
    /// Without a kept payload, the hashes alone compare and the note says why.
    @Test func theDiffShowsFieldByFieldWhatChangedAgainstThePayloadLastPushed() async throws {
        let fixture = try await fixture()
        let ledgerPath = try #require(fixture.configuration.ledger?.location)
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: ledgerPath) }
        try await fixture.test { client in
            let request = object(["state": .string("ledger"), "index": .number(JSONNumber(0))])
            let before = try await client.post("/api/preview", request).json
            #expect(before.at("selected.ledger.diff") == .null)
            #expect(before.at("selected.ledger.diffNote")?.string?.contains("kept no payload") == true, "\(before.at("selected.ledger") ?? .null)")

            let current = try #require(before.at("selected.plan.payload")?.objectValue)
            #expect(current["DeliveryInstruction"] == nil)
            let subTotal = try #require(current["SubTotal"]?.numberValue?.text)
            var pushed: [(String, JSONValue)] = []
            for (key, value) in current {
                switch key {
                case "CustomerRef": pushed.append((key, .string("OM10452 (as pushed)")))
                case "Total": continue
                case "SubTotal": pushed.append((key, try JSONValue.parse(subTotal.contains(".") ? subTotal + "00" : subTotal + ".00")))
                default: pushed.append((key, value))
                }
            }
            pushed.append(("DeliveryInstruction", .string("Back door")))
            let ledger = try SQLiteLedger(path: ledgerPath)
            try await ledger.savePayload(PushedPayload(sourceID: Self.firstID, hash: "not-the-same",
                                                       json: JSONValue.object(JSONObject(pushed)).serialized(),
                                                       recordedAt: ISO8601DateFormatter().date(from: "2026-12-01T10:00:00Z")!))

            let after = try await client.post("/api/preview", request).json
            let diff = try #require(after.at("selected.ledger.diff"), "\(after.at("selected.ledger") ?? .null)")
            #expect(after.at("selected.ledger.diffNote") == .null)
            #expect(diff["recordedAt"]?.string == "2026-12-01T10:00:00Z")
            let changes = (diff["changes"]?.arrayValue ?? []).map { [$0["path"]?.string ?? "?", $0["pushed"]?.string ?? "(none)", $0["now"]?.string ?? "(none)"] }
            let total = try #require(current["Total"]?.numberValue?.text)
            #expect(changes == [
                ["CustomerRef", "OM10452 (as pushed)", current["CustomerRef"]?.stringValue ?? "?"],
                ["Total", "(none)", total],
                ["DeliveryInstruction", "Back door", "(none)"],
            ])
            let leaves = try #require(after.at("selected.fields")?.arrayValue?.count)
            #expect(diff["same"]?.numberValue?.int == leaves - 2, "every other field is the same, SubTotal \(subTotal) included")

            // A pushed payload equal to the current one: nothing changed.
            try await ledger.savePayload(PushedPayload(sourceID: Self.firstID, hash: "not-the-same",
                                                       json: JSONValue.object(current).serialized(), recordedAt: Date()))
            let same = try await client.post("/api/preview", request).json
            #expect(same.at("selected.ledger.diff.changes")?.arrayValue?.isEmpty == true)
            #expect(same.at("selected.ledger.diff.same")?.numberValue?.int == leaves)
            // Another order the ledger does not know has no ledger entry at all.
            let other = try await client.post("/api/preview", object(["state": .string("ledger"), "index": .number(JSONNumber(1))])).json
            #expect(other.at("selected.ledger") == .null)
        }
    }

    @Test func withoutALedgerTheOperationsSayHowToGetOne() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            for path in ["/api/log", "/api/customers"] {
                let reply = try await client.get(path)
                #expect(reply.status == .notFound)
                #expect(reply.json["error"]?.string?.contains("omsync import") == true)
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.configuration.ledger?.location ?? ""), "the page never creates a ledger")
        }
    }
}
