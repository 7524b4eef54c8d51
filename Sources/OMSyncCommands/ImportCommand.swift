import ArgumentParser
import Batch
import Dispatch
import Foundation
import Ledger
import Metrics
import Pipeline
import Push
import Rules
import Synchronization
import Unleashed
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync import BATCH…`: pushes the batches into Unleashed through the ledger.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Push the orders of batch files into Unleashed (resumable; nothing lost, nothing duplicated).",
        discussion: """
            Credentials come from UNLEASHED_API_ID, UNLEASHED_API_KEY and UNLEASHED_API_URL, else from \
            the file `omsync connect` writes (.omsync/credentials). With --account NAME: the settings \
            (and rules, if any) of accounts/NAME, the credentials from OMSYNC_NAME_API_ID/_API_KEY/_API_URL \
            or .omsync/accounts/NAME/credentials (0600), and one import per account at a time. Every order ends created, replaced, \
            superseded, skipped, blocked or rejected, with a row in the integration log (`omsync logs`). \
            Ctrl-C stops after the calls in flight and saves the checkpoint; running the same import again \
            resumes it, and so does a run after a kill. Re-running a batch creates nothing.
            Exit codes: 0 every order pushed or skipped; 1 some orders rejected, blocked or failed; \
            2 usage error or a batch that cannot be read; 3 the rules have errors; 4 the run itself failed \
            (credentials refused, quota, Unleashed unreachable, ledger busy or unusable); 130 stopped by Ctrl-C.
            """)

    @Argument(help: ArgumentHelp("Batch files (JSON array, JSON Lines, API envelope or export).", valueName: "batch"))
    var batches: [String] = []

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var observability: ObservabilityOptions

    @Option(help: "Orders in flight at once (orders with the same Ordermentum id never overlap).")
    var concurrency = 4

    @Option(help: ArgumentHelp("At most this many API calls per second.", valueName: "calls"))
    var rate: Double?

    @Option(help: ArgumentHelp("Stop cleanly (and resumably) before using more than this many API calls this month.", valueName: "calls"))
    var quota: Int?

    @Flag(name: .customLong("dry-run"), help: "Plan only, against the ledger (as `omsync preview` does): no call to Unleashed.")
    var dryRun = false

    @Option(help: "Summary format: text or json.")
    var format: SummaryFormat = .text

    @Option(help: ArgumentHelp("The credentials file (written by `omsync connect`; default .omsync/credentials, for a named account .omsync/accounts/NAME/credentials).", valueName: "file"))
    var credentials: String?

    @Option(name: .customLong("accounts"), help: ArgumentHelp("The accounts folder: NAME/settings.yaml, NAME/rules/, NAME/account.yaml for --account NAME.", valueName: "dir"))
    var accountsFolder = "accounts"

    @Option(name: .customLong("client-type"), help: ArgumentHelp("The client-type header (partner/app).", valueName: "type"))
    var clientType = "ordermentum/omsync"

    func validate() throws {
        if batches.isEmpty { throw ValidationError("give at least one batch file") }
        if batches.contains("-") {
            throw ValidationError("import reads files, not standard input (a resumed run reads them again): save the batch to a file first")
        }
        if concurrency < 1 || concurrency > 64 { throw ValidationError("--concurrency must be 1...64") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of calls per second") }
        if let quota, quota < 1 { throw ValidationError("--quota must be at least 1") }
    }

    /// The `omsync preview` arguments that a dry run stands for.
    var previewArguments: [String] {
        let profile = try? AccountProfile.load(name: ledgerOptions.account, accountsFolder: accountsFolder)
        let rulesOptions = profile.map(rulesOptions.applying) ?? rulesOptions
        var arguments = batches + ["--rules", rulesOptions.rules] + ledgerOptions.arguments + ["--format", format.rawValue]
        for file in rulesOptions.settings { arguments += ["--settings", file] }
        for override in rulesOptions.overrides { arguments += ["--set", override] }
        return arguments
    }

    func run() async throws {
        if dryRun {
            // A dry run is the ledger-aware preview of the same batches, rules and ledger.
            let preview = try PreviewCommand.parse(previewArguments)
            try await preview.run()
            return
        }
        let profile: AccountProfile
        do {
            profile = try AccountProfile.load(name: ledgerOptions.account, accountsFolder: accountsFolder)
        } catch {
            StandardError.line("omsync import: \(error)")
            throw ExitCode(.usage)
        }
        let (ruleSet, settings) = try rulesOptions.applying(profile).loadOrExit(command: "import")
        let pipeline: CompiledPipeline
        do {
            pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        } catch {
            StandardError.line("omsync import: cannot compile the rules: \(error)")
            throw ExitCode(.rules)
        }
        let unleashed: UnleashedConfiguration
        do {
            var configuration = UnleashedConfiguration(credentials: try profile.credentials(file: credentials))
            configuration.clientType = clientType
            configuration.callsPerSecond = rate
            // The live call counter an operator scrapes (`--metrics-port`), moved as each call is sent.
            let account = ledgerOptions.account
            configuration.onCall = { endpoint in
                Counter(label: "omsync_api_calls_total", dimensions: [("account", account), ("endpoint", endpoint)]).increment()
            }
            unleashed = configuration
        } catch {
            StandardError.line("omsync import: \(error)")
            throw ExitCode(.usage)
        }
        let session = await observability.start(command: "import")
        defer { session.finish() }
        let ledger = ObservedLedger(try await ledgerOptions.open(), account: ledgerOptions.account, logger: session.logger)
        var options = PushOptions()
        options.concurrency = concurrency
        options.quota = quota ?? profile.quota
        let stage = PushStage(pipeline: pipeline, ledger: ledger, unleashed: unleashed, options: options)
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        let progress = ImportProgress(quiet: format == .json || observability.logFormat == .json)
        let summary: PushSummary
        do {
            summary = try await stage.run(batches: batches, stop: stop) { progress.update($0) }
        } catch {
            progress.finish()
            interrupts.cancel()
            StandardError.line("omsync import: \(error)")
            if case .unreadableBatch = error { throw ExitCode(.usage) }
            throw ExitCode(.runFailed)
        }
        progress.finish()
        interrupts.cancel()
        CommandOutput.out(format == .json ? ImportSummaryText.json(summary) : ImportSummaryText.text(summary, ledgerArguments: ledgerOptions.shownArguments))
        switch summary.stopped {
        case .interrupted?: throw ExitCode(.interrupted)
        case .some: throw ExitCode(.runFailed)
        case nil: if summary.hasProblems { throw ExitCode(.problems) }
        }
    }
}

/// Ctrl-C (and SIGTERM): the first asks the run to stop after the calls in flight, the second
/// quits at once (the ledger already holds every order's state; the next run settles it).
///
/// A plain `sigaction` handler, not a dispatch source: the handler runs on whichever thread the
/// signal lands on, at once, even when every queue and the cooperative pool are busy (a
/// dispatch-source handler waited behind them on a loaded two-core machine, and a Ctrl-C was
/// lost). It does only async-signal-safe things: an atomic store, `write(2)` and `_exit`.
final class InterruptHandler {
    init(stop: StopSignal) {
        // Touch the globals first: their lazy initialisation must not happen inside the handler.
        _ = interruptMessages.stopping.count + interruptMessages.quitting.count
        interruptPresses.store(0, ordering: .sequentiallyConsistent)
        interruptTarget = stop
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = onInterrupt
        #else
        action.__sigaction_u.__sa_handler = onInterrupt
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM] {
            sigaction(sig, &action, nil)
            sigaddset(&unblock, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Restores the default handling.
    func cancel() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// The run Ctrl-C stops; set before the handler is installed, only read by it.
nonisolated(unsafe) private var interruptTarget: StopSignal?
/// How many times Ctrl-C was pressed during this run.
private let interruptPresses = Atomic<Int>(0)
/// What the handler writes, prepared before it can run (it must not allocate).
private let interruptMessages = (
    stopping: Array("\nomsync import: stopping after the calls in flight (Ctrl-C again to quit at once)...\n".utf8),
    quitting: Array("\nomsync import: stopped at once; the next import of the same batches resumes\n".utf8)
)

private func onInterrupt(_: Int32) {
    let presses = interruptPresses.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
    if presses >= 2 {
        interruptMessages.quitting.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
        _exit(ExitStatus.interrupted.rawValue)
    }
    interruptTarget?.request()
    interruptMessages.stopping.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
}
