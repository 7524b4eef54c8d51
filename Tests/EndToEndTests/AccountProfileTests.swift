import Foundation
@testable import OMSyncCommands
import Testing

/// The accounts folder: names, settings and rules found, `account.yaml`, and where an
/// account's credentials may (and may not) come from.
@Suite struct AccountProfileTests {
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("acme-co/rules"), withIntermediateDirectories: true)
        try "default_warehouse: SYD\n".write(to: url.appendingPathComponent("acme-co/settings.yaml"), atomically: true, encoding: .utf8)
        try "# budget\nquota: 250000\n".write(to: url.appendingPathComponent("acme-co/account.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("beans"), withIntermediateDirectories: true)
        try "".write(to: url.appendingPathComponent("beans/settings.yaml"), atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func namesAreCheckedOnce() {
        #expect(AccountName.problem("acme-co") == nil && AccountName.problem("a1_b") == nil)
        for bad in ["", "Acme", "-x", "a b", "../etc", String(repeating: "a", count: 64)] {
            #expect(AccountName.problem(bad) != nil, "\(bad)")
        }
        #expect(AccountName.environmentPrefix("acme-co") == "OMSYNC_ACME_CO_")
    }

    @Test func aProfileFindsItsSettingsRulesAndQuota() throws {
        let accounts = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: accounts) }
        let acme = try AccountProfile.load(name: "acme-co", accountsFolder: accounts)
        #expect(acme.settingsFile == accounts + "/acme-co/settings.yaml" && acme.rulesFolder == accounts + "/acme-co/rules" && acme.quota == 250000)
        let options = try RulesOptions.parse([]).applying(acme)
        #expect(options.rules == accounts + "/acme-co/rules" && options.settings == [accounts + "/acme-co/settings.yaml"])
        #expect(try AccountProfile.names(in: accounts) == ["acme-co", "beans"])
        #expect(try AccountProfile.load(name: "default", accountsFolder: accounts) == AccountProfile(name: "default"))
        do {
            _ = try AccountProfile.load(name: "acme", accountsFolder: accounts)
            Issue.record("an account without a folder was accepted")
        } catch {
            #expect("\(error)".contains("acme-co, beans"), "\(error)")
        }
        try "quota: 10\napi_key: oops\n".write(toFile: accounts + "/beans/account.yaml", atomically: true, encoding: .utf8)
        #expect(throws: AccountProfile.Problem.self) { _ = try AccountProfile.load(name: "beans", accountsFolder: accounts) }
    }

    @Test func credentialsComeFromTheAccountsOwnVariablesOrFileOnly() throws {
        let profile = AccountProfile(name: "acme-co")
        let own = try profile.credentials(file: "/nonexistent", environment: [
            "OMSYNC_ACME_CO_API_ID": "acme-id", "OMSYNC_ACME_CO_API_KEY": "acme-key", "OMSYNC_ACME_CO_API_URL": "http://127.0.0.1:9",
            "UNLEASHED_API_ID": "other-id", "UNLEASHED_API_KEY": "other-key",
        ])
        #expect(own.apiID == "acme-id" && own.baseURL == "http://127.0.0.1:9")
        do {
            _ = try profile.credentials(file: "/nonexistent", environment: ["UNLEASHED_API_ID": "other-id", "UNLEASHED_API_KEY": "other-key"])
            Issue.record("a named account used the plain UNLEASHED_* credentials")
        } catch {
            #expect("\(error)".contains("OMSYNC_ACME_CO_API_ID") && !"\(error)".contains("other-key"))
        }
        #expect(profile.defaultCredentialsPath == ".omsync/accounts/acme-co/credentials")
    }
}
