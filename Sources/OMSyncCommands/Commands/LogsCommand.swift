import ArgumentParser
import Batch
import Foundation
import Ledger

/// `omsync logs`: the integration log, every attempt, success and error.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show the integration log: every attempt, success and error of the imports.",
        discussion: "Oldest first. Reads the ledger without writing to it (one on read-only media can be read). Exit codes: 0 shown; 2 usage error or no ledger; 4 the ledger cannot be read (damaged, written by a newer omsync, another account's, or its server unreachable).")

    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions

    @Option(help: ArgumentHelp("Only this Ordermentum order number.", valueName: "number"))
    var order: String?

    @Flag(help: "Only errors, rejections and blocks.")
    var errors = false

    @Option(help: ArgumentHelp("Only rows at or after this time (YYYY-MM-DD or ISO 8601, UTC).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only rows of this import run.", valueName: "id"))
    var run: Int64?

    @Option(help: ArgumentHelp("At most the newest N rows.", valueName: "n"))
    var limit: Int?

    @Option(help: "Output format: text or json.")
    var format: SummaryFormat = .text

    func validate() throws {
        if let since, Self.date(since) == nil {
            throw ValidationError("--since \(since): not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let account = try ResolvedAccount.resolve("logs", account: accountOptions, ledger: ledgerOptions, needs: .ledgerOnly)
        let filter = LogFilter(orderNumber: order, errorsOnly: errors, since: since.flatMap(Self.date), runID: run, limit: limit)
        let rows = try await account.withLedger(existing: true, readOnly: true) { try await $0.logs(filter) }
        CommandOutput.out(format == .json ? Self.json(rows) : Self.text(rows))
    }

    /// A date from `YYYY-MM-DD` or ISO 8601 (UTC when no zone is given).
    static func date(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        if let date = iso.date(from: text + "Z") { return date }
        return iso.date(from: text + "T00:00:00Z")
    }

    /// One line per row: `2026-12-02T10:00:00Z  OM1001  create  ok  200  created SO-00000003`.
    static func text(_ rows: [LogEntry]) -> String {
        guard !rows.isEmpty else { return "no log rows match\n" }
        let iso = ISO8601DateFormatter()
        return rows.map { row in
            // Every column escaped: an order number holding a newline must not forge a row.
            [iso.string(from: row.time), row.orderNumber ?? row.sourceID ?? "-", row.action.rawValue, row.outcome.rawValue,
             row.httpStatus.map(String.init) ?? "-", row.message ?? ""].map(TerminalText.escaped).joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// A JSON array of the rows.
    static func json(_ rows: [LogEntry]) -> String {
        let iso = ISO8601DateFormatter()
        let items: [JSONValue] = rows.map { row in
            var object = JSONObject()
            object["id"] = .number(JSONNumber(Int(row.id)))
            object["time"] = .string(iso.string(from: row.time))
            object["run"] = row.runID.map { .number(JSONNumber(Int($0))) } ?? .null
            object["orderId"] = row.sourceID.map(JSONValue.string) ?? .null
            object["orderNumber"] = row.orderNumber.map(JSONValue.string) ?? .null
            object["action"] = .string(row.action.rawValue)
            object["outcome"] = .string(row.outcome.rawValue)
            object["httpStatus"] = row.httpStatus.map { .number(JSONNumber($0)) } ?? .null
            object["message"] = row.message.map(JSONValue.string) ?? .null
            object["guid"] = row.guid.map(JSONValue.string) ?? .null
            return .object(object)
        }
        return JSONValue.array(items).serialized(pretty: true) + "\n"
    }
}

