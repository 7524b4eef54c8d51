import Foundation
import Batch
import Ledger
import Testing
import TestSupport

/// What a newcomer meets first on the command line (issue 21, item 12).
@Suite struct CommandLineEndToEndTests {
    /// `omsync --help` groups the subcommands: the main jobs first, then the import family,
    /// then accounts and ledgers, then tools (the sandbox no longer comes first).
    @Test func helpListsTheMainJobsFirst() async throws {
        let help = try await OMSyncBinary.run(["--help"])
        #expect(help.status == 0)
        let text = help.output
        let headings = ["RULES AND PREVIEWS SUBCOMMANDS:", "IMPORTING SUBCOMMANDS:", "ACCOUNTS AND LEDGERS SUBCOMMANDS:", "TOOLS SUBCOMMANDS:"]
        let places = headings.compactMap { text.range(of: $0)?.lowerBound }
        #expect(places.count == headings.count && places == places.sorted(), "\(text)")
        let preview = try #require(text.range(of: "\n  preview ")), importing = try #require(text.range(of: "\n  import ")),
            sandbox = try #require(text.range(of: "\n  sandbox "))
        #expect(preview.lowerBound < importing.lowerBound && importing.lowerBound < sandbox.lowerBound)
    }

    /// A key pasted into `account.yaml` or an account's `settings.yaml` is named by its key and
    /// line, never echoed (the refusal reaches terminals and log collectors).
    @Test func aKeyPastedIntoAnAccountsFilesIsNeverEchoed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-paste-\(UUID().uuidString)")
        let account = folder.appendingPathComponent("accounts/acme")
        try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "pasted-SECRET-7f3a9c"
        let cases: [(file: String, text: String, said: String)] = [
            ("account.yaml", "quota: 100\napi_key: \(secret)\n", "account.yaml:2: unknown key 'api_key'"),
            ("account.yaml", "quota: \(secret)\n", "account.yaml:1: quota must be a positive whole number"),
            ("settings.yaml", "api_key: \(secret)\n", "settings.yaml:1:1: error[E205]: unknown setting 'api_key'"),
        ]
        for entry in cases {
            try? FileManager.default.removeItem(at: account.appendingPathComponent("account.yaml"))
            try? FileManager.default.removeItem(at: account.appendingPathComponent("settings.yaml"))
            try Data(entry.text.utf8).write(to: account.appendingPathComponent(entry.file))
            let run = try await OMSyncBinary.run(["preview", Project.path("samples/orders.ndjson"), "--rules", Project.path("rules"), "--account", "acme"],
                                                 in: folder)
            #expect(run.status != 0)
            #expect(run.errors.contains(entry.said), "\(entry.file): \(run.errors)")
            #expect(!run.errors.contains(secret) && !run.output.contains(secret), "\(entry.file) echoes the value: \(run.errors)")
        }
    }

    /// One SQLite file given to two accounts: the file records its account, and the other is refused.
    @Test func aSQLiteLedgerBelongsToOneAccount() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-owner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("shared.sqlite").path
        // Made for account alpha (as its first import does), with a mapping in it.
        let made = try SQLiteLedger(path: path, account: "alpha")
        try await made.saveCustomerMapping(CustomerMapping(customerID: "c-1", customerCode: "ACME", unleashedGuid: nil, origin: .manual, updatedAt: Date()))
        await made.close()
        let other = try await OMSyncBinary.run(["logs", "--account", "beta", "--ledger", path], in: folder)
        #expect(other.status == 4, "\(other.status) \(other.errors)")
        #expect(other.errors.contains("is the ledger of account 'alpha', not 'beta'"), "\(other.errors)")
        let owner = try await OMSyncBinary.run(["customers", "list", "--account", "alpha", "--ledger", path], in: folder)
        #expect(owner.status == 0 && owner.output.contains("ACME"), "\(owner.errors)")
    }

    /// `omsync accounts` lists every account folder `--account` accepts (one with only an
    /// account.yaml too), and says which folders it leaves out for their names.
    @Test func accountsListsEveryAccountFolderAndNamesTheOnesLeftOut() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-accounts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, file, text) in [("quota-only", "account.yaml", "quota: 10\n"), ("Bad Name", "account.yaml", "quota: 5\n"),
                                   ("settled", "settings.yaml", "tax_code: GST\n")] {
            let account = folder.appendingPathComponent("accounts/\(name)")
            try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: account.appendingPathComponent(file))
        }
        let run = try await OMSyncBinary.run(["accounts", "--format", "json"], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        let names = (try JSONValue.parse(run.output).arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(names == ["quota-only", "settled"], "\(names)")
        #expect(run.errors.contains("accounts/Bad Name is left out") && run.errors.contains("rename the folder"), "\(run.errors)")
    }

    /// `ledger import` never trusts the account a (hand-edited) export names: `../../evil` would
    /// write outside `.omsync/`, `Evil Name; DROP` be unaddressable in PostgreSQL.
    @Test func anExportsAccountNameIsCheckedBeforeItIsUsed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-evil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["../../evil", "Evil Name; DROP"] {
            let file = folder.appendingPathComponent("export.ndjson")
            try Data(#"{"account":"\#(name)","format":"omsync-ledger","version":1}\#n{"end":{"rows":0}}\#n"#.utf8).write(to: file)
            let run = try await OMSyncBinary.run(["ledger", "import", file.path], in: folder)
            #expect(run.status == 2 && run.errors.contains("is not an account name") && run.errors.contains("give --account NAME"), "\(run.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent("evil").path))
    }

    /// A credentials path that is a directory is called one, not "others can read it (mode 755)".
    @Test func aCredentialsPathThatIsADirectoryIsNamedSo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await OMSyncBinary.run(["import", Project.path("samples/orders.ndjson"), "--rules", Project.path("rules"),
                                              "--ledger", folder.appendingPathComponent("l.sqlite").path, "--credentials", folder.path])
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.errors.contains("is a directory, not a credentials file") && !run.errors.contains("mode 755"), "\(run.errors)")
    }
}
