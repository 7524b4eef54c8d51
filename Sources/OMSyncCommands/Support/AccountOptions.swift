import ArgumentParser
import Foundation
import LedgerPostgres
import Unleashed

/// `--account NAME` and `--accounts DIR`: which account a command works for. Every command that
/// touches an account, a ledger or Unleashed takes these and resolves them once, in
/// `ResolvedAccount`, and nowhere else.
struct AccountOptions: ParsableArguments {
    @Option(name: .customLong("account"), help: ArgumentHelp("The account: its settings, rules, credentials, quota and ledger rows (default: default).", valueName: "name"))
    var accountOption: String?

    @Option(name: .customLong("accounts"), help: ArgumentHelp("The accounts folder: NAME/settings.yaml, NAME/rules/, NAME/account.yaml for --account NAME.", valueName: "dir"))
    var accountsFolder = "accounts"

    /// The account (`default` when none is named).
    var name: String {
        get { accountOption ?? AccountName.defaultName }
        set { accountOption = newValue }
    }

    func validate() throws {
        if let problem = AccountName.problem(name) { throw ValidationError("--account: \(problem)") }
    }
}

/// `--ledger PATH|URL` and `--ledger-password-file FILE`: where an account's ledger is.
///
/// A SQLite ledger is one file per account: the `default` account's is `.omsync/ledger.sqlite`
/// (as before accounts existed), another account's `.omsync/accounts/NAME/ledger.sqlite`. A
/// PostgreSQL ledger (`postgres://USER@HOST:PORT/DB`) holds every account, each row tagged with
/// its account.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The ledger: a SQLite file, or postgres://USER@HOST:PORT/DB[?schema=NAME] (password from PGPASSWORD or --ledger-password-file, never in the URL).",
        valueName: "path|url"))
    var ledger: String?

    @Option(name: .customLong("ledger-password-file"), help: ArgumentHelp(
        "A file (mode 0600) whose first line is the PostgreSQL password; PGPASSWORD wins when set.", valueName: "file"))
    var passwordFile: String?

    func validate() throws {
        if let ledger, PostgresLocation.isPostgresURL(ledger) {
            do {
                _ = try PostgresLocation(url: ledger)
            } catch {
                throw ValidationError("--ledger: \(error)")
            }
        }
    }

    /// The ledger as given, or `account`'s default SQLite file.
    func location(account: String) -> String {
        if let ledger { return ledger }
        return account == AccountName.defaultName ? ".omsync/ledger.sqlite" : ".omsync/accounts/\(account)/ledger.sqlite"
    }
}

/// `--credentials FILE` and `--client-type`: how a command that talks to Unleashed reaches it.
struct UnleashedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The credentials file (written by `omsync connect`; default .omsync/credentials, for a named account .omsync/accounts/NAME/credentials).", valueName: "file"))
    var credentials: String?

    @Option(name: .customLong("client-type"), help: ArgumentHelp("The client-type header (partner/app).", valueName: "type"))
    var clientType = "ordermentum/omsync"

    @Option(name: .customLong("call-timeout"), help: ArgumentHelp("The longest one call to Unleashed may take, retries included, in seconds (default 60); past it a read fails and a create is asked about by its GUID.", valueName: "seconds"))
    var callTimeout: Double?

    /// The client-type header and the call deadline, set on `configuration`.
    func apply(to configuration: inout UnleashedConfiguration) throws {
        configuration.clientType = clientType
        if let callTimeout {
            guard callTimeout.isFinite, callTimeout > 0, callTimeout <= 86_400 else {
                throw ValidationError("--call-timeout must be a number of seconds above 0 (and at most 86400), got \(callTimeout)")
            }
            configuration.callDeadline = .milliseconds(Int64((callTimeout * 1000).rounded(.up)))
        }
    }
}

/// Writing to standard output.
enum CommandOutput {
    /// Text on standard output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
