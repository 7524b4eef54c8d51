import Foundation

/// What omsync remembers between runs: the orders it pushed (and the payloads it sent), the
/// customer mapping, the products it created, cached reference data, import runs, API calls per month and the
/// integration log.
///
/// The push stage and the commands use only this protocol, so another backend (PostgreSQL)
/// can be added without touching them. Every method is atomic on its own; `commit(_:)` applies
/// several changes in one transaction. Implementations are safe to call from many tasks at once.
///
/// Both backends store the same columns in the same encodings, declared once in `LedgerTables`.
/// A stored value this binary does not know (an order state, mapping origin, run state, log
/// action or outcome) is never read as another: the read throws `LedgerError.unknownValue`.
///
/// **Fencing.** Once an instance has taken the import lock, every `commit(_:)` that writes state
/// (anything but log rows and call counts, `LedgerChange.writesState`) checks inside its
/// transaction that the lock is still its holder's. When it is not (another run took it over:
/// SQLite, after this holder's process was found gone or its heartbeat stale; PostgreSQL, when
/// the lock's session ended), the transaction changes nothing and throws `LedgerError.lockLost`,
/// and so does every later state write of this instance, until it takes the lock again. A failed
/// `heartbeat` fences the same way. Log rows and call counts are kept even from a run that lost
/// its lock: what it did and what it spent are true either way. The single-row saves
/// (`saveOrder`, `savePayload`, `saveCustomerMapping`, `saveCreatedProduct`, `saveRun`, `addCalls`)
/// are commits of one change, fenced alike.
///
/// **Lifecycle.** Whoever opens a ledger calls `close()` once it is done with it, on every path.
public protocol Ledger: Sendable {
    // MARK: Import lock (one import per ledger at a time)

    /// Takes the import lock for `holder`, or throws `LedgerError.locked(by:)` naming the live
    /// holder. A lock whose holder is gone (same host, process no longer running; or a heartbeat
    /// older than `staleAfter`) is taken over, and the old holder is returned in `takenOver`.
    func acquireImportLock(_ holder: LockHolder, staleAfter: TimeInterval) async throws -> LockAcquisition
    /// Refreshes the holder's heartbeat; throws `LedgerError.lockLost` when another holder has it.
    func heartbeat(_ holder: LockHolder) async throws
    /// Releases the lock if `holder` holds it (no error otherwise).
    func releaseImportLock(_ holder: LockHolder) async throws
    /// The current holder, if any.
    func importLockHolder() async throws -> LockHolder?

    // MARK: Orders

    /// The ledger row of one Ordermentum order, by its `id`.
    func order(sourceID: String) async throws -> OrderRecord?
    /// The ledger row of the order with this Ordermentum order number (the newest when several).
    func order(sourceNumber: String) async throws -> OrderRecord?
    /// Inserts or replaces the row with this `sourceID`.
    func saveOrder(_ record: OrderRecord) async throws
    /// Rows matching the filter, ordered by `updatedAt` then `sourceID`.
    func orders(_ filter: OrderFilter) async throws -> [OrderRecord]

    // MARK: Payloads sent

    /// The payload kept for this order under this hash, if any.
    func payload(sourceID: String, hash: String) async throws -> PushedPayload?
    /// Keeps a payload (saving the same order and hash again replaces it).
    func savePayload(_ payload: PushedPayload) async throws
    /// Every payload kept, ordered by order id then hash (what an export writes).
    func payloads() async throws -> [PushedPayload]

    // MARK: Customer mapping

    /// The mapping of one Ordermentum customer id.
    func customerMapping(customerID: String) async throws -> CustomerMapping?
    /// Inserts or replaces the mapping of `mapping.customerID`.
    func saveCustomerMapping(_ mapping: CustomerMapping) async throws
    /// Removes the mapping; returns whether there was one.
    func forgetCustomerMapping(customerID: String) async throws -> Bool
    /// Every mapping, ordered by customer id.
    func customerMappings() async throws -> [CustomerMapping]

    // MARK: Products created by omsync

