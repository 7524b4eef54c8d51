import ArgumentParser
import Batch
import Facts
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

    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions

    @Flag(name: .customLong("against-unleashed"), help: "Ask the account's Unleashed, with read-only calls, for its warehouses and for the pushed orders changed there.")
    var againstUnleashed = false

    @OptionGroup var unleashedOptions: UnleashedOptions

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

    /// One preview to run: what `omsync preview` parsed, or what `import --dry-run` stands for.
    struct Request: Sendable {
        var batches: [String]
        var format: PreviewFormat = .text
        var explain = false
        var output: String?
        var warehouses: Set<String> = []
        var assumed: Set<StateFact> = []
        var againstUnleashed = false
        var jobs = PreviewRun.defaultJobs
        var timings = false

        init(batches: [String]) { self.batches = batches }
    }

    func run() async throws {
        let account = try ResolvedAccount.resolve("preview", account: accountOptions, ledger: ledgerOptions, rules: rulesOptions,
                                                  unleashed: unleashedOptions)
        var request = Request(batches: batches)
        request.format = format
        request.explain = explain
        request.output = output
        request.warehouses = Set(warehouses)
        request.assumed = Set(assumed.compactMap(StateFact.init(rawValue:)))
        request.againstUnleashed = againstUnleashed
        request.jobs = jobs ?? PreviewRun.defaultJobs
        request.timings = timings
        try await Self.preview(request, account: account)
    }

    /// Plans every order of the request's batches for `account`: its rules and settings, its
    /// ledger's facts (when the ledger exists and nothing is assumed) and, when asked, its
    /// Unleashed's. The one preview path of `preview` and `import --dry-run`.
    static func preview(_ request: Request, account: ResolvedAccount) async throws {
        let started = DispatchTime.now()
        let rulesOptions = account.rulesOptions ?? RulesOptions().applying(account.profile)
        var options = PreviewRun.Options(batches: request.batches)
        options.rules = rulesOptions.rules
        options.settingsFiles = rulesOptions.settings
        options.overrides = rulesOptions.overrides
        options.format = request.format
        options.explain = request.explain
        options.warehouses = request.warehouses
        options.assumed = request.assumed
        options.jobs = request.jobs
        options.color = request.output == nil && isatty(1) == 1
        let run: PreviewRun
        do throws(PreviewRun.Failure) {
            run = try PreviewRun(options)
        } catch {
            if case .rules(let result) = error, !result.diagnostics.isEmpty {
                StandardError.write(result.render(color: isatty(2) == 1) + "\n")
            }
            StandardError.line("omsync \(account.command): \(error)")
            throw ExitCode(error.status)
        }
        if !run.rules.diagnostics.isEmpty {
            StandardError.write(run.rules.render(color: isatty(2) == 1) + "\n")
        }
        if request.timings {
            StandardError.line(String(format: "timings: load+check %.2f ms, compile %.3f ms (per pipeline; %d compiled)",
                                      run.loadMilliseconds, run.compileMilliseconds, options.jobs))
        }
        if let output = request.output, let batch = PreviewRun.sameFile(output, asOneOf: request.batches) {
            StandardError.line("omsync \(account.command): --output \(output) is the batch \(batch); writing the preview would "
                               + "overwrite it before it is read. Give --output another file.")
            throw ExitCode(.usage)
        }
        let sink: OutputSink
        do {
            sink = try request.output.map { try OutputSink(path: $0) } ?? OutputSink(fd: 1)
        } catch {
            StandardError.line("omsync \(account.command): \(error)")
            throw ExitCode(.usage)
        }
        let facts = try await gatherFacts(request, account: account)
        let outcome = run.plan(into: sink, facts: facts)
        if request.timings {
            StandardError.line(String(format: "timings: total %.2f ms", Self.ms(started, DispatchTime.now())))
        }
        if let failure = sink.failure, failure != EPIPE {
            StandardError.line("omsync \(account.command): cannot write to \(request.output ?? "standard output"): \(String(cString: strerror(failure)))")
            throw ExitCode(.usage)
        }
        if outcome.failed { throw ExitCode(.problems) }
    }

    /// The facts every order is planned with: the assumed ones (`--assume`, or no ledger), the
    /// account's ledger rows, and with `againstUnleashed` what the account's Unleashed says
    /// (read-only calls, added to the ledger's monthly count when a ledger exists).
    static func gatherFacts(_ request: Request, account: ResolvedAccount) async throws -> FactSource {
        // The ledger is opened once, when it exists and something needs it (its rows, or the
        // month's call count after asking Unleashed).
        guard account.ledgerExists, request.assumed.isEmpty || request.againstUnleashed else {
            return try await facts(request, account: account, ledger: nil)
        }
        return try await account.withLedger { try await facts(request, account: account, ledger: $0) }
    }

    private static func facts(_ request: Request, account: ResolvedAccount, ledger: (any Ledger)?) async throws -> FactSource {
        var snapshot: LedgerSnapshot?
        if request.assumed.isEmpty, let ledger {
            do {
                snapshot = try await LedgerSnapshot.load(from: ledger)
                StandardError.write("omsync \(account.command): facts from the ledger \(account.ledgerLocation) (\(snapshot?.rows.count ?? 0) orders known)\n")
            } catch {
                StandardError.write("omsync \(account.command): \(account.ledgerLocation): \(error)\n")
                throw ExitCode(.runFailed)
            }
        }
        guard request.againstUnleashed else {
            return snapshot.map(FactSource.ledger) ?? .assumed(request.assumed)
        }
        let (view, calls) = try await account.withUnleashedClient { client in
            do {
                return (try await UnleashedView.load(client: client, snapshot: snapshot), client.calls.drain())
            } catch {
                StandardError.write("omsync \(account.command): cannot ask Unleashed: \(error)\n")
                throw ExitCode(.runFailed)
            }
        }
        // A count that cannot be saved does not stop a read-only preview.
        try? await ledger?.addCalls(month: PushStage.month(Date()), counts: calls)
        StandardError.write("omsync \(account.command): asked Unleashed (\(view.calls) read-only call\(view.calls == 1 ? "" : "s")): "
                            + "\(view.warehouses.count) warehouses, \(view.orders.count) pushed sales orders modified since the earliest write recorded\n")
        return .unleashed(view, ledger: snapshot, assumed: request.assumed)
    }

    static func ms(_ from: DispatchTime, _ to: DispatchTime) -> Double {
        Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1_000_000
    }
}
