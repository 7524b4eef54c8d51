/// The keys of the versions delivered (`WebhookOrder.key`), remembered across restarts in
/// `DIR/.webhook-seen`: one key (64 hex digits) per line, appended and fsynced after the batch
/// file holding the versions is renamed into place, read at start.
///
/// Bounded: the newest `capacity` keys are remembered; when the file holds more than twice that
/// many lines it is rewritten durably with the remembered ones (so it stays under 2 × capacity ×
/// 65 bytes). A torn or foreign line (a crash mid-append) is dropped, and the file rewritten, at start.
struct WebhookJournal {
    static let name = ".webhook-seen"

    let directory: String
    let capacity: Int
    /// Keys remembered, and the same keys oldest first (`head` is the oldest still remembered).
    private var seen: Set<String> = []
    private var fifo: [String] = []
    private var head = 0
    /// Lines in the file.
    private var lines = 0

    var path: String { "\(directory)/\(Self.name)" }

    /// Loads the journal of `directory` (none yet: empty).
    init(directory: String, capacity: Int) throws(WebhookError) {
        self.directory = directory
        self.capacity = max(capacity, 1)
        guard DurableFiles.exists(path) else { return }
        let bytes: [UInt8]
        do { bytes = try DurableFiles.read(path, limit: Int.max) } catch {
            throw WebhookError("\(path): cannot read the webhook journal (\(error.reason)); move it aside to start with an empty one")
        }
        // The last piece is empty when the file ends in a newline, else a torn line: dropped.
        var clean = bytes.isEmpty || bytes.last == 0x0A
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            lines += 1
            guard line.count == 64, line.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                clean = false
                continue
            }
            insert(String(decoding: line, as: UTF8.self))
        }
        if !clean || lines > 2 * self.capacity {
            do { try compact() } catch {
                throw WebhookError("\(path): cannot rewrite the webhook journal (\(error.reason))")
            }
        }
    }

    func contains(_ key: String) -> Bool { seen.contains(key) }

    /// Remembers keys: in memory at once, then appended to the file and fsynced (and the file
    /// compacted when over its bound).
    mutating func remember(_ keys: [String]) throws(DurableFiles.Failure) {
        for key in keys { insert(key) }
        try DurableFiles.appendDurably(Array(keys.map { $0 + "\n" }.joined().utf8), to: path)
        lines += keys.count
        if lines > 2 * capacity { try compact() }
    }

    private mutating func insert(_ key: String) {
        guard seen.insert(key).inserted else { return }
        fifo.append(key)
        while fifo.count - head > capacity {
            seen.remove(fifo[head])
            head += 1
        }
        if head > capacity {
            fifo.removeFirst(head)
            head = 0
        }
    }

    /// Rewrites the file with the keys remembered, oldest first.
    private mutating func compact() throws(DurableFiles.Failure) {
        let live = fifo[head...]
        try DurableFiles.writeDurably(Array(live.map { $0 + "\n" }.joined().utf8), directory: directory, name: Self.name)
        lines = live.count
    }
}
