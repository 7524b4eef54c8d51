import Batch
import Crypto
import Foundation
import Ledger
import Testing
import TestSupport

/// The chaos import (docs/reliability.md): a generated batch pushed into a sandbox that fails
/// 10 % of calls with a 500, drops 5 % after committing them, throttles 5 % with Retry-After,
/// resets 2 % of connections and adds random latency. Imports are repeated until no order is
/// left failed; then the sandbox is read back through the Unleashed API: every valid order
/// exists exactly once (by GUID, SourceId and customer reference), every invalid one is in the
/// log with its reason, and the ledger agrees with the sandbox row for row.
///
/// CI runs 300 orders; `OMSYNC_CHAOS_ORDERS=1000 swift test --filter ChaosImport` the full size.
@Suite(.serialized) struct ChaosImportEndToEndTests {
    static let orders = Int(ProcessInfo.processInfo.environment["OMSYNC_CHAOS_ORDERS"] ?? "") ?? 300
    static let (apiID, apiKey) = ("chaos-id", "chaos-key-not-secret")

    /// A signed GET through the Unleashed API (the sandbox checks the signature as Unleashed does).
    static func unleashedGET(_ sandbox: SandboxEndToEndTests.RunningSandbox, _ path: String, query: String) throws -> JSONValue {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(query.utf8), using: SymmetricKey(data: Data(apiKey.utf8)))
        let headers = ["api-auth-id": apiID, "api-auth-signature": Data(mac).base64EncodedString(),
                       "client-type": "ordermentum/omsync-tests", "Accept": "application/json", "Content-Type": "application/json"]
        return try JSONValue.parse(Array(try BlockingHTTP.get(sandbox.baseURL + path + "?" + query, headers: headers)))
    }

    /// Every sales order, page by page, as Unleashed lists them.
    static func allSalesOrders(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> [JSONValue] {
        var all: [JSONValue] = []
        var page = 1
        while true {
            let answer = try unleashedGET(sandbox, "/SalesOrders/\(page)", query: "pageSize=500")
            all += answer["Items"]?.arrayValue ?? []
            let pages = answer["Pagination"]?["NumberOfPages"]?.numberValue?.int ?? 1
            if page >= pages { return all }
            page += 1
        }
    }

    /// What one import (repeated until nothing is left failed) left behind.
    struct EndState {
        var orders: [JSONValue]          // our sales orders, read through the Unleashed API
        var rows: [OrderRecord]          // the ledger's rows
        var rounds: [String]             // each import run: exit status and summary
        var calls = ""                   // the sandbox's call meter
    }

    /// Imports `batch` into a new sandbox started with `faults`, until no order is left failed.
    static func importUntilSettled(_ batch: String, seed: String, folder: URL, name: String, faults: [String]) async throws -> EndState {
        let ledgerPath = folder.appendingPathComponent("\(name).sqlite").path
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", apiID, "--api-key", apiKey, "--seed", seed] + faults)
        let environment = ["UNLEASHED_API_ID": apiID, "UNLEASHED_API_KEY": apiKey, "UNLEASHED_API_URL": sandbox.baseURL]
        var rounds: [String] = []
        for _ in 0..<6 {
            let run = try await OMSyncBinary.run(["import", batch, "--ledger", ledgerPath, "--concurrency", "8", "--format", "json"],
                                           environment: environment)
            rounds.append("exit \(run.status): \(run.output.prefix(300)) \(run.errors.prefix(300))")
            let summary = try? JSONValue.parse(run.output)
            if run.status != 4, summary?["counts"]?["failed"]?.numberValue?.int == 0 { break }
        }
        // Read back with the faults off, so the reading itself is not what is tested.
        _ = try BlockingHTTP.put(sandbox.baseURL + "/_sandbox/faults",
                                 json: #"{"errorRate":0,"dropRate":0,"throttleRate":0,"resetRate":0,"latencyMs":0,"latencyJitterMs":0}"#)
        let orders = try allSalesOrders(sandbox).filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OM") }
        let calls = (try? JSONValue.parse(Array(try BlockingHTTP.get(sandbox.baseURL + "/_sandbox/calls"))))?.serialized() ?? "?"
        _ = sandbox.stop()
        let rows = try await SQLiteLedger(path: ledgerPath).orders(OrderFilter())
        return EndState(orders: orders, rows: rows, rounds: rounds, calls: calls)
    }

    @Test func everyValidOrderArrivesExactlyOnceThroughFaults() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = folder.appendingPathComponent("chaos.json").path, seed = folder.appendingPathComponent("seed.yaml").path
        let generator = SyntheticBatch(orders: Self.orders, seed: 2026, shape: .envelope)
        generator.write(to: try OutputSink(path: batch))
        try generator.sandboxSeed.write(toFile: seed, atomically: true, encoding: .utf8)

        // The invalid orders, as the preview sees them.
        let preview = try await OMSyncBinary.run(["preview", "--format", "ndjson", batch])
        var invalid: Set<String> = []
        for line in preview.output.split(separator: "\n") {
            let plan = try JSONValue.parse(String(line))
            if plan["action"]?.stringValue == "invalid", let number = plan["source"]?["number"]?.stringValue { invalid.insert(number) }
        }

        let clean = try await Self.importUntilSettled(batch, seed: seed, folder: folder, name: "clean", faults: [])
        #expect(clean.rounds.count == 1, "a clean import settles at once: \(clean.rounds)")
        let chaos = try await Self.importUntilSettled(batch, seed: seed, folder: folder, name: "chaos", faults: [
            "--error-rate", "0.10", "--drop-rate", "0.05", "--throttle-rate", "0.05", "--reset-rate", "0.02",
            "--latency-ms", "1", "--latency-jitter-ms", "15", "--fault-seed", "11",
        ])
        #expect(chaos.rounds.count < 6, "the faults were outlasted: \(chaos.rounds)")
        #expect(clean.orders.count > Self.orders * 8 / 10, "most generated orders are created: \(clean.orders.count)")

        // The same orders as a clean run, each exactly once (by GUID, SourceId and customer reference).
        func byNumber(_ orders: [JSONValue]) -> [String: [JSONValue]] { Dictionary(grouping: orders) { $0["CustomerRef"]?.stringValue ?? "" } }
        let expected = byNumber(clean.orders), actual = byNumber(chaos.orders)
        #expect(Set(actual.keys) == Set(expected.keys),
                "missing: \(Set(expected.keys).subtracting(actual.keys).sorted()), extra: \(Set(actual.keys).subtracting(expected.keys).sorted())")
        #expect(Set(chaos.orders.compactMap { $0["Guid"]?.stringValue }).count == chaos.orders.count, "no GUID twice")
        for (number, copies) in actual {
            #expect(copies.count == 1, "\(number) exists \(copies.count) times")
            let want = expected[number]?.first
            #expect(copies.first?["SourceId"]?.stringValue == want?["SourceId"]?.stringValue, "\(number): SourceId")
            #expect(copies.first?["Total"]?.decimalValue == want?["Total"]?.decimalValue, "\(number): Total")
            #expect(copies.first?["Customer"]?["CustomerCode"]?.stringValue == want?["Customer"]?["CustomerCode"]?.stringValue, "\(number): customer")
        }

        // The ledger agrees with the sandbox row for row, nothing is left in doubt, and the
        // orders refused are the clean run's (refused for their data, never for a fault).
        #expect(chaos.rows.filter { $0.state == .creating || $0.state == .superseding }.isEmpty, "nothing left in doubt")
        let pushed = chaos.rows.filter { $0.state == .pushed }
        #expect(pushed.count == chaos.orders.count)
        for row in pushed {
            let number = row.sourceNumber ?? ""
            #expect(actual[number]?.first?["Guid"]?.stringValue == row.guid, "\(number): the ledger's GUID is the sandbox's")
        }
        func refused(_ state: EndState) -> [String: String] {
            Dictionary(state.rows.filter { $0.state == .rejected }.map { ($0.sourceNumber ?? "", $0.lastError ?? "") }) { first, _ in first }
        }
        #expect(refused(chaos) == refused(clean), "chaos refused \(refused(chaos).keys.sorted()), clean \(refused(clean).keys.sorted())")
        for number in invalid { #expect(refused(chaos)[number].map { $0.count > 20 } == true, "\(number) is invalid but has no reason") }

        // Every refused order is in the log with its reason.
        let errors = try JSONValue.parse(try await OMSyncBinary.run(["logs", "--ledger", folder.appendingPathComponent("chaos.sqlite").path,
                                                             "--errors", "--format", "json"]).output)
        let logged = Set((errors.arrayValue ?? []).compactMap { $0["orderNumber"]?.stringValue })
        #expect(logged.isSuperset(of: refused(chaos).keys), "not in the log: \(Set(refused(chaos).keys).subtracting(logged).sorted())")

        if ProcessInfo.processInfo.environment["OMSYNC_CHAOS_ORDERS"] != nil {
            // The full-size run reports its figures (docs/reliability.md quotes them).
            print("chaos: \(Self.orders) orders; clean run: \(clean.orders.count) created, \(refused(clean).count) refused; "
                  + "chaos: \(chaos.orders.count) created, \(refused(chaos).count) refused, \(chaos.rounds.count) import runs; calls: \(chaos.calls)\n"
                  + chaos.rounds.joined(separator: "\n"))
        }
    }
}
