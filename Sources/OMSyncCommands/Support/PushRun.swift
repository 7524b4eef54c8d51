import ArgumentParser
import Ledger
import Pipeline
import Push
import Unleashed

extension ResolvedAccount {
    /// Pushes `batches` into the account's Unleashed through `ledger`: the one push path of
    /// `import` and `retry`. Sets up the log and metrics, observes the ledger, handles Ctrl-C,
    /// shows progress, prints the summary and ends with the documented exit status.
    func push(batches: [String], ledger: any Ledger, pipeline: CompiledPipeline, unleashed: UnleashedConfiguration,
              options: PushOptions, format: SummaryFormat, observability: ObservabilityOptions) async throws {
        try observability.refuseOverwriting(batches + (isPostgres ? [] : [ledgerLocation, ledgerLocation + "-wal", ledgerLocation + "-shm"]),
                                            command: command)
        let session = try await observability.start(command: command)
        defer { session.finish() }
        let observed = ObservedLedger(ledger, account: name, logger: session.logger)
        let stage = PushStage(pipeline: pipeline, ledger: observed, unleashed: unleashed, options: options)
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        defer { interrupts.cancel() }
        let progress = ImportProgress(quiet: format == .json || observability.logFormat == .json)
        let summary: PushSummary
        do {
            summary = try await stage.run(batches: batches, stop: stop) { progress.update($0) }
        } catch {
            progress.finish()
            StandardError.line("omsync \(command): \(error)")
            if case .unreadableBatch = error { throw ExitCode(.usage) }
            throw ExitCode(.runFailed)
        }
        progress.finish()
        CommandOutput.out(format == .json ? ImportSummaryText.json(summary) : ImportSummaryText.text(summary, ledgerArguments: shownArguments))
        switch summary.stopped {
        case .interrupted?: throw ExitCode(.interrupted)
        case .some: throw ExitCode(.runFailed)
        case nil: if summary.hasProblems { throw ExitCode(.problems) }
        }
    }
}
