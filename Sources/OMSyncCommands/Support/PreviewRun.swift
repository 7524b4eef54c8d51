import Batch
import Foundation
import Pipeline
import Facts
import Rules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync preview` as a library: load and check the rules, compile one pipeline per worker,
/// open the batches, then read → plan → render into a sink. The command only parses its
/// options, gathers the ledger's and Unleashed's facts, prints and exits; tests run this in
/// process.
public struct PreviewRun {
    /// What to preview and how.
    public struct Options: Sendable {
        /// Batch files (`-` for standard input).
        public var batches: [String]
        /// The rules directory, settings files and `key=value` overrides.
        public var rules = "rules"
        public var settingsFiles: [String] = []
        public var overrides: [String] = []
        public var format: PreviewFormat = .text
        /// Say where each payload field came from.
        public var explain = false
        /// Warehouse codes known to exist (for `warehouse_exists`).
        public var warehouses: Set<String> = []
        /// State facts assumed for every order (none: every order is new, unless a ledger says otherwise).
        public var assumed: Set<StateFact> = []
        /// Planning workers (the reader has a thread of its own).
        public var jobs = PreviewRun.defaultJobs
        /// Colour the text format.
        public var color = false

        /// Options for `batches` with the defaults.
        public init(batches: [String]) { self.batches = batches }
    }

    /// Why a preview could not run (before any order was planned). Each has its exit status.
    public enum Failure: Error, CustomStringConvertible {
        /// The rules or settings have errors (or cannot be read): nothing was read.
        case rules(RuleLoadResult)
        /// A reference the compiler cannot resolve.
        case compile(CompiledPipeline.CompileError)
        /// A batch that cannot be opened.
        case unreadableBatch(BatchProblem)

        /// The exit status the command ends with.
        public var status: ExitStatus {
            switch self {
            case .rules(let result): return result.isUnreadable ? .usage : .rules
            case .compile: return .rules
            case .unreadableBatch: return .usage
            }
        }

        /// One line for standard error (the rule diagnostics themselves are in `RuleLoadResult`).
        public var description: String {
            switch self {
            case .rules(let result): return "the rules have errors (\(result.summary)); nothing was read"
            case .compile(let error): return "cannot compile the rules: \(error)"
            case .unreadableBatch(let problem): return problem.message
            }
        }
    }

    /// How the preview went once it ran.
    public struct Outcome: Sendable {
        /// Some order is invalid or has errors, or a batch had problems.
        public var failed: Bool
        /// The exit status: `problems` when failed, else `ok`.
        public var status: ExitStatus { failed ? .problems : .ok }
    }

    /// As many planning workers as the machine has cores (at least one).
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    public let options: Options
    /// The rules as loaded and checked (warnings may remain, for the caller to print).
    public let rules: RuleLoadResult
    /// One compiled pipeline per worker: nothing a worker touches per order is shared (not even
    /// the time-zone memo), so reference counts never bounce between cores.
    let pipelines: [CompiledPipeline]
    let readers: [BatchReader]
    /// Milliseconds spent loading and checking the rules, and compiling one pipeline (the mean).
    public let loadMilliseconds: Double
    public let compileMilliseconds: Double

    /// Loads, checks and compiles the rules and opens every batch; throws before anything is
    /// planned when one of them fails.
    public init(_ options: Options) throws(Failure) {
        self.options = options
        let started = DispatchTime.now()
        rules = RuleLoader.load(directory: options.rules, settingsFiles: options.settingsFiles, overrides: options.overrides)
        guard case .loaded(let ruleSet, let settings) = rules.outcome else { throw .rules(rules) }
        let loaded = DispatchTime.now()
        var pipelines: [CompiledPipeline] = []
        for _ in 0..<max(1, options.jobs) {
            do throws(CompiledPipeline.CompileError) {
                pipelines.append(try CompiledPipeline(ruleSet: ruleSet, settings: settings))
            } catch {
                throw .compile(error)
            }
        }
        self.pipelines = pipelines
        func ms(_ from: DispatchTime, _ to: DispatchTime) -> Double { Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1_000_000 }
        loadMilliseconds = ms(started, loaded)
        compileMilliseconds = ms(loaded, DispatchTime.now()) / Double(pipelines.count)
        var readers: [BatchReader] = []
        for path in options.batches {
            do throws(BatchProblem) {
                readers.append(try BatchReader(path: path))
            } catch {
                throw .unreadableBatch(error)
            }
        }
        self.readers = readers
    }

    /// Plans every order of every batch, in input order, and writes the report into `sink`
    /// (flushed at the end). `facts` supplies what is known of each order (default: the
    /// options' assumed facts).
    public func plan(into sink: OutputSink, facts: FactSource? = nil) -> Outcome {
        var report = PreviewReport(format: options.format, color: options.color, multipleBatches: readers.count > 1)
        let facts = facts ?? .assumed(options.assumed)
        let copies = newestCopies()
        let finders = pipelines.map { FactFinder(pipeline: $0, source: facts, warehouses: options.warehouses, copies: copies) }
        let (explain, ndjson) = (options.explain || options.format == .html, options.format == .ndjson)
        for (position, reader) in readers.enumerated() {
            report.beginBatch(reader.path, sink: sink)
            let source = BatchPrefetcher(reader: reader, chunkSize: Self.chunkSize, depth: 2)
            // ndjson and html are rendered by the workers too; the writer only counts and writes.
            let html = options.format == .html ? position : nil
            let planner = OrderedParallelMap<PreviewChunk>(source: source, workers: pipelines.count, depth: 2 * pipelines.count) { worker, items in
                PreviewChunk(items, facts: finders[worker], batch: position, explain: explain, renderNDJSON: ndjson, renderHTML: html)
            }
            while let chunk = planner.next() {
                report.add(chunk, path: reader.path, sink: sink)
            }
        }
        report.finish(sink: sink)
        sink.flush()
        return Outcome(failed: report.failed)
    }

    /// The newest copy of each order among the batches, read in a first pass, so that an older
    /// copy is planned as the import plans it (`state.stale`); nil when a batch is standard input,
    /// which can be read once only: then each copy is planned on its own (and a later copy of an
    /// order still says W-DUPLICATE-ID).
    func newestCopies() -> NewestCopies? {
        guard !options.batches.contains("-") else { return nil }
        return try? NewestCopies.scan(options.batches, pipeline: pipelines[0])
    }

    /// Orders per chunk handed between the reader, the workers and the writer. Small, so that
    /// the chunks in flight (two read ahead, two per worker) stay a few megabytes: a
    /// 100,000-order preview peaks under 50 MB (docs/performance.md); handing a chunk over costs
    /// a lock and a wake-up, nothing next to planning 32 orders.
    static let chunkSize = 32

    /// The batch among `batches` that is the same file as `output` (same device and inode), if any:
    /// writing there would overwrite the batch before it is read.
    public static func sameFile(_ output: String, asOneOf batches: [String]) -> String? {
        var target = stat()
        guard stat(output, &target) == 0 else { return nil }
        return batches.first { path in
            var other = stat()
            return path != "-" && stat(path, &other) == 0 && other.st_dev == target.st_dev && other.st_ino == target.st_ino
        }
    }
}
