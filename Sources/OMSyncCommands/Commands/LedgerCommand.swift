import ArgumentParser
import Foundation
import Ledger

/// `omsync ledger export|import`: moves a ledger (one account) between backends.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Move a ledger between backends (SQLite file ↔ PostgreSQL) without losing a row.",
        subcommands: [Export.self, Import.self])

    /// `omsync ledger export`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every row of the account's ledger as NDJSON (a header line, one row a line, an end line).")

        @OptionGroup var accountOptions: AccountOptions
        @OptionGroup var ledgerOptions: LedgerOptions

        @Option(help: "The export format (ndjson).")
        var format: ExportFormat = .ndjson

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file"))
        var output: String?

        func run() async throws {
            let account = try ResolvedAccount.resolve("ledger export", account: accountOptions, ledger: ledgerOptions, needs: .ledgerOnly)
            let data: Data = try await account.withLedger(existing: true, readOnly: true) { ledger in
                do {
                    return try LedgerExport.write(try await ledger.exportRows(), account: account.name)
                } catch {
                    StandardError.line("omsync ledger export: \(account.ledgerLocation): \(error)")
                    throw ExitCode(.runFailed)
                }
            }
            if let output {
                do {
                    try data.write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    StandardError.line("omsync ledger export: cannot write \(output): \(error.localizedDescription)")
                    throw ExitCode(.usage)
                }
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }

    /// `omsync ledger import FILE`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read an export into an empty ledger (or an account with no rows yet), in one transaction.",
            discussion: "The rows keep their ids. The account is --account (the export's own account when --account is not given).")

        @Argument(help: ArgumentHelp("The export file (`-`: standard input).", valueName: "file"))
        var file: String

        @OptionGroup var accountOptions: AccountOptions
        @OptionGroup var ledgerOptions: LedgerOptions

        func run() async throws {
            let data: Data
            do {
                data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                StandardError.line("omsync ledger import: cannot read \(file): \(error.localizedDescription)")
                throw ExitCode(.usage)
            }
            let export: (account: String, rows: [LedgerRow])
            do {
                export = try LedgerExport.read(data, source: file)
            } catch {
                StandardError.line("omsync ledger import: \(error)")
                throw ExitCode(.usage)
            }
            var accountOptions = accountOptions
            if accountOptions.accountOption == nil {
                if let problem = AccountName.problem(export.account) {
                    StandardError.line("omsync ledger import: \(file): the export names its account '\(export.account)': \(problem); give --account NAME")
                    throw ExitCode(.usage)
                }
                accountOptions.name = export.account
            }
            let account = try ResolvedAccount.resolve("ledger import", account: accountOptions, ledger: ledgerOptions, needs: .ledgerOnly)
            try await account.withLedger { ledger in
                do {
                    try await ledger.importRows(export.rows)
                } catch {
                    StandardError.line("omsync ledger import: \(error)")
                    throw ExitCode(.runFailed)
                }
            }
            let tables = Dictionary(grouping: export.rows, by: \.table).mapValues(\.count)
            let counts = LedgerRow.tables.compactMap { table in tables[table].map { "\(table) \($0)" } }.joined(separator: ", ")
            CommandOutput.out("imported \(export.rows.count) rows into \(account.ledgerLocation) (account \(account.name)): \(counts.isEmpty ? "none" : counts)\n")
        }
    }
}

/// `omsync ledger export --format`.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case ndjson
}
