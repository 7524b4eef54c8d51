import ArgumentParser
import Foundation
import Ledger
import Push

/// `omsync retry`: pushes again the orders whose last attempt failed, from the batches of the
/// runs that saw them, for one account, along the same push path as `import`.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Push again the orders whose last attempt failed (rejected, failed, or left unknown).",
        discussion: """
            Reads the failed orders (and those a stopped run left in flight) from the account's ledger, and \
            their data from the batch files of the runs that last saw them (the files must still be where \
            they were). The account, its rules, settings and credentials are resolved as for import \
            (--account NAME: accounts/NAME and OMSYNC_NAME_API_*). Exit codes as for import.
            """)

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var unleashedOptions: UnleashedOptions
    @OptionGroup var observability: ObservabilityOptions
    @Option(help: "Orders in flight at once.") var concurrency = 4
    @Option(help: "Summary format: text or json.") var format: SummaryFormat = .text

    func validate() throws {
        if concurrency < 1 || concurrency > 64 { throw ValidationError("--concurrency must be 1...64") }
    }

    func run() async throws {
        let account = try ResolvedAccount.resolve("retry", account: accountOptions, ledger: ledgerOptions, rules: rulesOptions,
                                                  unleashed: unleashedOptions)
        try await account.withLedger(existing: true) { ledger in
            let failed = try await ledger.orders(OrderFilter(failedOnly: true))
            let pending = try await ledger.orders(OrderFilter(states: [.creating, .superseding]))
            let rows = Dictionary((failed + pending).map { ($0.sourceID, $0) }, uniquingKeysWith: { first, _ in first })
            guard !rows.isEmpty else { return CommandOutput.out("nothing to retry: no order's last attempt failed\n") }
            var batches: [String] = []
            for runID in Swift.Set(rows.values.compactMap(\.runID)).sorted() {
                guard let run = try await ledger.run(id: runID) else { continue }
                for path in run.batchPaths where !batches.contains(path) {
                    guard FileManager.default.fileExists(atPath: path) else {
                        StandardError.line("omsync retry: \(path) (the batch of run \(runID)) is gone; run `omsync import\(account.shownArguments)` on the batch again instead")
                        throw ExitCode(.usage)
                    }
                    batches.append(path)
                }
            }
            let pipeline = try account.compile()
            let unleashed = try account.unleashedConfiguration()
            var options = PushOptions()
            options.concurrency = concurrency
            options.quota = account.profile.quota
            options.only = Swift.Set(rows.keys)
            StandardError.line("omsync retry: \(rows.count) orders from \(batches.count) batch files")
            try await account.push(batches: batches, ledger: ledger, pipeline: pipeline, unleashed: unleashed,
                                   options: options, format: format, observability: observability)
        }
    }
}
