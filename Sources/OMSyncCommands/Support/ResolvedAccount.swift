import ArgumentParser
import Foundation
import Ledger
import LedgerPostgres
import Metrics
import Pipeline
import Rules
import Unleashed

/// One account, resolved once per command from its options: its name, profile (the folder of
/// `--accounts`: settings, rules, quota), rules and settings (with the documented precedence),
/// credentials, ledger location and the Unleashed client. Every command that touches an account,
/// a ledger or Unleashed gets these from here and nowhere else, so a command run for one account
/// can only reach that account's Unleashed, with that account's rules, and that account's rows.
///
/// - Credentials: for a named account only `OMSYNC_<NAME>_API_*` or its own credentials file
///   (`.omsync/accounts/NAME/credentials`, or `--credentials`); the plain `UNLEASHED_*` variables
///   and `.omsync/credentials` only for `default` (`AccountProfile.credentials`).
/// - Rules: the account's `settings.yaml` first (so `--settings` and `--set` still win), and its
///   own `rules/` when it has one and `--rules` was left as is (`RulesOptions.applying`).
/// - Lifetimes: `withLedger` and `withUnleashedClient` close what they open on every path.
struct ResolvedAccount: Sendable {
    /// What the command needs of the account's folder.
    enum Need: Sendable {
        /// Rules, settings or credentials: a named account must have its folder (a typo must not
        /// plan or push with the shared settings, or store credentials nobody will use).
        case profile
        /// Only ledger rows (`logs`, `customers list`, `ledger export`): the ledger is the truth
        /// about the account, so no folder is needed.
        case ledgerOnly
    }

    /// The command, for messages (`omsync import: …`).
    let command: String
    let profile: AccountProfile
    let ledgerOptions: LedgerOptions
    /// The rules options with the account's settings and rules applied (nil: the command reads no rules).
    let rulesOptions: RulesOptions?
    let unleashedOptions: UnleashedOptions

    /// The account's name.
    var name: String { profile.name }

    /// Resolves the account of `account`; a named account without its folder (when the command
    /// needs one) or an unreadable `account.yaml` is a usage error (exit 2), said once.
    static func resolve(_ command: String, account: AccountOptions, ledger: LedgerOptions = LedgerOptions(),
                        rules: RulesOptions? = nil, unleashed: UnleashedOptions = UnleashedOptions(),
                        needs: Need = .profile) throws -> ResolvedAccount {
        let profile: AccountProfile
        do {
            profile = try AccountProfile.load(name: account.name, accountsFolder: account.accountsFolder)
        } catch let problem as AccountProfile.Problem where needs == .ledgerOnly && problem.isMissingFolder {
            profile = AccountProfile(name: account.name)
        } catch {
            StandardError.line("omsync \(command): \(error)")
            throw ExitCode(.usage)
        }
        return ResolvedAccount(command: command, profile: profile, ledgerOptions: ledger,
                               rulesOptions: rules.map { $0.applying(profile) }, unleashedOptions: unleashed)
    }

    // MARK: Rules

    /// The account's rules and settings, loaded and checked (diagnostics printed; exit 3 or 2 on errors).
    func loadRules() throws -> (RuleSet, ResolvedSettings) {
        try (rulesOptions ?? RulesOptions().applying(profile)).loadOrExit(command: command)
    }

    /// The account's rules compiled (exit 3 when they cannot be).
    func compile() throws -> CompiledPipeline {
        let (ruleSet, settings) = try loadRules()
        do {
            return try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        } catch {
            StandardError.line("omsync \(command): cannot compile the rules: \(error)")
            throw ExitCode(.rules)
        }
    }

    // MARK: Ledger

    /// Where the account's ledger is.
    var ledgerLocation: String { ledgerOptions.location(account: name) }

    /// Whether it is a PostgreSQL ledger.
    var isPostgres: Bool { PostgresLocation.isPostgresURL(ledgerLocation) }

    /// Whether the ledger exists (a PostgreSQL ledger always does: it is made on first use).
    var ledgerExists: Bool { isPostgres || FileManager.default.fileExists(atPath: ledgerLocation) }

    /// ` --ledger X --account Y` as a hint would print it ("" for the default ledger and account).
    var shownArguments: String {
        var shown = ""
        if let ledger = ledgerOptions.ledger { shown += " --ledger \(ledger)" }
        if name != AccountName.defaultName { shown += " --account \(name)" }
        return shown
    }

