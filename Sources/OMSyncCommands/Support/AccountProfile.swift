import Foundation
import Batch
import Unleashed

/// One account of an accounts folder: `accounts/NAME/settings.yaml` (the account's rule
/// settings), `accounts/NAME/rules/` (its own rules, else the shared `--rules`) and
/// `accounts/NAME/account.yaml` (what the operator sets for its imports: `quota: N`, the
/// monthly call budget). Credentials never come from this folder: they come from the
/// environment (`OMSYNC_NAME_API_ID`, `OMSYNC_NAME_API_KEY`, `OMSYNC_NAME_API_URL`) or from a
/// private (0600) secret file, `.omsync/accounts/NAME/credentials` unless `--credentials` says.
struct AccountProfile: Sendable, Equatable {
    var name: String
    /// `accounts/NAME`, when the folder exists.
    var folder: String?
    /// `accounts/NAME/settings.yaml`, when it exists.
    var settingsFile: String?
    /// `accounts/NAME/rules`, when it exists.
    var rulesFolder: String?
    /// `quota:` of `account.yaml`.
    var quota: Int?

    /// What is wrong with an account folder.
    struct Problem: Error, CustomStringConvertible {
        var description: String
        /// The named account has no folder (commands that read only the ledger need none).
        var isMissingFolder = false
    }

    /// The profile of `name` in `accountsFolder`. The `default` account needs no folder; any
    /// other named account must have one (a typo must not import with the shared settings).
    static func load(name: String, accountsFolder: String) throws -> AccountProfile {
        let folder = accountsFolder + "/" + name
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            if name == AccountName.defaultName { return AccountProfile(name: name) }
            let known = (try? names(in: accountsFolder)) ?? []
            throw Problem(description: "account '\(name)': no folder \(folder)"
                          + (known.isEmpty ? "; create it with a settings.yaml (docs/operations.md)" : " (accounts there: \(known.joined(separator: ", ")))"),
                          isMissingFolder: true)
        }
        var profile = AccountProfile(name: name, folder: folder)
        let settings = folder + "/settings.yaml"
        if FileManager.default.fileExists(atPath: settings) { profile.settingsFile = settings }
        let rules = folder + "/rules"
        if FileManager.default.fileExists(atPath: rules, isDirectory: &isFolder), isFolder.boolValue { profile.rulesFolder = rules }
        let accountFile = folder + "/account.yaml"
        if let text = try? String(contentsOfFile: accountFile, encoding: .utf8) {
            profile.quota = try parseAccountFile(text, path: accountFile)
        }
        return profile
    }

    /// The account folders (those holding a settings.yaml, an account.yaml or a rules/ folder:
    /// what `load` reads), sorted.
    static func names(in accountsFolder: String) throws -> [String] {
        try folders(in: accountsFolder).filter { AccountName.problem($0) == nil }
    }

    /// The folders that look like accounts but whose name is not one (said, never skipped silently).
    static func invalidNames(in accountsFolder: String) -> [(name: String, problem: String)] {
        ((try? folders(in: accountsFolder)) ?? []).compactMap { name in AccountName.problem(name).map { (name, $0) } }
    }

    /// The folders of `accountsFolder` holding what an account folder holds.
    private static func folders(in accountsFolder: String) throws -> [String] {
        let entries = try FileManager.default.contentsOfDirectory(atPath: accountsFolder)
        return entries.filter { entry in
            ["settings.yaml", "account.yaml", "rules"].contains { FileManager.default.fileExists(atPath: accountsFolder + "/" + entry + "/" + $0) }
        }.sorted()
    }

    /// `account.yaml`: `quota: N` lines and comments; anything else is an error naming its line.
    static func parseAccountFile(_ text: String, path: String) throws -> Int? {
        var quota: Int?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == "quota" else {
                // Name the key, never the value: a key pasted here must not be echoed into a terminal or a log.
                let key = parts.count == 2 ? "key '\(TerminalText.escaped(String(parts[0].prefix(40))))'" : "a line that is not `key: value`"
                throw Problem(description: "\(path):\(index + 1): unknown \(key) (its value is not shown); account.yaml knows only `quota: N` (credentials go in the environment or a secret file, never here)")
            }
            guard let value = Int(parts[1]), value > 0 else {
                throw Problem(description: "\(path):\(index + 1): quota must be a positive whole number of API calls per month (the value given is not shown)")
            }
            quota = value
        }
        return quota
    }

    /// The default secret file of this account.
    var defaultCredentialsPath: String {
        name == AccountName.defaultName ? CredentialsFile.defaultPath : ".omsync/accounts/\(name)/credentials"
    }

    /// The prefix of the variables that hold this account's credentials: the plain `UNLEASHED_`
    /// for the `default` account, `OMSYNC_NAME_` for a named one (which never reads the plain
    /// ones: another account's key must not push into this one).
    var variablePrefix: String {
        name == AccountName.defaultName ? "UNLEASHED_" : AccountName.environmentPrefix(name)
    }

    /// The account's own credential variable `suffix` (`API_ID`, `API_KEY`, `API_URL`), nil when unset or empty.
    func variable(_ suffix: String, in environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        environment[variablePrefix + suffix].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The account's Unleashed credentials: its own variables (`variablePrefix` + `API_ID`,
    /// `API_KEY`, `API_URL`), else its secret file (`file`, else `defaultCredentialsPath`).
    func credentials(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UnleashedCredentials {
        let path = file ?? defaultCredentialsPath
        // CredentialsFile reads the plain names: hand it this account's variables under them, and no others.
        var scoped: [String: String] = [:]
        for suffix in ["API_ID", "API_KEY", "API_URL"] {
            if let value = variable(suffix, in: environment) { scoped["UNLEASHED_" + suffix] = value }
        }
        guard scoped["UNLEASHED_API_ID"] != nil && scoped["UNLEASHED_API_KEY"] != nil || FileManager.default.fileExists(atPath: path) else {
            let whose = name == AccountName.defaultName ? "" : "account '\(name)': "
            let connect = "omsync connect" + (name == AccountName.defaultName ? "" : " --account \(name)") + (file == nil ? "" : " --credentials \(path)")
            throw Problem(description: "\(whose)no Unleashed credentials: set \(variablePrefix)API_ID and \(variablePrefix)API_KEY "
                          + "(and \(variablePrefix)API_URL for the sandbox), or store them in \(path) with `\(connect)`")
        }
        do {
            return try CredentialsFile.load(path: path, environment: scoped)
        } catch {
            throw Problem(description: "\(error)")
        }
    }
}

extension RulesOptions {
    /// These options for an account: its settings file first (so `--settings` and `--set`
    /// still win), and its own rules folder when it has one and `--rules` was left as is.
    func applying(_ profile: AccountProfile) -> RulesOptions {
        var options = self
        if let file = profile.settingsFile { options.settings = [file] + settings }
        if let folder = profile.rulesFolder, rules == "rules" { options.rules = folder }   // "rules": the --rules default
        return options
    }
}
