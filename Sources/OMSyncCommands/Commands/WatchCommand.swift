import ArgumentParser
import Foundation
import Intake
import Ledger
import Metrics
import Pipeline
import Push
import Unleashed

/// `omsync watch DIR`: imports every batch file that appears in DIR, one cycle (one run of the
/// push stage over every stable file waiting) at a time; files move to `done/` or `failed/`
/// (docs/intake.md).
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Import every batch file that appears in a directory (an inbox), one cycle at a time.",
        discussion: """
            Takes *.json, *.ndjson and *.jsonl files, oldest first, once unchanged for --settle seconds; \
            names starting with '.' or ending in .partial, .part or .tmp are left alone (write, then rename). \
            The files waiting at the start of a cycle are imported as one run (as `omsync import A B …`); \
            each then moves to DIR/done/ with NAME.summary.json beside it, or, when it cannot be read at all, \
            to DIR/failed/ with NAME.error.txt. One watcher per account (it holds the ledger's import lock). \
            A killed cycle is run again first by the next start (DIR/.omsync-cycle.json); nothing is created twice.
            Exit codes (--once: of the cycle; otherwise once stopped): as `omsync import`; a watcher stopped by \
            Ctrl-C or SIGTERM after the calls in flight exits 130 (resumable).
            """)

    @Argument(help: ArgumentHelp("The inbox directory.", valueName: "dir"))
    var directory: String

    @Flag(help: "One cycle (whatever is waiting now), then exit with the import's exit code.")
    var once = false

    @Option(help: ArgumentHelp("Seconds between looks at the inbox when nothing wakes the watcher (inotify, where available, wakes it at once).", valueName: "seconds"))
    var interval: Double = 5

    @Option(help: ArgumentHelp("A file is taken once its size and modification time were unchanged this many seconds.", valueName: "seconds"))
    var settle: Double = 1

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var unleashedOptions: UnleashedOptions
    @OptionGroup var observability: ObservabilityOptions
    @OptionGroup var runOptions: ImportRunOptions

    func validate() throws {
        if !(interval > 0) { throw ValidationError("--interval must be a positive number of seconds") }
        if !(settle >= 0) { throw ValidationError("--settle must be 0 or more seconds") }
    }

    func run() async throws {
        let account = try ResolvedAccount.resolve("watch", account: accountOptions, ledger: ledgerOptions, rules: rulesOptions,
                                                  unleashed: unleashedOptions)
        let inbox: Inbox
        do {
            inbox = try Inbox(directory: directory, settle: settle)
        } catch {
            StandardError.line("omsync watch: \(error)")
            throw ExitCode(.usage)
        }
        let pipeline = try account.compile()
        let unleashed = try account.unleashedConfiguration(rate: runOptions.rate)
        let session = await observability.start(command: "watch")
        defer { session.finish() }
        let status = try await account.withLedger { ledger in
            try await Watcher(account: account, inbox: inbox, ledger: ledger, pipeline: pipeline, unleashed: unleashed,
                              options: runOptions.pushOptions(account), command: self, session: session).run()
        }
        if status != .ok { throw ExitCode(status) }
    }
}

/// One watcher's life: the lock, the cycles, the stop.
struct Watcher {
    let account: ResolvedAccount
    let inbox: Inbox
    let ledger: any Ledger
    let pipeline: CompiledPipeline
    let unleashed: UnleashedConfiguration
    var options: PushOptions
    let command: WatchCommand
    let session: ObservabilityOptions.Session

    /// Holds the lock, runs cycles until `--once` is done or a signal stops it; the exit status.
    func run() async throws -> ExitStatus {
        let holder = LockHolder(pid: options.pid, host: options.host, startedAt: options.now())
        do {
            _ = try await ledger.acquireImportLock(holder, staleAfter: options.staleLockAfter)
        } catch {
            StandardError.line("omsync watch: \(PushError.ledger((error as? LedgerError) ?? .unavailable(path: "ledger", reason: "\(error)")))")
            return .runFailed
        }
        let stop = StopSignal()
        let heartbeat = PushStage.keepLock(holder, ledger: ledger, every: options.heartbeatEvery, stop: stop)
        let interrupts = InterruptHandler(stop: stop)
        defer { interrupts.cancel() }
        var options = options
        options.heldLock = holder
        let signal = InboxSignal(directory: inbox.directory)
        var worst = ExitStatus.ok
        var status = Cycle.Status.idle
        var lastSaved: ContinuousClock.Instant?
        repeat {
            // A cycle that did not finish (killed, stopped, Unleashed away) runs first, with the same files.
            let resumed = try? inbox.unfinishedCycle()
            var files = resumed ?? []
            if resumed == nil {
                if command.once { await settleAll(stop: stop) }
                files = (try? inbox.stable()) ?? []
            }
            let cycle = Cycle(watcher: self, options: options, stop: stop)
            status = await cycle.run(files, resumed: resumed != nil)
            worst = max(worst, status.exit)
            // The heartbeat: after every cycle with files, and for idle ones at most once per interval.
            let now = ContinuousClock.now
            if status.outcome != "idle" || lastSaved.map({ now - $0 >= .seconds(command.interval) }) ?? true {
                await record(status, files: files.count, holder: holder)
                lastSaved = now
            }
            if command.once || stop.isRequested || status.ends { break }
            await signal.wait(atMost: .seconds(command.interval)) { stop.isRequested }
        } while !stop.isRequested
        heartbeat.cancel()
        try? await ledger.releaseImportLock(holder)
        if stop.isRequested, stop.reason == nil { return .interrupted }
        return worst
    }