    /// Opens (or creates) the account's ledger; a damaged, newer or unreachable one is a clear
    /// error (exit 4). The caller closes it: prefer `withLedger`.
    func openLedger(readOnly: Bool = false) async throws -> any Ledger {
        do {
            if isPostgres {
                let password = try PostgresLocation.password(environment: ProcessInfo.processInfo.environment, passwordFile: ledgerOptions.passwordFile)
                return try await PostgresLedger.open(location: try PostgresLocation(url: ledgerLocation), account: name, password: password)
            }
            return try SQLiteLedger(path: ledgerLocation, account: name, readOnly: readOnly)
        } catch {
            StandardError.line("omsync \(command): \(error)")
            throw ExitCode(.runFailed)
        }
    }

    /// The accounts a PostgreSQL ledger knows, without registering one.
    func postgresAccounts() async throws -> [String]? {
        guard isPostgres else { return nil }
        do {
            let password = try PostgresLocation.password(environment: ProcessInfo.processInfo.environment, passwordFile: ledgerOptions.passwordFile)
            let store = try await PostgresLedgerStore.open(location: try PostgresLocation(url: ledgerLocation), password: password)
            do {
                let names = try await store.accountNames()
                await store.close()
                return names
            } catch {
                await store.close()
                throw error
            }
        } catch {
            StandardError.line("omsync \(command): \(error)")
            throw ExitCode(.runFailed)
        }
    }

    /// Runs `body` with the account's ledger and closes it afterwards, on every path. With
    /// `existing`, a SQLite ledger that does not exist yet is a usage error (exit 2) rather than
    /// created.
    /// `readOnly`: the command only reads (a SQLite ledger is opened without writing, so one on
    /// read-only media can be read).
    func withLedger<T>(existing: Bool = false, readOnly: Bool = false, _ body: (any Ledger) async throws -> T) async throws -> T {
        if existing, !ledgerExists {
            StandardError.line("omsync \(command): \(ledgerLocation): no ledger here yet (run `omsync import\(shownArguments) BATCH` first, or give --ledger PATH)")
            throw ExitCode(.usage)
        }
        if existing, isPostgres, let known = try await postgresAccounts(), !known.contains(name) {
            // As SQLite's "no ledger here yet": a read-only command never registers an account (a typo would stay listed).
            let listed = known.isEmpty ? "none yet" : known.map { "'\($0)'" }.joined(separator: ", ")
            StandardError.line("omsync \(command): \(ledgerLocation): no ledger for account '\(name)' here yet (accounts here: \(listed)); "
                + "check --account, or run `omsync import\(shownArguments) BATCH` first")
            throw ExitCode(.usage)
        }
        let ledger = try await openLedger(readOnly: readOnly)
        do {
            let result = try await body(ledger)
            await ledger.close()
            return result
        } catch {
            await ledger.close()
            throw error
        }
    }

    // MARK: Unleashed

    /// The account's Unleashed credentials (exit 2, saying where they are looked for, when there are none).
    func credentials() throws -> UnleashedCredentials {
        do {
            return try profile.credentials(file: unleashedOptions.credentials)
        } catch {
            StandardError.line("omsync \(command): \(error)")
            throw ExitCode(.usage)
        }
    }

    /// The client configuration for the account: its credentials, the client type, `rate`, and
    /// the live call counter an operator scrapes (`--metrics-port`), moved as each call is sent.
    func unleashedConfiguration(rate: Double? = nil, credentials given: UnleashedCredentials? = nil) throws -> UnleashedConfiguration {
        var configuration = UnleashedConfiguration(credentials: try given ?? credentials())
        try unleashedOptions.apply(to: &configuration)
        configuration.callsPerSecond = rate
        let account = name
        configuration.onCall = { endpoint in
            Counter(label: "omsync_api_calls_total", dimensions: [("account", account), ("endpoint", endpoint)]).increment()
        }
        return configuration
    }

    /// Runs `body` with a client for the account's Unleashed (`credentials`: ones being checked
    /// by `connect`, else the account's own) and shuts it down afterwards, on every path.
    func withUnleashedClient<T>(credentials given: UnleashedCredentials? = nil, _ body: (UnleashedClient) async throws -> T) async throws -> T {
        let client: UnleashedClient
        do {
            client = try UnleashedClient(configuration: try unleashedConfiguration(credentials: given))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            StandardError.line("omsync \(command): \(error)")
            throw ExitCode(.usage)
        }
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
