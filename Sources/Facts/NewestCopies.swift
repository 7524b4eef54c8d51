import Batch
import Pipeline

/// The newest copy of each order among the batches of one run (one import, one preview, one
/// `watch` cycle): exports overlap, files are re-sent and webhooks re-delivered, so one order
/// may come several times. Only its newest copy is planned; every other copy is `state.stale`,
/// named as an older copy of that one. One import of ten waiting edits of an order costs one
/// create or replace, not ten.
///
/// Newer means a later version (the rules' `order_version`, e.g. `updatedAt`); between copies
/// with the same version, or when the rules or a copy give none, the later copy in run order
/// (batches in the order given, records in file order), which is what importing them one after
/// the other used to leave in Unleashed. A copy without a usable version counts as older than
/// any copy that has one.
///
/// Read in one pass before the run (`scan`), by real order id (about 100 bytes an order).
public struct NewestCopies: Sendable {
    /// Where a copy is in the run: its batch (position in the run's list) and record index.
    public struct Position: Sendable, Hashable, Comparable {
        public var batch: Int
        public var index: Int

        public init(batch: Int, index: Int) {
            self.batch = batch
            self.index = index
        }

        public static func < (a: Position, b: Position) -> Bool { (a.batch, a.index) < (b.batch, b.index) }
    }

    /// The newest copy of one order.
    public struct Copy: Sendable, Hashable {
        public var position: Position
        public var version: OrderVersion?

        /// Whether this copy is newer than one at `position` with `version`.
        func isNewer(than other: Copy) -> Bool {
            let mine = version?.milliseconds ?? .min, theirs = other.version?.milliseconds ?? .min
            return mine != theirs ? mine > theirs : position > other.position
        }
    }

    /// The batches of the run, in order (for naming where a newer copy is).
    public let paths: [String]
    /// The records (orders and unreadable records) the batches hold.
    public private(set) var total = 0
    private var newest: [String: Copy] = [:]

    /// An empty index for `paths`: add copies with `note` (serve's in-memory samples).
    public init(paths: [String]) {
        self.paths = paths
    }

    /// Adds one copy of order `id`.
    public mutating func note(id: String, version: OrderVersion?, at position: Position) {
        let copy = Copy(position: position, version: version)
        if let known = newest[id], !copy.isNewer(than: known) { return }
        newest[id] = copy
    }

    /// The newest copy of order `id` when it is not the one at `position` (nil: this one is the newest).
    public func newer(than position: Position, id: String) -> Copy? {
        guard let copy = newest[id], copy.position != position else { return nil }
        return copy
    }

    /// Where `copy` is, for messages: `b.json, order at index 3`.
    public func describe(_ copy: Copy, from position: Position) -> String {
        let place = copy.position.batch == position.batch ? "this batch"
            : copy.position.batch < paths.count ? paths[copy.position.batch] : "batch \(copy.position.batch + 1) of the run"
        return "at index \(copy.position.index) of \(place)"
    }

    /// A batch of the run that cannot be opened.
    public struct Unreadable: Error, Sendable {
        public var path: String
        public var problem: BatchProblem
    }

    /// Reads every batch once, noting the version of each order's copies (the push stage counts
    /// the run's records with the same pass). Throws the first batch that cannot be opened.
    public static func scan(_ paths: [String], pipeline: CompiledPipeline) throws(Unreadable) -> NewestCopies {
        var copies = NewestCopies(paths: paths)
        for (batch, path) in paths.enumerated() {
            let reader: BatchReader
            do throws(BatchProblem) {
                reader = try BatchReader(path: path)
            } catch {
                throw Unreadable(path: path, problem: error)
            }
            while let item = reader.next() {
                copies.total += 1
                guard case .record(let record) = item, let id = OrderIdentity.sourceID(of: record) else { continue }
                copies.note(id: id, version: pipeline.version(of: record).version, at: Position(batch: batch, index: record.index))
            }
        }
        return copies
    }
}