    /// Records a product omsync created (by code; a second record of the same code replaces it).
    func saveCreatedProduct(_ product: CreatedProduct) async throws
    /// Every product omsync created, ordered by code.
    func createdProducts() async throws -> [CreatedProduct]

    // MARK: Reference data cache

    /// The cached reference list of one kind (`Warehouses`, `Taxes`, …) and when it was fetched.
    func referenceData(kind: String) async throws -> CachedReference?
    /// Replaces the cached list of `reference.kind`.
    func saveReferenceData(_ reference: CachedReference) async throws

    // MARK: Import runs

    /// Starts a run and returns it with its new `id`.
    func beginRun(_ run: ImportRun) async throws -> ImportRun
    /// Replaces the stored run with the same `id` (counts, checkpoint, state, finish time).
    func saveRun(_ run: ImportRun) async throws
    /// One run by id.
    func run(id: Int64) async throws -> ImportRun?
    /// The newest run that did not finish (`running` or `interrupted`) for this batch hash.
    func unfinishedRun(batchHash: String) async throws -> ImportRun?
    /// The newest runs first, at most `limit`.
    func runs(limit: Int) async throws -> [ImportRun]

    // MARK: API calls per month

    /// Adds calls to the month's counters (`month` is `YYYY-MM` in UTC; endpoint like
    /// `POST /SalesOrders/{guid}`).
    func addCalls(month: String, counts: [String: Int]) async throws
    /// The month's counters by endpoint.
    func calls(month: String) async throws -> [String: Int]

    // MARK: Integration log

    /// Appends one row; returns it with its `id`.
    @discardableResult
    func appendLog(_ entry: LogEntry) async throws -> LogEntry
    /// Rows matching the filter, oldest first.
    func logs(_ filter: LogFilter) async throws -> [LogEntry]

    // MARK: Watchers (`omsync watch`)

    /// Records a watcher's heartbeat (replaces the row of `status.directory`). Not fenced: a
    /// heartbeat is true whoever holds the lock.
    func saveWatchStatus(_ status: WatchStatus) async throws
    /// Every watcher's last heartbeat, the newest cycle first.
    func watchStatuses() async throws -> [WatchStatus]

    // MARK: Moving a ledger (`omsync ledger export` / `import`)

    /// The kinds of cached reference data present, sorted.
    func referenceKinds() async throws -> [String]
    /// The months (`YYYY-MM`) with call counters, sorted.
    func callMonths() async throws -> [String]
    /// Writes `rows` in one transaction, keeping their ids, into a ledger (account) that has no
    /// orders, runs or log rows yet; throws `LedgerError.notEmpty` otherwise, changing nothing.
    func importRows(_ rows: [LedgerRow]) async throws

    // MARK: Transactions

    /// Applies every change in one transaction: all or none (fenced: see the type's doc).
    func commit(_ changes: [LedgerChange]) async throws

    // MARK: Lifecycle

    /// Gives the ledger's resources back (SQLite: closes the file; PostgreSQL: drops the import
    /// lock's session and releases this account's use of the shared connection pool, the last
    /// user shutting it down). Call it once, when done; the ledger is not used after it.
    func close() async
}

/// One change inside `Ledger.commit(_:)`.
public enum LedgerChange: Sendable {
    case saveOrder(OrderRecord)
    case saveCustomerMapping(CustomerMapping)
    case saveCreatedProduct(CreatedProduct)
    case appendLog(LogEntry)
    case saveRun(ImportRun)
    case addCalls(month: String, counts: [String: Int])
    case savePayload(PushedPayload)
    /// Drops the order's kept payloads except the one with hash `keeping`.
    case prunePayloads(sourceID: String, keeping: String)

    /// Whether the change writes state (fenced), rather than only adding a log row or call counts.
    public var writesState: Bool {
        switch self {
        case .appendLog, .addCalls: return false
        default: return true
        }
    }

    /// Whether any of `changes` writes state: such a commit is fenced.
    public static func writeState(_ changes: [LedgerChange]) -> Bool { changes.contains(where: \.writesState) }
}
