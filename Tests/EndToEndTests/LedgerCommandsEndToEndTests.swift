import Batch
import Foundation
import Testing
import TestSupport

/// `connect`, `import`, `logs` and `customers` as a user runs them (the built binaries, the
/// sandbox binary on a free port, a real ledger in a scratch folder), and the API key found
/// nowhere but in the credentials file.
@Suite(.serialized) struct LedgerCommandsEndToEndTests {
    static let rules = Project.path("rules")
    static let sample = Project.path("samples/orders-envelope.json")

    static func value(_ sandbox: SandboxEndToEndTests.RunningSandbox, _ label: String) -> String {
        sandbox.printed.split(separator: "\n").first { $0.contains(label) }.map {
            String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
        } ?? ""
    }

    @Test func connectImportLogsAndCustomersWorkTogetherAndTheKeyStaysInItsFile() async throws {
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start([])
        let id = Self.value(sandbox, "api id:"), key = Self.value(sandbox, "api key:")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-cmds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let credentials = folder.appendingPathComponent(".omsync/credentials").path
        let ledger = folder.appendingPathComponent(".omsync/ledger.sqlite").path
        var outputs: [String] = []
        func run(_ arguments: [String], input: String? = nil) async throws -> OMSyncBinary.Run {
            let result = try await OMSyncBinary.run(arguments, input: input.map { Data($0.utf8) }, in: folder)
            outputs += [result.output, result.errors]
            return result
        }

        // connect: a wrong key stores nothing (exit 4); the right one is stored 0600, never echoed.
        let refused = try await run(["connect", "--api-id", id, "--api-url", sandbox.baseURL, "--credentials", credentials], input: "not-the-key\n")
        #expect(refused.status == 4, "\(refused.errors)")
        #expect(!FileManager.default.fileExists(atPath: credentials))
        let connected = try await run(["connect", "--api-id", id, "--api-url", sandbox.baseURL, "--credentials", credentials], input: key + "\n")
        #expect(connected.status == 0, "\(connected.errors)")
        let mode = (try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)

        // import with the stored credentials: 3 created, 2 skipped, 2 rejected (exit 1).
        let imported = try await run(["import", Self.sample, "--rules", Self.rules, "--ledger", ledger, "--credentials", credentials, "--format", "json"])
        #expect(imported.status == 1, "\(imported.errors)")
        let summary = try JSONValue.parse(imported.output)
        #expect(summary["counts"]?["created"]?.numberValue?.int == 3)
        #expect(summary["counts"]?["rejected"]?.numberValue?.int == 2)

        // logs: every order has a row; --errors only the rejected; --order one order.
        let logs = try JSONValue.parse(try await run(["logs", "--ledger", ledger, "--format", "json"]).output).arrayValue ?? []
        #expect(Set(logs.compactMap { $0["orderNumber"]?.stringValue }).count == 7, "every order of the batch has a log row")
        let errors = try JSONValue.parse(try await run(["logs", "--ledger", ledger, "--errors", "--format", "json"]).output).arrayValue ?? []
        #expect(errors.map { $0["outcome"]?.stringValue } == ["rejected", "rejected"])
        // The workers push orders side by side, so the log holds them in the order they finished,
        // which is not the batch's: each rejection is found by its order number.
        let message = { (number: String) in errors.first { $0["orderNumber"]?.stringValue == number }?["message"]?.stringValue ?? "" }
        #expect(message("OM10455").contains("required property unleashed_customer_code"), "\(errors)")
        #expect(message("OM10456").contains("line 1 (order.lineItems[0]) has no Product.ProductCode"), "\(errors)")
        let one = try JSONValue.parse(try await run(["logs", "--ledger", ledger, "--order", "OM10452", "--format", "json"]).output).arrayValue ?? []
        #expect(one.count == 1 && one.first?["outcome"]?.stringValue == "ok", "\(one)")
        #expect(try await run(["logs", "--ledger", ledger, "--errors"]).output.contains("OM10455"))

        // customers: the mapping from the properties, corrected by hand (checked against Unleashed), forgotten.
        let listed = try JSONValue.parse(try await run(["customers", "list", "--ledger", ledger, "--format", "json"]).output).arrayValue ?? []
        let bean = try #require(listed.first { $0["customerCode"]?.stringValue == "BEAN001" })
        #expect(bean["origin"]?.stringValue == "property")
        let customerID = try #require(bean["customerId"]?.stringValue)
        let unknown = try await run(["customers", "set", customerID, "NO-SUCH-CUSTOMER", "--ledger", ledger, "--credentials", credentials])
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("NO-SUCH-CUSTOMER"), "\(unknown.errors)")
        let set = try await run(["customers", "set", customerID, "LOAF002", "--ledger", ledger, "--credentials", credentials])
        #expect(set.status == 0, "\(set.errors)")
        let after = try JSONValue.parse(try await run(["customers", "list", "--ledger", ledger, "--format", "json"]).output).arrayValue ?? []
        let manual = try #require(after.first { $0["customerId"]?.stringValue == customerID })
        #expect(manual["customerCode"]?.stringValue == "LOAF002")
        #expect(manual["origin"]?.stringValue == "manual")
        #expect(try await run(["customers", "forget", customerID, "--ledger", ledger]).status == 0)
        let forgotten = try JSONValue.parse(try await run(["customers", "list", "--ledger", ledger, "--format", "json"]).output).arrayValue ?? []
        #expect(!forgotten.contains { $0["customerId"]?.stringValue == customerID })

