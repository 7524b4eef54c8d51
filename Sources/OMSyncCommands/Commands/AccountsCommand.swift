import ArgumentParser
import Batch
import Foundation
import Ledger
import LedgerPostgres
import Push

/// `omsync accounts`: every account with its last run, outcome, calls this month and quota.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List the accounts: last run, its outcome, API calls this month and the quota, who is importing now, and the last cycle of `omsync watch`.",
        discussion: """
            Accounts are the folders of --accounts (NAME/settings.yaml) and, with a PostgreSQL --ledger, every \
            account that ledger has seen. With SQLite each account has its own file (.omsync/accounts/NAME/ledger.sqlite). \
            Exit codes: 0 listed; 2 usage error; 4 the ledger cannot be opened.
            """)

    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions

    @Option(help: "Output format: text or json.")
    var format: SummaryFormat = .text

    func run() async throws {
        var names = Set((try? AccountProfile.names(in: accountOptions.accountsFolder)) ?? [])
        for (name, problem) in AccountProfile.invalidNames(in: accountOptions.accountsFolder) {
            StandardError.line("omsync accounts: note: \(accountOptions.accountsFolder)/\(TerminalText.escaped(name)) is left out: \(problem); rename the folder")
        }
        let shared = try ResolvedAccount.resolve("accounts", account: accountOptions, ledger: ledgerOptions, needs: .ledgerOnly)
        // With PostgreSQL, this first ledger keeps the process's one pool (`PostgresLedgerStore`)
        // open while every account's ledger below shares it; closed at the end.
        let first = shared.isPostgres ? try await shared.openLedger() as? PostgresLedger : nil
        if let first { names.formUnion(try await first.store.accountNames()) }
        if names.isEmpty { names.insert(AccountName.defaultName) }
        var rows: [AccountStatus] = []
        for name in names.sorted() {
            var options = accountOptions
            options.name = name
            let account = try ResolvedAccount.resolve("accounts", account: options, ledger: ledgerOptions, needs: .ledgerOnly)
            guard account.ledgerExists else {
                rows.append(AccountStatus(name: name, quota: account.profile.quota))
                continue
            }
            rows.append(try await account.withLedger(readOnly: true) { ledger in
                try await AccountStatus.read(name: name, ledger: ledger, quota: account.profile.quota, now: Date())
            })
        }
        await first?.close()
        // Opening a PostgreSQL ledger registers the account it opens (here `default`): leave it
        // out when it is not a real account of this installation.
        if rows.count > 1 { rows.removeAll { $0.name == AccountName.defaultName && $0.lastRunAt == nil } }
        CommandOutput.out(format == .json ? AccountStatus.json(rows) : AccountStatus.table(rows))
    }
}

/// One line of `omsync accounts`.
struct AccountStatus: Sendable, Codable, Equatable {
    var name: String
    var lastRunAt: Date?
    var lastRunState: String?
    var outcome: String?
    var callsThisMonth: Int = 0
    var quota: Int?
    var importingNow: String?
    /// The newest `omsync watch` heartbeat: its directory, last cycle and outcome.
    var watchDirectory: String?
    var lastCycleAt: Date?
    var lastCycleOutcome: String?
    /// `watching DIR, last cycle <time> <outcome>`.
    var watching: String?

    init(name: String, quota: Int?) {
        self.name = name
        self.quota = quota
    }

    /// The account's status from its ledger.
    static func read(name: String, ledger: any Ledger, quota: Int?, now: Date) async throws -> AccountStatus {
        var status = AccountStatus(name: name, quota: quota)
        if let run = try await ledger.runs(limit: 1).first {
            status.lastRunAt = run.startedAt
            status.lastRunState = run.state.rawValue
            status.outcome = run.message ?? (run.counts.isEmpty ? "no orders"
                : run.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        status.callsThisMonth = try await ledger.calls(month: PushStage.month(now)).values.reduce(0, +)
        status.importingNow = try await ledger.importLockHolder()?.description
        if let watch = try await ledger.watchStatuses().first {
            status.watchDirectory = watch.directory
            status.lastCycleAt = watch.lastCycleAt
            status.lastCycleOutcome = watch.lastOutcome
            status.watching = "watching \(watch.directory), last cycle \(ISO8601DateFormatter().string(from: watch.lastCycleAt)) \(watch.lastOutcome)"
        }
        return status
    }

    static func table(_ rows: [AccountStatus]) -> String {
        let iso = ISO8601DateFormatter()
        var lines = [["account", "last run", "state", "calls this month", "quota", "outcome", "watch"]]
        for row in rows {
            let calls = row.quota.map { "\(row.callsThisMonth) (\(row.callsThisMonth * 100 / max(1, $0))%)" } ?? "\(row.callsThisMonth)"
            let state = row.importingNow.map { "importing: \($0)" } ?? (row.lastRunState ?? "never run")
            lines.append([row.name, row.lastRunAt.map(iso.string) ?? "-", state, calls, row.quota.map(String.init) ?? "-", row.outcome ?? "-", row.watching ?? "-"]
                .map(TerminalText.escaped))
        }
        let widths = (0..<lines[0].count - 1).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { index, cell in
                index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func json(_ rows: [AccountStatus]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }
}
