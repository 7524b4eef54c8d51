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
            CommandOutput.error("omsync: \(error)")
            throw ExitCode(OMSyncExit.runFailed)
        }
    }

    /// Opens an existing ledger only: a missing one says so (exit 2) rather than creating it.
    func openExisting() throws -> SQLiteLedger {
        guard exists else {
            CommandOutput.error("omsync: \(ledger): no ledger here yet (run `omsync import` first, or give --ledger PATH)")
            throw ExitCode(OMSyncExit.usage)
        }
        return try open()
    }
}

/// The exit codes of the import family (README, "Exit codes").
enum OMSyncExit {
    /// Done, nothing wrong.
    static let ok: Int32 = 0
    /// Done, but some order was rejected, blocked or failed.
    static let problems: Int32 = 1
    /// Usage error, or an input that cannot be read.
    static let usage: Int32 = 2
    /// The rules have errors; nothing was read.
    static let rules: Int32 = 3
    /// The run itself failed: credentials refused, quota, Unleashed unreachable, ledger unusable.
    static let runFailed: Int32 = 4
    /// Stopped by Ctrl-C (128 + SIGINT); resumable.
    static let interrupted: Int32 = 130
}

/// Writing to standard output and standard error.
enum CommandOutput {
    /// A line on standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Text on standard output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
