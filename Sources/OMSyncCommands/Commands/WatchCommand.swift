import ArgumentParser
import Foundation
import Intake
import Ledger
import Metrics
import Pipeline
import Push
import Synchronization
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
            With --listen HOST:PORT and --webhook-token-file FILE it also receives Ordermentum's webhook deliveries \
            at POST http://HOST:PORT/ordermentum/webhook/TOKEN: each is written into DIR (durably) before it is \
            answered, the same (order id, updatedAt) delivered again is answered and dropped, and the next cycle \
            imports it (docs/intake.md).
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

    @Option(help: ArgumentHelp("Also receive Ordermentum webhook deliveries on this address (loopback unless --listen-non-loopback; 0 as the port picks a free one, printed).",
                               valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("webhook-token-file"),
            help: ArgumentHelp("The file (mode 0600) holding the token that ends the webhook URL; it is never printed.", valueName: "file"))
    var webhookTokenFile: String?

    @Flag(name: .customLong("listen-non-loopback"), help: "Allow --listen on an address that is not loopback (put a TLS proxy in front of it).")
    var listenNonLoopback = false

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var unleashedOptions: UnleashedOptions
    @OptionGroup var observability: ObservabilityOptions
    @OptionGroup var runOptions: ImportRunOptions

    func validate() throws {
        if !(interval > 0) { throw ValidationError("--interval must be a positive number of seconds") }
        if !(settle >= 0) { throw ValidationError("--settle must be 0 or more seconds") }
        if (listen == nil) != (webhookTokenFile == nil) {
            throw ValidationError("--listen and --webhook-token-file go together: the address to receive webhooks on, and the token that guards it")
        }
        if let listen, Self.address(listen) == nil {
            throw ValidationError("--listen must be HOST:PORT (e.g. 127.0.0.1:8087, [::1]:8087), not '\(listen)'")
        }
    }

    /// HOST:PORT (the host may be a bracketed IPv6 address), nil when it is not one.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    /// The webhook receiver asked for, checked before anything runs (exit 2 when it cannot be).
    func webhook() throws -> Watcher.Webhook? {
        guard let listen, let file = webhookTokenFile, let (host, port) = Self.address(listen) else { return nil }
        do throws(WebhookError) {
            let token = try WebhookToken.load(path: file)
            try WebhookReceiver.checkListenAddress(host, allowNonLoopback: listenNonLoopback)
            return Watcher.Webhook(host: host, port: port, token: token, allowNonLoopback: listenNonLoopback)
        } catch {
            StandardError.line("omsync watch: \(error.message)")
            throw ExitCode(.usage)
        }
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
        let webhook = try webhook()
        let pipeline = try account.compile()
        let unleashed = try account.unleashedConfiguration(rate: runOptions.rate)
        try observability.refuseOverwriting(account.isPostgres ? [] : [account.ledgerLocation, account.ledgerLocation + "-wal", account.ledgerLocation + "-shm"],
                                            command: "watch")
        let session = try await observability.start(command: "watch")
        defer { session.finish() }
        let status = try await account.withLedger { ledger in
            try await Watcher(account: account, inbox: inbox, ledger: ledger, pipeline: pipeline, unleashed: unleashed,
                              options: runOptions.pushOptions(account), command: self, session: session, webhook: webhook).run()
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
    /// The webhook receiver to run beside the cycles (nil: files only).
    var webhook: Webhook?

    /// Where and how to receive Ordermentum's webhook deliveries.
    struct Webhook: Sendable {
        var host: String
        var port: Int
        var token: WebhookToken
        var allowNonLoopback: Bool
    }

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
        // The webhook receiver writes each delivery into the inbox and wakes the next cycle at once.
        let receiver: Task<Void, Never>?
        if let webhook {
            guard let running = await startReceiver(webhook, signal: signal) else {
                heartbeat.cancel()
                try? await ledger.releaseImportLock(holder)
                return .usage
            }
            receiver = running
        } else {
            receiver = nil
        }
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
        // Deliveries in flight are written and answered before the receiver stops.
        receiver?.cancel()
        await receiver?.value
        heartbeat.cancel()
        try? await ledger.releaseImportLock(holder)
        if stop.isRequested, stop.reason == nil { return .interrupted }
        return worst
    }

    /// Starts the webhook receiver; nil (after saying why) when it cannot listen.
    private func startReceiver(_ webhook: Webhook, signal: InboxSignal) async -> Task<Void, Never>? {
        let receiver = WebhookReceiver(inbox: URL(fileURLWithPath: inbox.directory), token: webhook.token, logger: session.logger)
        let ready = AsyncStream<Int>.makeStream()
        let failure = Mutex<String?>(nil)
        let task = Task {
            do {
                try await receiver.run(host: webhook.host, port: webhook.port, allowNonLoopback: webhook.allowNonLoopback,
                                       onListening: { ready.continuation.yield($0) }, onAccepted: { signal.wake() })
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            ready.continuation.finish()
        }
        for await port in ready.stream {
            // The token is not printed: the URL ends with it, and whoever configures Ordermentum has the file.
            StandardError.line("omsync watch: receiving Ordermentum webhooks at http://\(webhook.host):\(port)/ordermentum/webhook/<token from the file>")
            return task
        }
        StandardError.line("omsync watch: cannot receive webhooks on \(webhook.host):\(webhook.port): \(failure.withLock { $0 } ?? "the receiver did not start"); "
            + "choose another --listen address or port")
        return nil
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
