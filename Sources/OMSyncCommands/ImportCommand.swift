import ArgumentParser
import Batch
import Dispatch
import Foundation
import Ledger
import Pipeline
import Push
import Rules
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
            the file `omsync connect` writes (.omsync/credentials). Every order ends created, replaced, \
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

    @Option(help: ArgumentHelp("The credentials file (written by `omsync connect`).", valueName: "file"))
    var credentials = CredentialsFile.defaultPath

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
        var arguments = batches + ["--rules", rulesOptions.rules, "--ledger", ledgerOptions.ledger, "--format", format.rawValue]
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
        let (ruleSet, settings) = try rulesOptions.loadOrExit(command: "import")
        let pipeline: CompiledPipeline
        do {
            pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        } catch {
            StandardError.line("omsync import: cannot compile the rules: \(error)")
            throw ExitCode(.rules)
        }
        let unleashed: UnleashedConfiguration
        do {
            var configuration = UnleashedConfiguration(credentials: try CredentialsFile.load(path: credentials))
            configuration.clientType = clientType
            configuration.callsPerSecond = rate
            unleashed = configuration
        } catch {
            StandardError.line("omsync import: \(error)")
            throw ExitCode(.usage)
        }
        let ledger = try ledgerOptions.open()
        var options = PushOptions()
        options.concurrency = concurrency
        options.quota = quota
        let stage = PushStage(pipeline: pipeline, ruleSet: ruleSet, ledger: ledger, unleashed: unleashed, options: options)
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        let progress = ImportProgress(quiet: format == .json)
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
        CommandOutput.out(format == .json ? ImportSummaryText.json(summary) : ImportSummaryText.text(summary, ledger: ledgerOptions.ledger))
        switch summary.stopped {
        case .interrupted?: throw ExitCode(.interrupted)
        case .some: throw ExitCode(.runFailed)
        case nil: if summary.hasProblems { throw ExitCode(.problems) }
        }
    }
}

/// Ctrl-C (and SIGTERM): the first asks the run to stop after the calls in flight, the second
/// quits at once (the ledger already holds every order's state; the next run settles it).
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(stop: StopSignal) {
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if stop.isRequested {
                    StandardError.line("\nomsync import: stopped at once; the next import of the same batches resumes")
                    exit(ExitStatus.interrupted.rawValue)
                }
                stop.request()
                StandardError.line("\nomsync import: stopping after the calls in flight (Ctrl-C again to quit at once)…")
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Restores the default handling.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
