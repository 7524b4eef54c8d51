import ArgumentParser
import Foundation
import Ledger

/// `--ledger PATH`, shared by every command that reads or writes the ledger.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger (SQLite file): what was pushed, the customer mapping, the log.", valueName: "path"))
    var ledger: String = ".omsync/ledger.sqlite"

    /// Whether the ledger file exists (a preview is ledger-aware only then).
    var exists: Bool { FileManager.default.fileExists(atPath: ledger) }

    /// Opens (or creates) the ledger; a damaged or newer file is a clear error (exit 4).
    func open() throws -> SQLiteLedger {
        do {
            return try SQLiteLedger(path: ledger)
        } catch {
            StandardError.line("omsync: \(error)")
            throw ExitCode(.runFailed)
        }
    }

    /// Opens an existing ledger only: a missing one says so (exit 2) rather than creating it.
    func openExisting() throws -> SQLiteLedger {
        guard exists else {
            StandardError.line("omsync: \(ledger): no ledger here yet (run `omsync import` first, or give --ledger PATH)")
            throw ExitCode(.usage)
        }
        return try open()
    }
}

/// Writing to standard output and standard error.
enum CommandOutput {
    /// Text on standard output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
