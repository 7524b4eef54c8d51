import ArgumentParser
import Foundation
import Ledger
import Pipeline
import Push
import Unleashed

/// `omsync retry`: pushes again the orders whose last attempt failed, from the batches of the
/// runs that saw them.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Push again the orders whose last attempt failed (rejected, failed, or left unknown).",
        discussion: """
            Reads the failed orders from the ledger, and their data from the batch files of the runs \
            that last saw them (the files must still be where they were). Exit codes as for import.
            """)

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var ledgerOptions: LedgerOptions
    @Option(help: "Orders in flight at once.") var concurrency = 4
    @Option(help: ArgumentHelp("The credentials file.", valueName: "file")) var credentials = CredentialsFile.defaultPath
    @Option(help: "Summary format: text or json.") var format: SummaryFormat = .text

    func run() async throws {
        let ledger = try await ledgerOptions.openExisting()
        let failed = try await ledger.orders(OrderFilter(failedOnly: true))
        let pending = try await ledger.orders(OrderFilter(states: [.creating, .superseding]))
        let rows = Dictionary((failed + pending).map { ($0.sourceID, $0) }, uniquingKeysWith: { first, _ in first })
        guard !rows.isEmpty else { return CommandOutput.out("nothing to retry: no order's last attempt failed\n") }
        var batches: [String] = []
        for runID in Swift.Set(rows.values.compactMap(\.runID)).sorted() {
            guard let run = try await ledger.run(id: runID) else { continue }
            for path in run.batchPaths where !batches.contains(path) {
                guard FileManager.default.fileExists(atPath: path) else {
                    StandardError.line("omsync retry: \(path) (the batch of run \(runID)) is gone; run `omsync import` on the batch again instead")
                    throw ExitCode(.usage)
                }
                batches.append(path)
            }
        }
        let (ruleSet, settings) = try rulesOptions.loadOrExit(command: "retry")
        let pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        let unleashed: UnleashedConfiguration
        do {
            unleashed = UnleashedConfiguration(credentials: try CredentialsFile.load(path: credentials))
        } catch {
            StandardError.line("omsync retry: \(error)")
            throw ExitCode(.usage)
        }
        var options = PushOptions()
        options.concurrency = concurrency
        options.only = Swift.Set(rows.keys)
        StandardError.line("omsync retry: \(rows.count) orders from \(batches.count) batch files")
        let stage = PushStage(pipeline: pipeline, ledger: ledger, unleashed: unleashed, options: options)
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        defer { interrupts.cancel() }
        let summary: PushSummary
        do {
            summary = try await stage.run(batches: batches, stop: stop)
        } catch {
            StandardError.line("omsync retry: \(error)")
            throw ExitCode(.runFailed)
        }
        CommandOutput.out(format == .json ? ImportSummaryText.json(summary) : ImportSummaryText.text(summary, ledgerArguments: ledgerOptions.shownArguments))
        if summary.stopped != nil { throw ExitCode(.runFailed) }
        if summary.hasProblems { throw ExitCode(.problems) }
    }
}
