import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// `omsync watch DIR --listen … --webhook-token-file …` as Ordermentum meets it (issue 20): a
/// delivery reaches Unleashed once even when delivered twice, a wrong token is a bare 404, a
/// newer version replaces the order and an older one changes nothing, and SIGTERM stops it cleanly.
@Suite(.serialized) struct WebhookEndToEndTests {
    static let token = "whk_" + String(repeating: "7f3a", count: 8)

    /// The order at index 0 of `harness`'s batch with `updatedAt` and `comment`.
    static func order(_ harness: ImportHarness, updatedAt: String, comment: String) throws -> JSONValue {
        let document = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: harness.batch))))
        guard case .object(var order)? = document["data"]?.arrayValue?.first else {
            throw SandboxEndToEndTests.RunningSandbox.Failure(description: "no order in \(harness.batch)")
        }
        order["updatedAt"] = .string(updatedAt)
        order["comment"] = .string(comment)
        return .object(order)
    }

    static func deliver(_ order: JSONValue, port: Int, token: String = token) throws -> (status: Int, body: String) {
        let body = JSONValue.object(JSONObject([("event", .string("order_updated")), ("data", order)])).serialized()
        let answer = try RawHTTP.request("POST", port: port, "/ordermentum/webhook/\(token)",
                                         headers: ["Content-Type": "application/json"], body: Array(body.utf8))
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    /// The live sales orders of the order number.
    static func live(_ sandbox: SandboxEndToEndTests.RunningSandbox, _ number: String) throws -> [JSONValue] {
        ImportHarness.live(try ImportHarness.salesOrders(sandbox))[number] ?? []
    }

    /// Coalescing: five versions of one order waiting in the inbox cost one create, with the
    /// newest content, and no supersede; the four older copies are logged as superseded by it.
    @Test func fiveWaitingVersionsOfOneOrderAreOneCreate() async throws {
        let harness = try ImportHarness(orders: 1, seed: 2021, name: "coalesce")
        defer { harness.remove() }
        let inbox = harness.path("inbox"), ledger = harness.path("ledger.sqlite")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        // Oldest file first, the versions out of order: the newest (05:00) is in the second file.
        for (age, hour) in [(50, "02"), (40, "05"), (30, "01"), (20, "04"), (10, "03")] {
            let order = try Self.order(harness, updatedAt: "2030-01-01T\(hour):00:00.000Z", comment: "version \(hour)")
            try WatchEndToEndTests.drop(JSONValue.array([order]).serialized(), as: "edit-\(hour).json", in: inbox, age: TimeInterval(age))
        }
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let run = try await OMSyncBinary.run(["watch", inbox, "--once", "--settle", "0", "--ledger", ledger, "--format", "json"],
                                             environment: ImportHarness.environment(sandbox))
        #expect(run.status == 0, "\(run.errors)")
        let calls = try ImportHarness.calls(sandbox)
        #expect(calls["POST /SalesOrders/{guid}"] == 1 && calls["PUT /SalesOrders/{guid}"] == nil, "\(calls)")
        let orders = try ImportHarness.salesOrders(sandbox)
        #expect(orders.count == 1 && orders.first?["Comments"]?.stringValue == "version 05", "\(orders.map { $0["Comments"] as Any })")
        let skipped = try await SQLiteLedger(path: ledger).logs(LogFilter()).filter { $0.action == .skip }
        #expect(skipped.count == 4 && skipped.allSatisfy { $0.message?.contains("edit-05.json") == true && $0.message?.contains("supersedes it") == true },
                "\(skipped.map(\.message))")
        #expect(WatchEndToEndTests.names(inbox + "/done").filter { $0.hasSuffix(".summary.json") }.count == 5)
    }

    @Test func aDeliveryLandsOnceTheNewestWinsAndAWrongTokenIsABare404() async throws {
        let harness = try ImportHarness(orders: 2, seed: 2020, name: "webhook")
        defer { harness.remove() }
        let inbox = harness.path("inbox"), ledger = harness.path("ledger.sqlite"), tokenFile = harness.path("token")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try Data((Self.token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
        let sandbox = try await harness.sandbox()
        defer { _ = sandbox.stop() }
        let watcher = try WatchEndToEndTests.start(["watch", inbox, "--listen", "127.0.0.1:0", "--webhook-token-file", tokenFile,
                                                    "--settle", "0", "--interval", "0.5", "--ledger", ledger], harness, sandbox, log: "hook")
        defer { if watcher.isRunning { watcher.terminate() } }
        let errors = { WatchEndToEndTests.text(harness.path("hook.err")) }
        var port: Int?
        try await OffPool.poll(everyMilliseconds: 20, for: 60) {
            let marker = "receiving Ordermentum webhooks at http://127.0.0.1:"
            port = errors().range(of: marker).flatMap { found in Int(errors()[found.upperBound...].prefix { $0.isNumber }) }
            return port != nil || !watcher.isRunning
        }
        let listening = try #require(port, "the address is printed: \(errors())")

        let first = try Self.order(harness, updatedAt: "2030-01-01T05:00:00.000Z", comment: "from the webhook")
        let number = try #require(first["orderNumber"]?.stringValue)
        let started = Date()
        let once = try Self.deliver(first, port: listening)
        let twice = try Self.deliver(first, port: listening)
        #expect(once.status == 200 && once.body.contains(#""accepted":1"#), "\(once)")
        #expect(twice.status == 200 && twice.body.contains("duplicate"), "\(twice)")
        let wrong = try Self.deliver(first, port: listening, token: "whk_not-the-token-at-all-0000")
        #expect(wrong.status == 404 && wrong.body.isEmpty, "\(wrong)")
        try await OffPool.poll(everyMilliseconds: 20, for: 60) { try !Self.live(sandbox, number).isEmpty }
        let latency = Date().timeIntervalSince(started)
        #expect(try Self.live(sandbox, number).count == 1, "once: \(errors())")
        #expect(try Self.live(sandbox, number).first?["Comments"]?.stringValue == "from the webhook")

        // A newer version replaces it; an older one, delivered after, changes nothing.
        _ = try Self.deliver(try Self.order(harness, updatedAt: "2030-01-01T06:00:00.000Z", comment: "newer"), port: listening)
        try await OffPool.poll(everyMilliseconds: 20, for: 60) { try Self.live(sandbox, number).first?["Comments"]?.stringValue == "newer" }
        _ = try Self.deliver(try Self.order(harness, updatedAt: "2030-01-01T04:00:00.000Z", comment: "older"), port: listening)
        try await OffPool.poll(everyMilliseconds: 50, for: 60) {
            // The older copy's file is filed in done/ once its cycle has run.
            WatchEndToEndTests.names(inbox + "/done").filter { $0.hasSuffix(".summary.json") }.count == 3
        }
        let logged = try await SQLiteLedger(path: ledger).logs(LogFilter(orderNumber: number))
        #expect(logged.contains { $0.message?.hasPrefix("an older copy: updatedAt 2030-01-01T04:00:00.000Z is before the pushed version's 2030-01-01T06:00:00.000Z") == true },
                "\(logged.map(\.message))")
        #expect(try Self.live(sandbox, number).map { $0["Comments"]?.stringValue } == ["newer"], "the older copy changed nothing")

        kill(watcher.processIdentifier, SIGTERM)
        watcher.waitUntilExit()
        #expect(watcher.terminationStatus == 130, "\(errors())")
        let printed = errors() + WatchEndToEndTests.text(harness.path("hook.out"))
        #expect(!printed.contains(Self.token), "the token is never printed")
        let files = WatchEndToEndTests.names(inbox + "/done").filter { $0.hasSuffix(".json") && !$0.hasSuffix(".summary.json") }
        #expect(files.count == 3, "one file per accepted delivery: \(files)")
        print("webhook delivery → sales order in the sandbox: \(Int(latency * 1000)) ms")
    }
}
