import ArgumentParser
import Ledger
import Pipeline
import Push
import Unleashed

extension ResolvedAccount {
    /// Pushes `batches` into the account's Unleashed through `ledger`: the one push path of
    /// `import` and `retry`. Sets up the log and metrics, handles Ctrl-C, prints the summary and
    /// ends with the documented exit status. The run itself is `pushRun` (also `watch`'s cycle).
    func push(batches: [String], ledger: any Ledger, pipeline: CompiledPipeline, unleashed: UnleashedConfiguration,
              options: PushOptions, format: SummaryFormat, observability: ObservabilityOptions) async throws {
        try observability.refuseOverwriting(batches + (isPostgres ? [] : [ledgerLocation, ledgerLocation + "-wal", ledgerLocation + "-shm"]),
                                            command: command)
        let session = try await observability.start(command: command)
        defer { session.finish() }
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        defer { interrupts.cancel() }
        let summary: PushSummary
        do {
            summary = try await pushRun(batches: batches, ledger: ledger, pipeline: pipeline, unleashed: unleashed,
                                        options: options, quiet: format == .json || observability.logFormat == .json,
                                        session: session, stop: stop)
        } catch {
            StandardError.line("omsync \(command): \(error)")
            throw ExitCode(Self.status(of: error))
        }
        CommandOutput.out(format == .json ? ImportSummaryText.json(summary) : ImportSummaryText.text(summary, ledgerArguments: shownArguments))
        let status = Self.status(of: summary)
        if status != .ok { throw ExitCode(status) }
    }

    /// One run of the push stage over `batches` (observed ledger, progress line unless `quiet`),
    /// returning its summary; throws the `PushError` that kept it from running at all.
    func pushRun(batches: [String], ledger: any Ledger, pipeline: CompiledPipeline, unleashed: UnleashedConfiguration,
                 options: PushOptions, quiet: Bool, session: ObservabilityOptions.Session, stop: StopSignal) async throws(PushError) -> PushSummary {
        let observed = ObservedLedger(ledger, account: name, logger: session.logger)
        let stage = PushStage(pipeline: pipeline, ledger: observed, unleashed: unleashed, options: options)
        let progress = ImportProgress(quiet: quiet)
        defer { progress.finish() }
        return try await stage.run(batches: batches, stop: stop) { progress.update($0) }
    }

    /// The exit status of a run that went: 130 stopped by Ctrl-C, 4 stopped otherwise, 1 problems, 0.
    static func status(of summary: PushSummary) -> ExitStatus {
        switch summary.stopped {
        case .interrupted?: return .interrupted
        case .some: return .runFailed
        case nil: return summary.hasProblems ? .problems : .ok
        }
    }

    /// The exit status of a run that could not start: 2 a batch that cannot be read, else 4.
    static func status(of error: PushError) -> ExitStatus {
        if case .unreadableBatch = error { return .usage }
        return .runFailed
    }
}
