import ArgumentParser
import Batch
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

/// `omsync preview BATCH…`: the dry run. Plans every order and shows the Unleashed payloads;
/// writes nothing but its output.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Dry run: plan every order of the batches and show the Unleashed sales orders.",
        discussion: """
            Writes nothing but its output (and, with --against-unleashed, makes only read-only calls). When a ledger exists (--ledger, default .omsync/ledger.sqlite) \
            and no --assume is given, each order is planned with what the ledger knows of it: replace \
            for an order changed since it was pushed, skip for an unchanged one, block for one changed \
            in Unleashed. --against-unleashed also asks Unleashed (credentials as for import): the \
            warehouses that exist (for warehouse_exists), and the sales orders of the ledger changed \
            since they were pushed (block instead of replace or supersede). Formats: text (a summary, then each order), json (one \
            object {summary, orders, batchProblems}), ndjson (one line per order; batch problems \
            go to standard error), html (one self-contained page with the summary, the invalid orders \
            and each order's payload with where each field came from; implies --explain).
            Exit codes: 0 every order planned without errors; 1 some order is invalid or has \
            errors, or the batch had problems; 2 usage error or a batch that cannot be read; \
            3 the rules have errors (nothing was read).
            """)

    @Argument(help: ArgumentHelp("Batch files: JSON array, JSON Lines, API envelope or export; - for standard input.", valueName: "batch"))
    var batches: [String]

    @OptionGroup var rulesOptions: RulesOptions

    @Option(help: "Output format: text, json, ndjson or html.")
    var format: PreviewFormat = .text

    @Flag(help: "Show where each payload field came from (rule file:line, property level, setting source).")
    var explain = false

    @Option(help: ArgumentHelp("Write the preview to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("warehouse"), help: ArgumentHelp("A warehouse code that exists in Unleashed (for warehouse_exists); repeatable.", valueName: "code"))
    var warehouses: [String] = []

    @Option(name: .customLong("assume"), help: ArgumentHelp(
        "A state fact to assume for every order: pushed, changed, changed_in_unleashed or superseded; repeatable. "
            + "Without the ledger every order is new: --assume pushed --assume changed previews a re-sync of edited orders.",
        valueName: "fact"))
    var assumed: [String] = []

    @OptionGroup var ledgerOptions: LedgerOptions

    @Flag(name: .customLong("against-unleashed"), help: "Ask Unleashed, with read-only calls, for its warehouses and for the pushed orders changed there.")
    var againstUnleashed = false

    @Option(help: ArgumentHelp("The credentials file for --against-unleashed (written by `omsync connect`).", valueName: "file"))
    var credentials = CredentialsFile.defaultPath

    @Option(name: .customLong("client-type"), help: ArgumentHelp("The client-type header for --against-unleashed.", valueName: "type"))
    var clientType = "ordermentum/omsync"

    @Option(help: ArgumentHelp("Planning workers (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Flag(help: .hidden)
    var timings = false

    func validate() throws {
        if batches.isEmpty { throw ValidationError("give at least one batch file (or - for standard input)") }
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be 1...64, not \(jobs)") }
        for fact in assumed where StateFact(rawValue: fact) == nil {
            let known = StateFact.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--assume \(fact): not a state fact; the facts are \(known)")
        }
    }

    func run() async throws {
        let started = DispatchTime.now()
        var options = PreviewRun.Options(batches: batches)
        options.rules = rulesOptions.rules
        options.settingsFiles = rulesOptions.settings
        options.overrides = rulesOptions.overrides
        options.format = format
        options.explain = explain
        options.warehouses = Set(warehouses)
        options.assumed = Set(assumed.compactMap(StateFact.init(rawValue:)))
        options.jobs = jobs ?? PreviewRun.defaultJobs
        options.color = output == nil && isatty(1) == 1
        let run: PreviewRun
        do throws(PreviewRun.Failure) {
            run = try PreviewRun(options)
        } catch {
            if case .rules(let result) = error, !result.diagnostics.isEmpty {
                StandardError.write(result.render(color: isatty(2) == 1) + "\n")
            }
            StandardError.line("omsync preview: \(error)")
            throw ExitCode(error.status)
        }
        if !run.rules.diagnostics.isEmpty {
            StandardError.write(run.rules.render(color: isatty(2) == 1) + "\n")
        }
        if timings {
            StandardError.line(String(format: "timings: load+check %.2f ms, compile %.3f ms (per pipeline; %d compiled)",
                                      run.loadMilliseconds, run.compileMilliseconds, options.jobs))
        }
        if let output, let batch = PreviewRun.sameFile(output, asOneOf: batches) {
            StandardError.line("omsync preview: --output \(output) is the batch \(batch); writing the preview would "
                               + "overwrite it before it is read. Give --output another file.")
            throw ExitCode(.usage)
        }
        let sink: OutputSink
        do {
            sink = try output.map { try OutputSink(path: $0) } ?? OutputSink(fd: 1)
        } catch {
            StandardError.line("omsync preview: \(error)")
            throw ExitCode(.usage)
        }
        let snapshot = try await ledgerSnapshot()
        let view = againstUnleashed ? try await unleashedView(snapshot) : nil
        let outcome = run.plan(into: sink, ledger: snapshot, unleashed: view)
        if timings {
            StandardError.line(String(format: "timings: total %.2f ms", Self.ms(started, DispatchTime.now())))
        }
        if let failure = sink.failure, failure != EPIPE {
            StandardError.line("omsync preview: cannot write to \(output ?? "standard output"): \(String(cString: strerror(failure)))")
            throw ExitCode(.usage)
        }
        if outcome.failed { throw ExitCode(.problems) }
    }

    /// The ledger's rows when a ledger exists and no fact is assumed; nil otherwise.
    func ledgerSnapshot() async throws -> LedgerSnapshot? {
        guard assumed.isEmpty, ledgerOptions.exists else { return nil }
        let ledger = try await ledgerOptions.open()
        do {
            let snapshot = try await LedgerSnapshot.load(from: ledger)
            StandardError.write("omsync preview: facts from the ledger \(ledgerOptions.location) (\(snapshot.rows.count) orders known)\n")
            return snapshot
        } catch {
            StandardError.write("omsync preview: \(ledgerOptions.location): \(error)\n")
            throw ExitCode(.runFailed)
        }
    }

    /// Asks Unleashed with read-only calls (warehouses; sales orders changed since our writes),
    /// and adds the calls to the ledger's monthly count when a ledger exists.
    func unleashedView(_ snapshot: LedgerSnapshot?) async throws -> UnleashedView {
        var configuration: UnleashedConfiguration
        do {
            configuration = UnleashedConfiguration(credentials: try CredentialsFile.load(path: credentials))
            configuration.clientType = clientType
        } catch {
            StandardError.write("omsync preview: \(error)\n")
            throw ExitCode(.usage)
        }
        let client: UnleashedClient
        do {
            client = try UnleashedClient(configuration: configuration)
        } catch {
            StandardError.write("omsync preview: \(error)\n")
            throw ExitCode(.usage)
        }
        do {
            let view = try await UnleashedView.load(client: client, snapshot: snapshot)
            if ledgerOptions.exists, let ledger = try? await ledgerOptions.open() {
                try? await ledger.addCalls(month: PushStage.month(Date()), counts: client.calls.drain())
            }
            await client.shutdown()
            StandardError.write("omsync preview: asked Unleashed (\(view.calls) read-only call\(view.calls == 1 ? "" : "s")): "
                                     + "\(view.warehouses.count) warehouses, \(view.orders.count) pushed sales orders modified since the earliest write recorded\n")
            return view
        } catch {
            await client.shutdown()
            StandardError.write("omsync preview: cannot ask Unleashed: \(error)\n")
            throw ExitCode(.runFailed)
        }
    }

    static func ms(_ from: DispatchTime, _ to: DispatchTime) -> Double {
        Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1_000_000
    }
}