        // The key: in the credentials file and nowhere else (outputs, ledger and its WAL, the folder).
        let stored = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: credentials))))
        #expect(stored["apiKey"]?.stringValue == key)
        for text in outputs { #expect(!text.contains(key), "the key was printed: \(text.prefix(200))") }
        let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
        for name in files where !name.hasSuffix("credentials") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            #expect(data.range(of: Data(key.utf8)) == nil, "the key is in \(name)")
        }
        #expect(files.contains { $0.hasSuffix("ledger.sqlite") })
        _ = sandbox.stop()
    }

    /// `connect --account NAME` stores where `import --account NAME` looks, from the account's own
    /// variables (never UNLEASHED_*); a name without an account folder stores nothing.
    @Test func connectForANamedAccountStoresWhereItsImportLooks() async throws {
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start([])
        defer { _ = sandbox.stop() }
        let id = Self.value(sandbox, "api id:"), key = Self.value(sandbox, "api key:")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("connect-account-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("accounts/acme"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("default_warehouse: MAIN\n".utf8).write(to: folder.appendingPathComponent("accounts/acme/settings.yaml"))
        let acme = ["OMSYNC_ACME_API_ID": id, "OMSYNC_ACME_API_KEY": key, "OMSYNC_ACME_API_URL": sandbox.baseURL]
        let stored = folder.appendingPathComponent(".omsync/accounts/acme/credentials").path

        // A typo of the account: refused, naming the accounts there; nothing stored.
        let typo = try await OMSyncBinary.run(["connect", "--account", "acmee"], in: folder, environment: acme)
        #expect(typo.status == 2 && typo.errors.contains("accounts/acmee") && typo.errors.contains("acme"), "\(typo.errors)")
        // The plain UNLEASHED_* variables are another account's: not used for acme.
        let plain = try await OMSyncBinary.run(["connect", "--account", "acme"], input: Data(), in: folder,
                                               environment: ["UNLEASHED_API_ID": id, "UNLEASHED_API_KEY": key, "UNLEASHED_API_URL": sandbox.baseURL])
        #expect(plain.status == 2 && plain.errors.contains("OMSYNC_ACME_API_ID"), "\(plain.errors)")
        #expect(!FileManager.default.fileExists(atPath: stored))

        let connected = try await OMSyncBinary.run(["connect", "--account", "acme"], in: folder, environment: acme)
        #expect(connected.status == 0, "\(connected.errors)")
        #expect(connected.output.contains("for account acme stored in .omsync/accounts/acme/credentials"), "\(connected.output)")
        #expect(!(connected.output + connected.errors).contains(key))
        let mode = (try FileManager.default.attributesOfItem(atPath: stored)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        // The import of the account finds them with no variable set.
        let imported = try await OMSyncBinary.run(["import", Self.sample, "--rules", Self.rules, "--account", "acme", "--format", "json"], in: folder)
        #expect(imported.status == 1, "3 created, 2 rejected: \(imported.errors)")
        #expect(try JSONValue.parse(imported.output)["counts"]?["created"]?.numberValue?.int == 3)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".omsync/accounts/acme/ledger.sqlite").path))
    }
}
