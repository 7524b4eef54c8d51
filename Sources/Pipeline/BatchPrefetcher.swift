import Batch
import Foundation

/// Reads a batch on a background thread in chunks, so parsing (one core) overlaps planning and
/// writing (the caller's thread). Chunks come out in input order; at most `depth` chunks wait
/// in the queue, so memory stays bounded however large the batch.
///
/// `@unchecked Sendable` because its state needs a condition variable (wait until a chunk is
/// ready or there is room), which `Mutex` does not offer: every stored `var` is read and written
/// only between `condition.lock()` and `unlock()`; the rest are `let`s of Sendable values.
public final class BatchPrefetcher: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[BatchItem]] = []
    private var finished = false
    private var cancelled = false
    private let depth: Int

    /// Starts reading `reader` on a new thread. The reader must not be used by anyone else
    /// afterwards. `chunkSize` records (or problems) per chunk.
    public init(reader: BatchReader, chunkSize: Int = 256, depth: Int = 8) {
        self.depth = max(1, depth)
        let box = ReaderBox(reader: reader)
        let size = max(1, chunkSize)
        let thread = Thread { [self] in
            self.produce(box.reader, chunkSize: size)
        }
        thread.name = "omsync.batch-reader"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func produce(_ reader: BatchReader, chunkSize: Int) {
        var chunk: [BatchItem] = []
        chunk.reserveCapacity(chunkSize)
        while let item = reader.next() {
            chunk.append(item)
            if chunk.count >= chunkSize {
                guard push(chunk) else { return }
                chunk = []
                chunk.reserveCapacity(chunkSize)
            }
        }
        if !chunk.isEmpty { _ = push(chunk) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for room in the queue; false when the consumer cancelled.
    private func push(_ chunk: [BatchItem]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    /// The next chunk in input order; nil once the batch is read or reading was cancelled.
    public func next() -> [BatchItem]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished && !cancelled { condition.wait() }
        guard !cancelled, !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Stops the reading thread early (it finishes its current chunk and exits); `next()` then
    /// gives nil.
    public func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Hands the (non-Sendable) reader to the reading thread, which becomes its only user.
/// `@unchecked Sendable` is safe because the box crosses to that thread exactly once and the
/// initialiser's caller gives the reader up ("must not be used by anyone else afterwards").
private final class ReaderBox: @unchecked Sendable {
    let reader: BatchReader
    init(reader: BatchReader) { self.reader = reader }
}
