import Batch
import Facts
import Foundation
import Ledger
import Logging
import Pipeline
import Unleashed

/// Executes the plans of a batch against Unleashed with the ledger: the import.
///
/// One import per ledger at a time (the ledger's lock). The run is recorded with a checkpoint
/// (records from the start that are all handled) so a stopped or killed run resumes where it
/// stopped; every order's own state is in the ledger, so a resumed order is settled with
/// Unleashed before anything else is done for it, and nothing is created twice.
public struct PushStage: Sendable {
    let pipeline: CompiledPipeline
    let ledger: any Ledger
    let unleashed: UnleashedConfiguration
    let options: PushOptions
    let logger: Logger

    /// A push stage for the compiled rules.
    public init(pipeline: CompiledPipeline, ledger: any Ledger, unleashed: UnleashedConfiguration,
                options: PushOptions = PushOptions(), logger: Logger = Logger(label: "omsync.push")) {
        self.pipeline = pipeline
        self.ledger = ledger
        self.unleashed = unleashed
        self.options = options
        self.logger = logger
    }

    /// Imports `batches`: every record ends created, replaced, superseded, skipped, blocked,
    /// rejected or failed, each with a log row; or the run stops early (Ctrl-C, quota,
    /// credentials, Unleashed unreachable) with its checkpoint saved.
    public func run(batches: [String], stop: StopSignal = StopSignal(),
                    progress: @escaping @Sendable (PushProgress) -> Void = { _ in }) async throws(PushError) -> PushSummary {
        let started = options.now()
        let fingerprint = try BatchFingerprint.of(batches)
        // One pass counts the records and finds each order's newest copy (only that one is planned).
        let copies: NewestCopies
        do throws(NewestCopies.Unreadable) {
            copies = try NewestCopies.scan(batches, pipeline: pipeline)
        } catch {
            throw .unreadableBatch(path: error.path, reason: error.problem.message)
        }
        let total = copies.total
        if let held = options.heldLock {
            // The caller holds the lock and keeps its heartbeat (`omsync watch`, for its whole life).
            return try await runLocked(batches: batches, copies: copies, fingerprint: fingerprint, total: total, holder: held,
                                       started: started, stop: stop, progress: progress)
        }
        let holder = LockHolder(pid: options.pid, host: options.host, startedAt: started)
        let acquisition: LockAcquisition
        do {
            acquisition = try await ledger.acquireImportLock(holder, staleAfter: options.staleLockAfter)
        } catch let error as LedgerError {
            throw .ledger(error)
        } catch {
            throw .ledger(.unavailable(path: "ledger", reason: "\(error)"))
        }
        let heartbeat = Self.keepLock(holder, ledger: ledger, every: options.heartbeatEvery, stop: stop)
        defer { heartbeat.cancel() }
        do {
            var summary = try await runLocked(batches: batches, copies: copies, fingerprint: fingerprint, total: total, holder: holder,
                                              started: started, stop: stop, progress: progress)
            summary.lockTakenOver = acquisition.takenOver
            try? await ledger.releaseImportLock(holder)
            return summary
        } catch {
            try? await ledger.releaseImportLock(holder)
            throw error
        }
    }

    /// Refreshes `holder`'s heartbeat every `every` until cancelled; when the lock is found lost
    /// (or its server silent) asks `stop` to stop, saying so, not as if by Ctrl-C. The one
    /// heartbeat of a run, and of `omsync watch`, which holds the lock across its runs.
    public static func keepLock(_ holder: LockHolder, ledger: any Ledger, every: Duration, stop: StopSignal) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                if Task.isCancelled { break }
                do { try await ledger.heartbeat(holder) } catch {
                    stop.request(because: .ledger(message: "\(error)"))
                }
            }
        }
    }

    /// How many records (orders and unreadable records) the batches hold; throws
    /// `.unreadableBatch` for a file that cannot be read at all (the check `omsync watch` makes
    /// before it moves such a file to `failed/`).
    public static func count(_ batches: [String]) throws(PushError) -> Int {
        var total = 0
        for path in batches {
            let reader: BatchReader
            do {
                reader = try BatchReader(path: path)
            } catch {
                throw .unreadableBatch(path: path, reason: error.message)
            }
            while reader.next() != nil { total += 1 }
        }
        return total
    }
}
