import ArgumentParser
import Foundation
import Ledger
import LedgerPostgres

/// `--ledger PATH|URL`, `--account NAME` and `--ledger-password-file FILE`, shared by every
/// command that reads or writes the ledger.
///
/// A SQLite ledger is one file per account: the `default` account's is `.omsync/ledger.sqlite`
/// (as before accounts existed), another account's `.omsync/accounts/NAME/ledger.sqlite`; the
/// file does not record the account. A PostgreSQL ledger (`postgres://USER@HOST:PORT/DB`) holds
/// every account, each row tagged with its account.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The ledger: a SQLite file, or postgres://USER@HOST:PORT/DB[?schema=NAME] (password from PGPASSWORD or --ledger-password-file, never in the URL).",
        valueName: "path|url"))
    var ledger: String?

    @Option(name: .customLong("account"), help: ArgumentHelp("The account whose ledger rows, lock and runs are used (default: default).", valueName: "name"))
    var accountOption: String?

    /// The account (`default` when none is named).
    var account: String {
        get { accountOption ?? AccountName.defaultName }
        set { accountOption = newValue }
    }

    @Option(name: .customLong("ledger-password-file"), help: ArgumentHelp(
        "A file (mode 0600) whose first line is the PostgreSQL password; PGPASSWORD wins when set.", valueName: "file"))
    var passwordFile: String?

    func validate() throws {
        if let problem = AccountName.problem(account) { throw ValidationError("--account: \(problem)") }
        if let ledger, PostgresLocation.isPostgresURL(ledger) {
            do {
                _ = try PostgresLocation(url: ledger)
            } catch {
                throw ValidationError("--ledger: \(error)")
            }
        }
    }

    /// The ledger as given, or the account's default SQLite file.
    var location: String {
        if let ledger { return ledger }
        return account == AccountName.defaultName ? ".omsync/ledger.sqlite" : ".omsync/accounts/\(account)/ledger.sqlite"
    }

    /// Whether this is a PostgreSQL ledger.
    var isPostgres: Bool { PostgresLocation.isPostgresURL(location) }

    /// The arguments that name this same ledger and account on another command's line.
    var arguments: [String] {
        var result = ["--ledger", location, "--account", account]
        if let passwordFile { result += ["--ledger-password-file", passwordFile] }
        return result
    }

    /// ` --ledger X --account Y` as a hint would print it ("" for the default ledger and account).
    var shownArguments: String {
        var shown = ""
        if let ledger { shown += " --ledger \(ledger)" }
        if account != AccountName.defaultName { shown += " --account \(account)" }
        return shown
    }

    /// Whether the ledger exists (a preview is ledger-aware only then). A PostgreSQL ledger
    /// always does: it is made on first use.
    var exists: Bool { isPostgres || FileManager.default.fileExists(atPath: location) }

    /// Opens (or creates) the ledger; a damaged, newer or unreachable one is a clear error (exit 4).
    func open() async throws -> any Ledger {
        do {
            if isPostgres {
                let password = try PostgresLocation.password(environment: ProcessInfo.processInfo.environment, passwordFile: passwordFile)
                return try await PostgresLedger.open(location: try PostgresLocation(url: location), account: account, password: password)
            }
            return try SQLiteLedger(path: location)
        } catch {
            StandardError.line("omsync: \(error)")
            throw ExitCode(.runFailed)
        }
    }

    /// Opens an existing ledger only: a missing SQLite file says so (exit 2) rather than creating it.
    func openExisting() async throws -> any Ledger {
        guard exists else {
            StandardError.line("omsync: \(location): no ledger here yet (run `omsync import` first, or give --ledger PATH)")
            throw ExitCode(.usage)
        }
        return try await open()
    }
}

/// Writing to standard output and standard error.
enum CommandOutput {
    /// Text on standard output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
