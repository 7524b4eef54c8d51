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
            go to standard error).
            Exit codes: 0 every order planned without errors; 1 some order is invalid or has \
            errors, or the batch had problems; 2 usage error or a batch that cannot be read; \
            3 the rules have errors (nothing was read).
            """)

    @Argument(help: ArgumentHelp("Batch files: JSON array, JSON Lines, API envelope or export; - for standard input.", valueName: "batch"))
    var batches: [String]

    @OptionGroup var rulesOptions: RulesOptions

    @Option(help: "Output format: text, json or ndjson.")
    var format: PreviewFormat = .text

    @Flag(help: "Show where each payload field came from (rule file:line, property level, setting source).")
    var explain = false

    @Option(help: ArgumentHelp("Write the preview to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("warehouse"), help: ArgumentHelp("A warehouse code that exists in Unleashed (for warehouse_exists); repeatable.", valueName: "code"))
    var warehouses: [String] = []

    @Option(name: .customLong("assume"), help: ArgumentHelp(
        "A state fact to assume for every order: pushed, changed or changed_in_unleashed; repeatable. "
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

    @Flag(help: .hidden)
    var timings = false

    func validate() throws {
        if batches.isEmpty { throw ValidationError("give at least one batch file (or - for standard input)") }
        for fact in assumed where StateFact(rawValue: fact) == nil {
            let known = StateFact.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--assume \(fact): not a state fact; the facts are \(known)")
        }
    }

    func run() async throws {
        let started = DispatchTime.now()
        let (ruleSet, settings) = try rulesOptions.loadOrExit(command: "preview")
        let loaded = DispatchTime.now()
        // One compiled pipeline per planning thread: nothing the threads touch per order is shared,
        // so reference counts never bounce between cores.
        let pipelines: [CompiledPipeline]
        do {
            pipelines = try (0..<Self.workers).map { _ in try CompiledPipeline(ruleSet: ruleSet, settings: settings) }
        } catch {
            StandardError.write("omsync preview: cannot compile the rules: \(error)\n")
            throw ExitCode(.rules)
        }
        let compiled = DispatchTime.now()
        if timings {
            StandardError.write(String(format: "timings: load+check %.2f ms, compile %.3f ms (per pipeline; %d compiled)\n",
                                             Self.ms(started, loaded), Self.ms(loaded, compiled) / Double(Self.workers), Self.workers))
        }
        var readers: [BatchReader] = []
        for path in batches {
            do {
                readers.append(try BatchReader(path: path))
            } catch {
                StandardError.write("omsync preview: \(error)\n")
                throw ExitCode(.usage)
            }
        }
        if let output, let batch = Self.sameFile(output, asOneOf: batches) {
            StandardError.write("omsync preview: --output \(output) is the batch \(batch); writing the preview would "
                                     + "overwrite it before it is read. Give --output another file.\n")
            throw ExitCode(.usage)
        }
        let sink: OutputSink
        do {
            sink = try output.map { try OutputSink(path: $0) } ?? OutputSink(fd: 1)
        } catch {
            StandardError.write("omsync preview: \(error)\n")
            throw ExitCode(.usage)
        }
        let color = output == nil && isatty(1) == 1
        var report = PreviewReport(format: format, color: color, multipleBatches: readers.count > 1)
        let state = OrderState(facts: Set(assumed.compactMap(StateFact.init(rawValue:))))
        let explain = self.explain
        let format = self.format
        let snapshot = try await ledgerSnapshot()
        let view = againstUnleashed ? try await unleashedView(snapshot) : nil
        let reference = ReferenceData(warehouses: Set(warehouses).union(view?.warehouses ?? []))
        for reader in readers {
            report.beginBatch(reader.path, sink: sink)
            let planner = OrderedParallelMap<PreviewChunk>(source: BatchPrefetcher(reader: reader), workers: Self.workers) { worker, items in
                PreviewChunk(items, pipeline: pipelines[worker], state: state, reference: reference, explain: explain, renderNDJSON: format == .ndjson,
                             ledger: snapshot, unleashed: view)
            }
            while let chunk = planner.next() {
                report.add(chunk, path: reader.path, sink: sink)
            }
        }
        report.finish(sink: sink)
        sink.flush()
        if timings {
            StandardError.write(String(format: "timings: total %.2f ms\n", Self.ms(started, DispatchTime.now())))
        }
        if let failure = sink.failure, failure != EPIPE {
            StandardError.write("omsync preview: cannot write to \(output ?? "standard output"): \(String(cString: strerror(failure)))\n")
            throw ExitCode(.usage)
        }
        if report.failed { throw ExitCode(.problems) }
    }

    /// The ledger's rows when a ledger exists and no fact is assumed; nil otherwise.
    func ledgerSnapshot() async throws -> LedgerSnapshot? {
        guard assumed.isEmpty, ledgerOptions.exists else { return nil }
        let ledger = try ledgerOptions.open()
        do {
            let snapshot = try await LedgerSnapshot.load(from: ledger)
            StandardError.write("omsync preview: facts from the ledger \(ledgerOptions.ledger) (\(snapshot.rows.count) orders known)\n")
            return snapshot
        } catch {
            StandardError.write("omsync preview: \(ledgerOptions.ledger): \(error)\n")
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
            if ledgerOptions.exists, let ledger = try? ledgerOptions.open() {
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

    /// Planning threads (the reader has its own).
    static let workers = 2

    /// The batch among `batches` that is the same file as `output` (same device and inode), if any.
    static func sameFile(_ output: String, asOneOf batches: [String]) -> String? {
        var target = stat()
        guard stat(output, &target) == 0 else { return nil }
        return batches.first { path in
            var other = stat()
            return path != "-" && stat(path, &other) == 0 && other.st_dev == target.st_dev && other.st_ino == target.st_ino
        }
    }

    static func ms(_ from: DispatchTime, _ to: DispatchTime) -> Double {
        Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1_000_000
    }
}
