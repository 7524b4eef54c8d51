import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// Crash and resume (docs/reliability.md): an import killed with SIGKILL at random moments (after
/// a random number of new orders), ten times over, each run resuming the last, ends exactly like one clean run: the same sales
/// orders, each once, the ledger agreeing with the sandbox row for row, nothing left in doubt.
@Suite(.serialized) struct CrashResumeEndToEndTests {
    static let orders = Int(ProcessInfo.processInfo.environment["OMSYNC_CRASH_ORDERS"] ?? "") ?? 200
    static let rounds = 10

    /// How many sales orders the sandbox holds (one signed list call of one item).
    static func count(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> Int {
        try ChaosImportEndToEndTests.unleashedGET(sandbox, "/SalesOrders/1", query: "pageSize=1")["Pagination"]?["NumberOfItems"]?
            .numberValue?.int ?? -1
    }

    /// The create calls the sandbox has answered so far (its call meter, on the admin API).
    static func creates(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> Int {
        let port = Int(sandbox.baseURL.split(separator: ":").last ?? "") ?? 0
        let meter = try JSONValue.parse(try RawHTTP.get(port: port, "/_sandbox/calls"))
        return meter["byEndpoint"]?["POST /SalesOrders/{guid}"]?.numberValue?.int ?? 0
    }

    @Test func tenKillsAtRandomMomentsEndLikeACleanRun() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = folder.appendingPathComponent("crash.json").path, seed = folder.appendingPathComponent("seed.yaml").path
        let generator = SyntheticBatch(orders: Self.orders, seed: 77, shape: .ndjson)
        generator.write(to: try OutputSink(path: batch))
        try generator.sandboxSeed.write(toFile: seed, atomically: true, encoding: .utf8)

        let clean = try await ChaosImportEndToEndTests.importUntilSettled(batch, seed: seed, folder: folder, name: "clean", faults: [])

        // The crashed run: a slow sandbox (200 ms a call, one call at a time: five creates a second),
        // so a watch that a loaded machine lets look only every second still kills mid-import.
        let (id, key) = (ChaosImportEndToEndTests.apiID, ChaosImportEndToEndTests.apiKey)
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", id, "--api-key", key, "--seed", seed, "--latency-ms", "200"])
        let ledger = folder.appendingPathComponent("crash.sqlite").path
        var random = SplitMix64(seed: 2026)
        var killedPartWay = 0
        var log: [String] = []
        for round in 0..<Self.rounds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
            process.arguments = ["import", batch, "--ledger", ledger, "--concurrency", "1", "--format", "json"]
            process.currentDirectoryURL = Project.root
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["UNLEASHED_API_ID": id, "UNLEASHED_API_KEY": key, "UNLEASHED_API_URL": sandbox.baseURL]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let before = try Self.count(sandbox)
            let creates = try Self.creates(sandbox)   // before the start: a loaded machine may run it a while before we look
            try process.run()
            // A random moment while it works: once it has created 4 to 12 more orders (however
            // long its start takes on a loaded machine), so every kill leaves work for the next run.
            // Counted on the admin API's call meter (no latency, nothing to list), so the watch keeps
            // up with the import on a loaded machine.
            let target = creates + random.inRange(4...12)
            try await OffPool.poll(everyMilliseconds: 5, for: 60) { try !process.isRunning || Self.creates(sandbox) >= target }
            let wasRunning = process.isRunning
            if wasRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let after = try Self.count(sandbox)
            if wasRunning && process.terminationReason == .uncaughtSignal { killedPartWay += 1 }
            log.append("round \(round): \(wasRunning ? "killed" : "finished (exit \(process.terminationStatus))"), orders \(before) -> \(after)")
        }
        #expect(killedPartWay == Self.rounds, "every round was killed mid-import: \(log)")

        // A last run, left to finish, settles whatever the kills left open.
        let environment = ["UNLEASHED_API_ID": id, "UNLEASHED_API_KEY": key, "UNLEASHED_API_URL": sandbox.baseURL]
        let last = try await OMSyncBinary.run(["import", batch, "--ledger", ledger, "--concurrency", "4", "--format", "json"], environment: environment)
        #expect(last.status == 0 || last.status == 1, "\(last.errors)")
        #expect((try? JSONValue.parse(last.output))?["counts"]?["failed"]?.numberValue?.int == 0, "\(last.output)")

        let orders = try ChaosImportEndToEndTests.allSalesOrders(sandbox).filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OM") }
        _ = sandbox.stop()
        let rows = try await SQLiteLedger(path: ledger).orders(OrderFilter())

        let expected = Dictionary(grouping: clean.orders) { $0["CustomerRef"]?.stringValue ?? "" }
        let actual = Dictionary(grouping: orders) { $0["CustomerRef"]?.stringValue ?? "" }
        #expect(Set(actual.keys) == Set(expected.keys), "missing \(Set(expected.keys).subtracting(actual.keys).sorted()); \(log)")
        for (number, copies) in actual {
            #expect(copies.count == 1, "\(number) exists \(copies.count) times; \(log)")
            #expect(copies.first?["Total"]?.decimalValue == expected[number]?.first?["Total"]?.decimalValue, "\(number): Total")
        }
        #expect(Set(orders.compactMap { $0["Guid"]?.stringValue }).count == orders.count, "no GUID twice")
        #expect(rows.filter { $0.state == .creating || $0.state == .superseding }.isEmpty, "nothing left in doubt")
        let pushed = rows.filter { $0.state == .pushed }
        #expect(pushed.count == orders.count)
        for row in pushed {
            #expect(actual[row.sourceNumber ?? ""]?.first?["Guid"]?.stringValue == row.guid, "\(row.sourceNumber ?? "?"): the ledger's GUID")
        }
        let refusedClean = Set(clean.rows.filter { $0.state == .rejected }.compactMap(\.sourceNumber))
        #expect(Set(rows.filter { $0.state == .rejected }.compactMap(\.sourceNumber)) == refusedClean)
        if ProcessInfo.processInfo.environment["OMSYNC_CRASH_ORDERS"] != nil {
            print("crash: \(Self.orders) orders, \(orders.count) created (clean: \(clean.orders.count)), \(killedPartWay) kills part-way\n"
                  + log.joined(separator: "\n"))
        }
    }
}
