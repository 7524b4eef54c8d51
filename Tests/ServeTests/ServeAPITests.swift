import Batch
import Foundation
import Testing
import TestSupport
@testable import Serve

/// The JSON API of `omsync serve` on the real checker and pipeline: the page and its assets,
/// the workspace state, check, preview (list view, counts, explanations, the state switch), a
/// dropped batch.
@Suite struct ServeAPITests {
    @Test func thePageAndItsAssetsComeFromTheBinaryWithTheRunsToken() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let page = try await client.get("/", token: nil)
            #expect(page.status == .ok)
            #expect(page.body.contains("<meta name=\"omsync-token\" content=\"\(ServeFixture.token)\">"))
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let policy = try #require(page.headers[.init("Content-Security-Policy")!])
            #expect(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(!page.body.contains("http://") && !page.body.contains("https://"), "nothing loaded from the network")
            let script = try await client.get("/app.js", token: nil)
            #expect(script.status == .ok && script.body.contains("X-OMSync-Token"))
            #expect(!script.body.contains("innerHTML"), "data goes into the page as text, never as markup")
            let style = try await client.get("/app.css", token: nil)
            #expect(style.status == .ok && style.body.contains(".editor"))
        }
    }

    @Test func theStateListsTheRuleFilesAndTheSamples() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let state = try await client.get("/api/state").json
            #expect(state["files"]?.arrayValue?.compactMap { $0["name"]?.string } == ["omsync.yaml", "settings.yaml"])
            #expect(state.at("files.0.text")?.string == fixture.shippedRules)
            #expect(state.at("samples.0.orders")?.int == 7)
            #expect(state["ledger"] == .bool(false))
            #expect(state["states"]?.arrayValue?.compactMap(\.string) == ["new", "pushed", "changed", "changed_in_unleashed"])
        }
    }

    @Test func checkGivesTheCheckersDiagnosticsWithFileLineColumnCodeAndHint() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let broken = fixture.shippedRules.replacingOccurrences(of: "    Customer.CustomerCode: prop.customer_code", with: "    Custmer.CustomerCode: prop.customer_code")
        let line = try #require(broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("Custmer.") }) + 1
        try await fixture.test { client in
            let clean = try await client.post("/api/check", object([:])).json
            #expect(clean["ok"] == .bool(true) && clean["errors"]?.int == 0)
            let reply = try await client.post("/api/check", object(["files": object(["omsync.yaml": .string(broken)])]))
            #expect(reply.status == .ok)
            let diagnostic = try #require(reply.json["diagnostics"]?.arrayValue?.first { $0["code"]?.string == "E501" })
            #expect(reply.json["ok"] == .bool(false))
            #expect(diagnostic["file"]?.string == "omsync.yaml")
            #expect(diagnostic["path"]?.string == fixture.rules.path + "/omsync.yaml")
            #expect(diagnostic["line"]?.int == line)
            #expect(diagnostic["column"]?.int == 5)
            #expect(diagnostic["severity"]?.string == "error")
            #expect(diagnostic["message"]?.string?.contains("Custmer.CustomerCode") == true)
            #expect(diagnostic["hint"]?.string?.contains("Customer.CustomerCode") == true)
            // Nothing was written: the check is in memory.
            #expect(try fixture.text("omsync.yaml") == fixture.shippedRules)
        }
    }

    @Test func previewMapsEverySampleOrderAndExplainsTheChosenOne() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let warehouseLine = try #require(fixture.shippedRules.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "    Warehouse.WarehouseCode: prop.warehouse" }) + 1
        try await fixture.test { client in
            let preview = try await client.post("/api/preview", object(["batch": .number(JSONNumber(0)), "index": .number(JSONNumber(0))])).json
            #expect(preview["ok"] == .bool(true))
            #expect(preview.at("summary.orders")?.int == 7)
            #expect(preview.at("summary.actions.create")?.int == 3)
            #expect(preview.at("summary.actions.skip")?.int == 2)
            #expect(preview.at("summary.actions.invalid")?.int == 2)
            let orders = try #require(preview["orders"]?.arrayValue)
            #expect(orders.compactMap { $0["action"]?.string } == ["create", "create", "skip", "invalid", "invalid", "skip", "create"])
            let invalid = try #require(orders.first { $0["action"]?.string == "invalid" })
            #expect(invalid["reasons"]?.arrayValue?.first?.string?.contains("unleashed_customer_code") == true)
            let warehouse = try #require(preview.at("selected.plan.explain")?["Warehouse.WarehouseCode"])
            #expect(warehouse["rule"]?.string == "\(fixture.rules.path)/omsync.yaml:\(warehouseLine):5")
            #expect(warehouse["sources"]?.arrayValue?.first?.string?.contains("from") == true)
            let fields = try #require(preview.at("selected.fields")?.arrayValue)
            #expect(fields.contains(.array([.string("Warehouse.WarehouseCode"), .string("SYD")])))
            #expect(fields.contains(.array([.string("SalesOrderLines[0].UnitPrice"), .string("28.7900")])), "exact number text")
            #expect(preview.at("selected.order.orderNumber")?.string == "OM10452")
            #expect(preview.at("selected.ledger") == .null)
        }
    }

    @Test func explainAnswersOneOrderWithWhereEachFieldCameFrom() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let reply = try await client.post("/api/explain", object(["batch": .number(JSONNumber(0)), "index": .number(JSONNumber(3))]))
            #expect(reply.status == .ok)
            #expect(reply.json["orders"] == nil && reply.json["summary"] == nil, "no list view")
            #expect(reply.json.at("selected.index")?.int == 3)
            #expect(reply.json.at("selected.plan.action")?.string == "invalid")
            let customer = try #require(reply.json.at("selected.plan.explain")?["Customer.CustomerCode"])
            #expect(customer["expression"]?.string == "prop.customer_code")
            #expect(customer["sources"]?.arrayValue?.first?.string?.contains("nothing at") == true, "\(customer)")
            let none = try await client.post("/api/explain", object([:]))
            #expect(none.status == .badRequest)
        }
    }

    @Test func anEditChangesThePreviewAndAnErrorPausesIt() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let edited = fixture.shippedRules.replacingOccurrences(of: "    DeliveryCountry: nonempty(order.retailerAddress.country) ?? settings.default_country",
                                                               with: "    DeliveryCountry: \"New Zealand\"")
        #expect(edited != fixture.shippedRules)
        try await fixture.test { client in
            let before = try await client.post("/api/preview", object(["index": .number(JSONNumber(0))])).json
            #expect(before.at("selected.fields")?.arrayValue?.contains(.array([.string("DeliveryCountry"), .string("Australia")])) == true)
            let after = try await client.post("/api/preview", object(["files": object(["omsync.yaml": .string(edited)]), "index": .number(JSONNumber(0))])).json
            #expect(after.at("selected.fields")?.arrayValue?.contains(.array([.string("DeliveryCountry"), .string("New Zealand")])) == true)
            let broken = edited.replacingOccurrences(of: "do: block", with: "do: blok")
            let paused = try await client.post("/api/preview", object(["files": object(["omsync.yaml": .string(broken)]), "index": .number(JSONNumber(0))])).json
            #expect(paused["ok"] == .bool(false))
            #expect(paused["orders"] == nil, "no preview from rules with errors")
            #expect(paused["diagnostics"]?.arrayValue?.contains { $0["code"]?.string == "E601" } == true)
        }
    }

    @Test(arguments: [("new", "create"), ("pushed", "skip"), ("changed", "replace"), ("changed_in_unleashed", "block")])
    func theStateSwitchPlansWithTheTransitionsFacts(_ state: String, _ action: String) async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let preview = try await client.post("/api/preview", object(["state": .string(state), "index": .number(JSONNumber(0))])).json
            #expect(preview.at("selected.plan.action")?.string == action, "\(state)")
            #expect(preview.at("orders.0.action")?.string == action)
        }
    }

    @Test func anUnknownStateOrABadBodyIsRefusedWithAReason() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let state = try await client.post("/api/preview", object(["state": .string("ledger")]))
            #expect(state.status == .badRequest && state.json["error"]?.string?.contains("unknown state 'ledger'") == true)
            let notJSON = try await client.send(.post, "/api/check", raw: "{files:")
            #expect(notJSON.status == .badRequest && notJSON.json["error"]?.string?.contains("not JSON") == true)
            let files = try await client.post("/api/check", object(["files": .string("x")]))
            #expect(files.status == .badRequest)
        }
    }

    @Test func aDroppedBatchBecomesTheFirstSample() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let batch = try String(contentsOf: Project.url("samples/orders.ndjson"), encoding: .utf8)
        let firstLine = String(batch.split(separator: "\n")[0])
        try await fixture.test { client in
            let state = try await client.post("/api/samples", object(["name": .string("one.ndjson"), "text": .string(firstLine)]))
            #expect(state.status == .ok)
            #expect(state.json.at("samples.0.name")?.string == "one.ndjson")
            #expect(state.json.at("samples.0.orders")?.int == 1)
            #expect(state.json.at("samples.1.orders")?.int == 7)
            let preview = try await client.post("/api/preview", object(["batch": .number(JSONNumber(0)), "index": .number(JSONNumber(0))])).json
            #expect(preview.at("summary.orders")?.int == 8)
            #expect(preview.at("selected.batch")?.int == 0)
            let empty = try await client.post("/api/samples", object(["name": .string("bad.json"), "text": .string("[1, 2")]))
            #expect(empty.status == .unprocessableContent)
        }
    }
}
