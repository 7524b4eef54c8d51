import Batch
import Foundation

/// Runs `transform` over the chunks of a `BatchPrefetcher` on several threads and hands the
/// results back strictly in input order. At most `depth` chunks are in flight (taken but not
/// yet handed back), so memory stays bounded.
///
/// `@unchecked Sendable` because delivery in order needs a condition variable, which `Mutex`
/// does not offer: the result table and counters are touched only under `condition`, the take
/// order only under `takeLock`; everything else is a `let` of a Sendable value.
public final class OrderedParallelMap<Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let takeLock = NSLock()
    private var results: [Int: Output] = [:]
    private var nextToTake = 0
    private var nextToDeliver = 0
    private var inFlight = 0
    private var finishedWorkers = 0
    private let workers: Int
    private let depth: Int
    private let source: BatchPrefetcher
    private let transform: @Sendable (Int, [BatchItem]) -> Output

    /// Starts `workers` threads that take chunks from `source` and transform them; `transform`
    /// gets the worker's number (0..<workers), e.g. to use state of its own.
    public init(source: BatchPrefetcher, workers: Int = 2, depth: Int = 8,
                transform: @escaping @Sendable (Int, [BatchItem]) -> Output) {
        self.source = source
        self.workers = max(1, workers)
        self.depth = max(self.workers, depth)
        self.transform = transform
        for n in 0..<self.workers {
            let thread = Thread { [self] in self.work(worker: n) }
            thread.name = "omsync.planner-\(n)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func work(worker: Int) {
        while true {
            condition.lock()
            while inFlight >= depth { condition.wait() }
            inFlight += 1
            condition.unlock()

            takeLock.lock()
            let chunk = source.next()
            let sequence = nextToTake
            if chunk != nil { nextToTake += 1 }
            takeLock.unlock()

            guard let chunk else {
                condition.lock()
                inFlight -= 1
                finishedWorkers += 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let output = transform(worker, chunk)
            condition.lock()
            results[sequence] = output
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next result in input order; nil when every chunk has been handed back.
    public func next() -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while results[nextToDeliver] == nil && finishedWorkers < workers {
            condition.wait()
        }
        guard let output = results.removeValue(forKey: nextToDeliver) else { return nil }
        nextToDeliver += 1
        inFlight -= 1
        condition.broadcast()
        return output
    }
}
