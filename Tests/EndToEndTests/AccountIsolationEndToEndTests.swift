import Batch
import Foundation
import Testing
import TestSupport

/// One resolved account: every command run with `--account a` talks only to account a's
/// Unleashed, with a's rules and settings, and reads and writes only a's ledger, while the plain
/// `UNLEASHED_*` variables and `.omsync/credentials` point at another company's Unleashed.
@Suite(.serialized) struct AccountIsolationEndToEndTests {
    static let rules = Project.path("rules")
    static let sample = Project.path("samples/orders-envelope.json")

    /// Calls the sandbox has answered, in total.
    static func calls(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> Int {
        try ImportHarness.calls(sandbox).values.reduce(0, +)
    }

    /// The ledgers the test runs on: SQLite (one file per account) and PostgreSQL (one database).
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    @Test(arguments: Backend.allCases)
    func everyCommandForAccountAReachesOnlyAccountA(_ backend: Backend) async throws {
        if backend == .postgres, !TestPostgres.isEnabled {
            #expect(ProcessInfo.processInfo.environment["OMSYNC_REQUIRE_POSTGRES"] != "1", "no PostgreSQL cluster")
            return
        }
        let url = backend == .postgres ? try TestPostgres.freshURL() : nil
        let mine = try await SandboxEndToEndTests.RunningSandbox.start([])
        let other = try await SandboxEndToEndTests.RunningSandbox.start([])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("accounts/a"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Account a's own setting: its sales orders are Placed (the shared settings say Parked).
        try "sales_order_status: Placed\n".write(to: folder.appendingPathComponent("accounts/a/settings.yaml"), atomically: true, encoding: .utf8)
        // The other company: the plain variables and the default credentials file.
        let otherID = LedgerCommandsEndToEndTests.value(other, "api id:"), otherKey = LedgerCommandsEndToEndTests.value(other, "api key:")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".omsync"), withIntermediateDirectories: true)
        let defaultCredentials = folder.appendingPathComponent(".omsync/credentials")
        let stored = #"{"apiId":"\#(otherID)","apiKey":"\#(otherKey)","apiURL":"\#(other.baseURL)"}"#
        try stored.write(to: defaultCredentials, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: defaultCredentials.path)
        let plain = ["UNLEASHED_API_ID": otherID, "UNLEASHED_API_KEY": otherKey, "UNLEASHED_API_URL": other.baseURL]
        let mineVariables = ["OMSYNC_A_API_ID": LedgerCommandsEndToEndTests.value(mine, "api id:"),
                             "OMSYNC_A_API_KEY": LedgerCommandsEndToEndTests.value(mine, "api key:"),
                             "OMSYNC_A_API_URL": mine.baseURL]
        let both = plain.merging(mineVariables) { $1 }
        func run(_ arguments: [String], environment: [String: String] = both, input: String? = nil) async throws -> OMSyncBinary.Run {
            try await OMSyncBinary.run(arguments, input: input.map { Data($0.utf8) }, in: folder, environment: environment)
        }
        let ledger = url ?? folder.appendingPathComponent(".omsync/accounts/a/ledger.sqlite").path
        // SQLite: each account's own default file; PostgreSQL: one database for both accounts.
        let ledgerArguments = url.map { ["--ledger", $0] } ?? []
        let account = ["--account", "a", "--rules", Self.rules] + ledgerArguments
        // The default account already has a run in the shared ledger, against the other company.
        if let url {
            let theirs = try await run(["import", Self.sample, "--rules", Self.rules, "--ledger", url], environment: plain)
            #expect(theirs.status == 1, "\(theirs.errors)")
        }
        let otherBefore = try ImportHarness.calls(other)
        var defaultLogBefore: String?
        if let url { defaultLogBefore = try await run(["logs", "--ledger", url, "--format", "json"]).output }

        // Without a's own credentials: refused before any call, with a hint that stores a's (not the default's).
        let noCredentials = try await run(["import", Self.sample] + account, environment: plain)
        #expect(noCredentials.status == 2, "\(noCredentials.errors)")
        #expect(noCredentials.errors.contains("OMSYNC_A_API_ID") && noCredentials.errors.contains("omsync connect --account a"),
                "\(noCredentials.errors)")
        #expect(!noCredentials.errors.contains("--credentials .omsync/accounts/a/credentials"), "\(noCredentials.errors)")