    /// `--once`: waits (up to ten settle times) for the files still being written to settle.
    private func settleAll(stop: StopSignal) async {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(max(command.settle, 0.05) * 10)
        while clock.now < deadline, !stop.isRequested, (try? inbox.hasUnsettled()) == true {
            try? await Task.sleep(for: .milliseconds(max(20, Int(command.settle * 250))))
        }
    }

    /// The heartbeat a scheduler reads: the ledger's watch status (`omsync accounts`) and the metrics.
    private func record(_ status: Cycle.Status, files: Int, holder: LockHolder) async {
        let now = options.now()
        let row = WatchStatus(directory: URL(fileURLWithPath: inbox.directory).standardizedFileURL.path, pid: holder.pid, host: holder.host,
                              startedAt: holder.startedAt, lastCycleAt: now, lastOutcome: status.outcome, filesInLastCycle: files)
        do {
            try await ledger.saveWatchStatus(row)
        } catch {
            StandardError.line("omsync watch: the heartbeat could not be recorded in the ledger (\(error)); watching on")
        }
        let dimensions = [("account", account.name)]
        Gauge(label: "omsync_watch_last_cycle_timestamp_seconds", dimensions: dimensions).record(now.timeIntervalSince1970)
        Gauge(label: "omsync_watch_files_in_last_cycle", dimensions: dimensions).record(files)
        Counter(label: "omsync_watch_cycles_total", dimensions: dimensions + [("outcome", status.outcome)]).increment()
    }
}

/// One cycle: the files waiting at its start, imported as one run, then moved.
struct Cycle {
    let watcher: Watcher
    let options: PushOptions
    let stop: StopSignal

    /// How a cycle ended.
    struct Status {
        /// ok, problems, failed-files, stopped, error, idle.
        var outcome: String
        var exit: ExitStatus
        /// The watcher stops after it (the lock lost, a stop asked for).
        var ends = false

        static let idle = Status(outcome: "idle", exit: .ok)
    }

    func run(_ waiting: [InboxFile], resumed: Bool) async -> Status {
        let inbox = watcher.inbox
        guard !waiting.isEmpty else {
            if resumed { inbox.endCycle() }
            return .idle
        }
        // A file that cannot be read at all goes to failed/ (the import's own check); the others run.
        var files: [InboxFile] = []
        var failed = 0
        for file in waiting {
            do {
                _ = try PushStage.count([file.path])
                files.append(file)
            } catch {
                failed += 1
                fail(file, error)
            }
        }
        guard !files.isEmpty else {
            inbox.endCycle()
            return Status(outcome: "failed-files", exit: .usage)
        }
        do {
            try inbox.beginCycle(files)
        } catch {
            StandardError.line("omsync watch: \(error)")
            return Status(outcome: "error", exit: .runFailed, ends: true)
        }
        let account = watcher.account, format = watcher.command.runOptions.format
        let summary: PushSummary
        do {
            summary = try await account.pushRun(batches: files.map(\.path), ledger: watcher.ledger, pipeline: watcher.pipeline,
                                                unleashed: watcher.unleashed, options: options,
                                                quiet: format == .json || watcher.command.observability.logFormat == .json,
                                                session: watcher.session, stop: stop)
        } catch {
            StandardError.line("omsync watch: \(error)")
            if case .unreadableBatch(let path, _) = error, let file = files.first(where: { $0.path == path }) {
                // Changed since the check: to failed/, the others in the next cycle.
                fail(file, error)
                inbox.endCycle()
                return Status(outcome: "failed-files", exit: .usage)
            }
            return Status(outcome: "error", exit: .runFailed, ends: Self.ends(error))
        }
        let json = ImportSummaryText.json(summary)
        CommandOutput.out(format == .json ? json : ImportSummaryText.text(summary, ledgerArguments: account.shownArguments))
        var exit = ResolvedAccount.status(of: summary)
        guard summary.stopped == nil else {
            // Stopped (Ctrl-C, SIGTERM, quota, Unleashed away, the lock lost): the files and the
            // journal stay; the next cycle (or start) resumes the run from its checkpoint.
            let ends: Bool
            switch summary.stopped {
            case .interrupted?, .ledger?: ends = true
            default: ends = watcher.command.once
            }
            return Status(outcome: "stopped", exit: exit, ends: ends)
        }
        for file in files {
            do {
                try inbox.moveDone(file, summary: Data(json.utf8))
            } catch {
                StandardError.line("omsync watch: \(error)")
                return Status(outcome: "error", exit: .runFailed, ends: true)
            }
        }
        inbox.endCycle()
        if failed > 0 { exit = max(exit, .usage) }
        return Status(outcome: failed > 0 ? "failed-files" : (exit == .ok ? "ok" : "problems"), exit: exit)
    }

    private func fail(_ file: InboxFile, _ error: PushError) {
        StandardError.line("omsync watch: \(error); moved to \(watcher.inbox.failedDirectory)/")
        do {
            try watcher.inbox.moveFailed(file, error: error.description)
        } catch {
            StandardError.line("omsync watch: \(error)")
        }
    }

    /// Whether a run that could not start ends the watcher (the ledger: busy, lost, unusable).
    private static func ends(_ error: PushError) -> Bool {
        if case .ledger = error { return true }
        return false
    }
}

extension ExitStatus: Comparable {
    /// Worse is larger: ok < problems < usage < rules < run failed < interrupted.
    public static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
