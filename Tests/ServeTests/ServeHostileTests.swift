import Batch
import Foundation
import Ledger
import Testing
import TestSupport
@testable import Serve
#if canImport(Glibc)
import Glibc
#endif

/// Issue 21's hostile conditions that live in `omsync serve`: a large dropped batch, saves at
/// once, a save's file mode, the page at `localhost`, and bad customer and log requests.
@Suite struct ServeHostileTests {
    /// A batch of generated orders of at least `bytes` bytes, as text.
    static func batch(atLeast bytes: Int) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-big-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var orders = 100
        while true {
            let sink = try OutputSink(path: file)
            SyntheticBatch(orders: orders).write(to: sink)
            sink.flush()
            let text = try String(contentsOfFile: file, encoding: .utf8)
            if text.utf8.count >= bytes { return text }
            orders = orders * bytes / max(1, text.utf8.count) + 50
        }
    }

    @Test func aDroppedBatchUpToTheLimitIsTakenAndOneOverItIsRefusedNamingTheLimit() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let three = try Self.batch(atLeast: 3 << 20)
        let nine = try Self.batch(atLeast: 9 << 20)
        try await fixture.test { client in
            let taken = try await client.post("/api/samples", object(["name": .string("three.json"), "text": .string(three)]))
            #expect(taken.status == .ok, "\(taken.body.prefix(300))")
            #expect(taken.json.at("samples.0.name")?.string == "three.json")
            #expect((taken.json.at("samples.0.orders")?.int ?? 0) > 1_000)
            let refused = try await client.post("/api/samples", object(["name": .string("nine.json"), "text": .string(nine)]))
            #expect(refused.status == .contentTooLarge)
            let message = refused.json["error"]?.string ?? ""
            #expect(message.contains("8 MiB") && message.contains("omsync preview"), "\(message)")
            #expect(try await client.get("/api/state").json.at("samples.0.name")?.string == "three.json", "the refused batch changed nothing")
        }
    }

    /// Two files saved at once, each fine against the other's text on disk, not together: the
    /// rule file narrows `sales_order_status` to Placed and Parked while the settings file picks
    /// Completed. Twenty tries, both saves released together at a barrier on two threads.
    @Test func concurrentSavesNeverLeaveRulesWithErrorsOnDisk() throws {
        let shipped = try String(contentsOf: Project.url("rules/omsync.yaml"), encoding: .utf8)
        let narrowed = shipped.replacingOccurrences(of: "one_of: [Placed, Parked, Completed, Backordered]", with: "one_of: [Placed, Parked]")
        try #require(narrowed != shipped)
        let settings = try String(contentsOf: Project.url("rules/settings.yaml"), encoding: .utf8)
        let completed = settings.replacingOccurrences(of: "sales_order_status: Parked", with: "sales_order_status: Completed")
        try #require(completed != settings)
        for attempt in 1...20 {
            let fixture = try ServeFixture()
            defer { fixture.remove() }
            let workspace = RuleWorkspace(directory: fixture.rules.path)
            #expect(!(try workspace.check([RuleWorkspaceName.rules: narrowed]).hasErrors), "each save alone is fine")
            #expect(!(try workspace.check([RuleWorkspaceName.settings: completed]).hasErrors), "each save alone is fine")
            let barrier = DispatchGroup(), start = DispatchSemaphore(value: 0), done = DispatchGroup()
            let outcomes = Outcomes()
            for (name, text) in [(RuleWorkspaceName.rules, narrowed), (RuleWorkspaceName.settings, completed)] {
                barrier.enter()
                done.enter()
                Thread.detachNewThread {
                    barrier.leave()
                    start.wait()
                    do { _ = try workspace.save(name, text: text); outcomes.add("saved") } catch let refusal as RuleWorkspace.Refusal { outcomes.add("\(refusal.status)") } catch { outcomes.add("\(error)") }
                    done.leave()
                }
            }
            barrier.wait()
            start.signal()
            start.signal()
            done.wait()
            #expect(outcomes.sorted == ["422", "saved"], "attempt \(attempt): \(outcomes.sorted)")
            let onDisk = try workspace.check()
            let broken = onDisk.hasErrors
            #expect(!broken, "attempt \(attempt): the rules on disk have errors: \(onDisk.summary)")
        }
    }

    @Test func aSaveKeepsTheFilesMode() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let file = fixture.rules.appendingPathComponent("settings.yaml").path
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let settings = try fixture.text("settings.yaml")
        try await fixture.test { client in
            let reply = try await client.post("/api/save", object(["name": .string("settings.yaml"), "text": .string(settings + "# edited on the page\n")]))
            #expect(reply.status == .ok, "\(reply.body)")
        }
        #expect(try fixture.text("settings.yaml").hasSuffix("# edited on the page\n"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode == 0o600, "mode \(String(mode, radix: 8))")
    }

    /// The page opened at `localhost` and the one at `127.0.0.1` are the same server's page.
    @Test func aPageAtAnyLoopbackNameOfThisServerMaySave() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            // The router test's Host is `localhost`; the page was opened at 127.0.0.1.
            for origin in ["http://127.0.0.1", "http://localhost", "http://[::1]"] {
                let reply = try await client.post("/api/save", object(["name": .string("omsync.yaml"), "text": .string(fixture.shippedRules)]), origin: origin)
                #expect(reply.status == .ok, "\(origin): \(reply.body)")
            }
            for origin in ["http://localhost:3000", "http://127.0.0.1.evil.example", "http://evil.example", "null"] {
                let reply = try await client.post("/api/check", object([:]), origin: origin)
                #expect(reply.status == .forbidden, "\(origin)")
            }
        }
    }

    @Test(arguments: ["BEAN\n002", "BEAN\r002", "BEAN\u{1B}[2J", "BEAN\u{2028}002"])
    func aCustomerCodeWithAControlCharacterIsRefused(_ code: String) async throws {
        let fixture = try await ServeLedgerTests().fixture()
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: fixture.configuration.ledger?.location ?? "") }
        try await fixture.test { client in
            let reply = try await client.post("/api/customers", object(["customerID": .string("cust-1"), "customerCode": .string(code)]))
            #expect(reply.status == .unprocessableContent)
            let message = reply.json["error"]?.string ?? ""
            #expect(message.contains("control character") && message.contains("one line"), "\(message)")
            #expect(!message.contains(code), "the message shows the code escaped")
        }
        let ledger = try SQLiteLedger(path: try #require(fixture.configuration.ledger?.location))
        #expect(try await ledger.customerMapping(customerID: "cust-1")?.customerCode == "BEAN001")
    }

    @Test func anUnknownCustomerIsRefusedNotAdded() async throws {
        let fixture = try await ServeLedgerTests().fixture()
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: fixture.configuration.ledger?.location ?? "") }
        try await fixture.test { client in
            let reply = try await client.post("/api/customers", object(["customerID": .string("nobody-9"), "customerCode": .string("ACME")]))
            #expect(reply.status == .notFound)
            #expect(reply.json["error"]?.string?.contains("omsync customers set") == true, "\(reply.body)")
            let long = try await client.post("/api/customers", object(["customerID": .string("cust-1"), "customerCode": .string(String(repeating: "A", count: 51))]))
            #expect(long.status == .unprocessableContent)
            #expect(long.json["error"]?.string?.contains("at most 50") == true)
        }
        let ledger = try SQLiteLedger(path: try #require(fixture.configuration.ledger?.location))
        #expect(try await ledger.customerMapping(customerID: "nobody-9") == nil)
        #expect(try await ledger.customerMappings().count == 1)
    }

    @Test(arguments: ["-1", "0", "5001", "abc", "", "1e3"])
    func aLogLimitOutOfRangeIsRefused(_ limit: String) async throws {
        let fixture = try await ServeLedgerTests().fixture()
        defer { fixture.remove(); try? FileManager.default.removeItem(atPath: fixture.configuration.ledger?.location ?? "") }
        try await fixture.test { client in
            let reply = try await client.get("/api/log?limit=\(limit)")
            #expect(reply.status == .badRequest)
            #expect(reply.json["error"]?.string?.contains("from 1 to 5000") == true, "\(reply.body)")
            #expect(try await client.get("/api/log?limit=1").json["rows"]?.arrayValue?.count == 1)
            #expect(try await client.get("/api/log?limit=5000").json["rows"]?.arrayValue?.count == 3)
        }
    }
}

/// The two files the concurrent-save test writes.
enum RuleWorkspaceName {
    static let rules = "omsync.yaml"
    static let settings = "settings.yaml"
}

/// What each thread of a race reports.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    func add(_ value: String) { lock.withLock { values.append(value) } }
    var sorted: [String] { lock.withLock { values.sorted() } }
}