        let imported = try await run(["import", Self.sample, "--format", "json"] + account)
        #expect(imported.status == 1, "3 created, 2 rejected: \(imported.output) \(imported.errors)")
        let created = (try JSONValue.parse(Array(try BlockingHTTP.get(mine.baseURL + "/_sandbox/state"))))["salesOrders"]?.arrayValue?
            .filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OM") } ?? []
        #expect(created.count == 3 && created.allSatisfy { $0["OrderStatus"]?.stringValue == "Placed" },
                "a's settings: \(created.map { $0["OrderStatus"]?.stringValue ?? "-" })")

        let dryRun = try await run(["import", Self.sample, "--dry-run", "--format", "json"] + account)
        #expect(dryRun.status == 1, "\(dryRun.errors)")
        #expect(dryRun.errors.contains(url ?? ".omsync/accounts/a/ledger.sqlite"), "a's ledger: \(dryRun.errors)")
        let dryActions = (try JSONValue.parse(dryRun.output))["orders"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
        #expect(dryActions.contains("skip") && !dryActions.contains("create"), "ledger-aware: \(dryActions)")

        let retried = try await run(["retry"] + account)
        #expect(retried.status == 1, "the two invalid orders are rejected again: \(retried.output) \(retried.errors)")
        #expect(retried.errors.contains("2 orders"), "\(retried.errors)")

        let preview = try await run(["preview", Self.sample, "--against-unleashed", "--format", "json"] + (url == nil ? ["--ledger", ledger] : []) + account,
                                    environment: mineVariables)
        #expect(preview.status == 1, "\(preview.errors)")
        #expect(preview.errors.contains("asked Unleashed") && !preview.errors.contains("UNLEASHED_"), "\(preview.errors)")
        #expect(preview.output.contains("\"OrderStatus\":\"Placed\"") && !preview.output.contains("\"OrderStatus\":\"Parked\""),
                "a's settings in the preview")

        let set = try await run(["customers", "set", "cust-by-hand", "ACME", "--account", "a"] + ledgerArguments)
        #expect(set.status == 0, "ACME exists in a's Unleashed: \(set.errors)")
        let list = try await run(["customers", "list", "--account", "a"] + ledgerArguments)
        #expect(list.output.contains("cust-by-hand"), "\(list.output)")
        let logs = try await run(["logs", "--account", "a", "--errors"] + ledgerArguments)
        #expect(logs.status == 0 && logs.output.contains("rejected"), "\(logs.output) \(logs.errors)")
        let export = try await run(["ledger", "export", "--account", "a"] + ledgerArguments)
        #expect(export.status == 0 && export.output.contains("cust-by-hand"), "\(export.errors)")
        let accounts = try await run(["accounts", "--format", "json"] + ledgerArguments)
        #expect(accounts.status == 0 && accounts.output.contains("\"name\" : \"a\""), "\(accounts.output) \(accounts.errors)")

        let connected = try await run(["connect", "--account", "a"])
        #expect(connected.status == 0, "\(connected.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".omsync/accounts/a/credentials").path))
        #expect(try String(contentsOf: defaultCredentials, encoding: .utf8) == stored, "the default account's file is untouched")

        // serve --account a: a's ledger and a's settings.
        let served = try await Self.servePreview(in: folder, arguments: account, environment: both)
        #expect(served.contains("\"ledger\":true") || served.contains("\"ledger\": true") || served.contains("\"skip\""), "\(served.prefix(300))")
        #expect(served.contains("Placed") && !served.contains("\"Parked\""), "a's settings in serve")

        // The other company's Unleashed received nothing, and nothing but a's ledger was written.
        let otherCalls = try ImportHarness.calls(other)
        #expect(otherCalls == otherBefore, "the other company's Unleashed was called: \(otherBefore) → \(otherCalls)")
        #expect(try Self.calls(mine) > 0)
        if let url {
            let defaultLog = try await run(["logs", "--ledger", url, "--format", "json"]).output
            #expect(defaultLog == defaultLogBefore, "the default account's rows changed")
            #expect(!defaultLog.contains("cust-by-hand"))
        } else {
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".omsync/ledger.sqlite").path),
                    "the default account's ledger was created")
        }
        _ = mine.stop()
        _ = other.stop()
    }

    /// Starts `omsync serve ARGUMENTS` in `folder`, asks it for a preview in the ledger state, and stops it.
    static func servePreview(in folder: URL, arguments: [String], environment: [String: String]) async throws -> String {
        try await OffPool.run {
            try ServeProcess.with(["--batch", sample] + arguments, in: folder, environment: environment) { base, token in
                String(decoding: try ServeProcess.post(base, "/api/preview", token: token, json: #"{"state":"ledger","index":0}"#), as: UTF8.self)
            }
        }
    }
}
