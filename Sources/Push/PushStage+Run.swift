import Batch
import Facts
import Foundation
import Ledger
import Pipeline
import Unleashed

extension PushStage {
    /// The run, once the lock is held.
    func runLocked(batches: [String], copies: NewestCopies, fingerprint: String, total: Int, holder: LockHolder, started: Date,
                   stop: StopSignal, progress: @escaping @Sendable (PushProgress) -> Void) async throws(PushError) -> PushSummary {
        var run: ImportRun
        var resumedFrom: Int?
        do {
            if options.only == nil, var unfinished = try await ledger.unfinishedRun(batchHash: fingerprint) {
                resumedFrom = unfinished.checkpoint
                unfinished.state = .running
                unfinished.pid = options.pid
                unfinished.host = options.host
                unfinished.message = nil
                run = unfinished
                try await ledger.saveRun(run)
            } else {
                run = try await ledger.beginRun(ImportRun(batchPaths: batches, batchHash: fingerprint, total: total,
                                                          pid: options.pid, host: options.host, startedAt: started))
            }
        } catch {
            throw .ledger(Self.ledgerError(error))
        }
        var configuration = unleashed
        configuration.stopRequested = { stop.isRequested }
        let month = Self.month(options.now())
        if let limit = options.quota {
            let used = ((try? await ledger.calls(month: month)) ?? [:]).values.reduce(0, +)
            configuration.quota = CallQuota(limit: limit, usedBefore: used)
        }
        let client: UnleashedClient
        do {
            client = try UnleashedClient(configuration: configuration)
        } catch {
            throw .stopped(error.runStop ?? .unreachable(message: error.description))
        }
        var state = RunTally(run: run, total: total)
        do {
            var context = try await makeContext(client: client, runID: run.id, resumed: resumedFrom != nil, copies: copies)
            context.stop = stop
            state = try await loop(batches: batches, context: context, tally: state, stop: stop, started: started, progress: progress)
        } catch let stopped as RunStop {
            state.stopped = stopped.reason
        } catch let error as UnleashedError {
            state.stopped = error.runStop ?? .unreachable(message: error.reason)
        } catch let error as LedgerError {
            state.stopped = .ledger(message: error.description)
        } catch {
            state.stopped = .unreachable(message: "\(error)")
        }
        if state.stopped == nil, stop.isRequested { state.stopped = stop.reason ?? .interrupted }
        let calls = client.calls.snapshot()
        await saveCalls(client, month: Self.month(options.now()))
        await client.shutdown()
        state.run.state = Self.runState(state.stopped)
        state.run.finishedAt = state.run.state == .finished ? options.now() : nil
        state.run.message = state.stopped?.description
        state.run.calls += calls.values.reduce(0, +)
        try? await ledger.commit([
            .saveRun(state.run),
            .appendLog(LogEntry(time: options.now(), runID: run.id, sourceID: nil, orderNumber: nil, action: .run,
                                outcome: state.stopped == nil ? .ok : (state.stopped?.isFailure == true ? .error : .info),
                                message: state.stopped?.description ?? "finished: \(Self.describe(state.counts))")),
        ])
        var summary = PushSummary(runID: run.id, resumedFrom: resumedFrom, total: total, counts: state.counts, calls: calls,
                                  stopped: state.stopped, lockTakenOver: nil, elapsed: options.now().timeIntervalSince(started))
        summary.byBatch = batches.enumerated().map { index, path in (path, state.byBatch[index] ?? [:]) }
        summary.warned = state.warned
        return summary
    }

    /// The shared parts of a run: reference data (fetched once), manual mappings.
    func makeContext(client: UnleashedClient, runID: Int64, resumed: Bool, copies: NewestCopies) async throws -> PushContext {
        let index = try await ReferenceLoader(client: client, ledger: ledger, now: options.now).load()
        let reference = ReferenceData(warehouses: index.warehouseCodes)
        return PushContext(pipeline: pipeline, client: client, ledger: ledger, index: index,
                           facts: FactFinder(pipeline: pipeline, reference: reference, manual: try await ManualMappings.load(from: ledger),
                                             copies: copies),
                           runID: runID, now: options.now, resumed: resumed, logger: logger)
    }

    /// Adds the calls made since the last save to the ledger's monthly counters.
    func saveCalls(_ client: UnleashedClient, month: String) async {
        let counts = client.calls.drain()
        if !counts.isEmpty { try? await ledger.addCalls(month: month, counts: counts) }
    }

    /// `2026-12` for a date (UTC).
    public static func month(_ date: Date) -> String {
        DotNetDate.monthKey(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down))).key
    }

    /// `created 3, skipped 2`.
    static func describe(_ counts: [PushOutcome: Int]) -> String {
        let parts = PushOutcome.allCases.compactMap { outcome in counts[outcome].map { "\(outcome.rawValue) \($0)" } }
        return parts.isEmpty ? "no orders" : parts.joined(separator: ", ")
    }

    /// The run's state after `stopped`: both `interrupted` and `failed` are resumed by the next
    /// import of the same batches; `failed` says the run could not go on (credentials, network).
    static func runState(_ stopped: StopReason?) -> RunState {
        switch stopped {
        case nil: return .finished
        case .interrupted?, .budget?, .quota?: return .interrupted
        case .authentication?, .unreachable?, .ledger?: return .failed
        }
    }

    static func ledgerError(_ error: any Error) -> LedgerError {
        (error as? LedgerError) ?? .unavailable(path: "ledger", reason: "\(error)")
    }
}

/// The counters of a run while it goes.
struct RunTally: Sendable {
    var run: ImportRun
    var total: Int
    /// Every outcome counted: the run row's (the orders an earlier process of this run settled
    /// below its checkpoint) and this process's.
    var counts: [PushOutcome: Int]
    var stopped: StopReason?
    /// Outcomes of the orders this process handled, by batch (position in the run's list).
    var byBatch: [Int: [PushOutcome: Int]] = [:]
    /// Orders this process wrote to Unleashed with warnings.
    var warned = 0
    /// Outcomes of orders at or past the checkpoint (finished while an earlier one is still in
    /// flight): they go into the run row's counts as the checkpoint passes them, so the row
    /// counts exactly the orders a resumed run will not handle again; a resumed run handles and
    /// counts the rest once.
    private var pastCheckpoint: [Int: PushOutcome] = [:]

    init(run: ImportRun, total: Int) {
        self.run = run
        self.total = total
        var counts: [PushOutcome: Int] = [:]
        for (key, value) in run.counts { if let outcome = PushOutcome(rawValue: key) { counts[outcome] = value } }
        self.counts = counts
    }

    /// Counts the outcome of the order at `seq`; the run row's counts once the checkpoint passes it.
    mutating func add(_ outcome: PushOutcome, seq: Int) {
        counts[outcome, default: 0] += 1
        pastCheckpoint[seq] = outcome
    }

    /// Moves the checkpoint past every finished order, counting their outcomes into the run row.
    mutating func advance(_ finished: inout Set<Int>) {
        while finished.remove(run.checkpoint) != nil {
            if let outcome = pastCheckpoint.removeValue(forKey: run.checkpoint) { run.counts[outcome.rawValue, default: 0] += 1 }
            run.checkpoint += 1
        }
    }
}
