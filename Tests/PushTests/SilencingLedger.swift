import Foundation
import Ledger
import Synchronization

/// A ledger (the fixture's, around a real SQLite or PostgreSQL one) that goes silent as a
/// PostgreSQL ledger's server does (`noAnswer`): after `answering` reads of an order, from the
/// first commit `silenceOn` picks (that commit included), or from the `failAt`-th write (every
/// write counts: commits, logs, runs, calls, mappings, reference data). Once silent, every
/// write fails, as after a crash nothing more is recorded; with `landing`, the `failAt`-th write
/// is applied before it fails (the process dies after the write, before its next step).
final class SilencingLedger: Ledger {
    let base: any Ledger
    let answering: Int
    let heartbeatFails: Bool
    let silenceOn: @Sendable ([LedgerChange]) -> Bool
    let failAt: Int?
    let landing: Bool
    let reads = Mutex(0)
    /// Writes attempted so far (the failing one included).
    let writes = Mutex(0)
    let silenced = Mutex(false)
    static let silence = LedgerError.noAnswer(path: "postgres://omsync@db.example:5432/ledger", seconds: 60)
    static let taker = LockHolder(pid: 4242, host: "worker-3", startedAt: Date(timeIntervalSince1970: 1_764_669_600))

    init(_ base: any Ledger, answering: Int = .max, heartbeatFails: Bool = false, failAt: Int? = nil, landing: Bool = false,
         silenceOn: @escaping @Sendable ([LedgerChange]) -> Bool = { _ in false }) {
        self.base = base
        self.answering = answering
        self.heartbeatFails = heartbeatFails
        self.failAt = failAt
        self.landing = landing
        self.silenceOn = silenceOn
    }

    var isSilent: Bool { reads.withLock { $0 > answering } || silenced.withLock { $0 } }

    /// Counts a write and runs it, unless the ledger is (or now goes) silent.
    private func write<T>(_ changes: [LedgerChange] = [], _ body: () async throws -> T) async throws -> T {
        let n = writes.withLock { $0 += 1; return $0 }
        if silenceOn(changes) { silenced.withLock { $0 = true } }
        if isSilent { throw Self.silence }
        guard let failAt, n >= failAt else { return try await body() }
        silenced.withLock { $0 = true }
        if landing { _ = try await body() }
        throw Self.silence
    }

    func order(sourceID: String) async throws -> OrderRecord? {
        reads.withLock { $0 += 1 }
        if isSilent { throw Self.silence }
        return try await base.order(sourceID: sourceID)
    }
    func commit(_ changes: [LedgerChange]) async throws { try await write(changes) { try await base.commit(changes) } }
    func acquireImportLock(_ holder: LockHolder, staleAfter: TimeInterval) async throws -> LockAcquisition {
        try await base.acquireImportLock(holder, staleAfter: staleAfter)
    }
    func heartbeat(_ holder: LockHolder) async throws {
        if heartbeatFails { throw LedgerError.lockLost(to: Self.taker) }
        try await base.heartbeat(holder)
    }
    func releaseImportLock(_ holder: LockHolder) async throws { try await base.releaseImportLock(holder) }
    func importLockHolder() async throws -> LockHolder? { try await base.importLockHolder() }
    func close() async { await base.close() }
    func order(sourceNumber: String) async throws -> OrderRecord? { try await base.order(sourceNumber: sourceNumber) }
    func saveOrder(_ record: OrderRecord) async throws { try await commit([.saveOrder(record)]) }
    func orders(_ filter: OrderFilter) async throws -> [OrderRecord] { try await base.orders(filter) }
    func payload(sourceID: String, hash: String) async throws -> PushedPayload? { try await base.payload(sourceID: sourceID, hash: hash) }
    func savePayload(_ payload: PushedPayload) async throws { try await commit([.savePayload(payload)]) }
    func payloads() async throws -> [PushedPayload] { try await base.payloads() }
    func customerMapping(customerID: String) async throws -> CustomerMapping? { try await base.customerMapping(customerID: customerID) }
    func saveCustomerMapping(_ mapping: CustomerMapping) async throws { try await commit([.saveCustomerMapping(mapping)]) }
    func forgetCustomerMapping(customerID: String) async throws -> Bool {
        try await write { try await base.forgetCustomerMapping(customerID: customerID) }
    }
    func customerMappings() async throws -> [CustomerMapping] { try await base.customerMappings() }
    func saveCreatedProduct(_ product: CreatedProduct) async throws { try await commit([.saveCreatedProduct(product)]) }
    func createdProducts() async throws -> [CreatedProduct] { try await base.createdProducts() }
    func referenceData(kind: String) async throws -> CachedReference? { try await base.referenceData(kind: kind) }
    func saveReferenceData(_ reference: CachedReference) async throws { try await write { try await base.saveReferenceData(reference) } }
    func saveWatchStatus(_ status: WatchStatus) async throws { try await write { try await base.saveWatchStatus(status) } }
    func watchStatuses() async throws -> [WatchStatus] { try await base.watchStatuses() }
    func beginRun(_ run: ImportRun) async throws -> ImportRun { try await write { try await base.beginRun(run) } }
    func saveRun(_ run: ImportRun) async throws { try await commit([.saveRun(run)]) }
    func run(id: Int64) async throws -> ImportRun? { try await base.run(id: id) }
    func unfinishedRun(batchHash: String) async throws -> ImportRun? { try await base.unfinishedRun(batchHash: batchHash) }
    func runs(limit: Int) async throws -> [ImportRun] { try await base.runs(limit: limit) }
    func addCalls(month: String, counts: [String: Int]) async throws { try await commit([.addCalls(month: month, counts: counts)]) }
    func calls(month: String) async throws -> [String: Int] { try await base.calls(month: month) }
    func appendLog(_ entry: LogEntry) async throws -> LogEntry { try await write { try await base.appendLog(entry) } }
    func logs(_ filter: LogFilter) async throws -> [LogEntry] { try await base.logs(filter) }
    func referenceKinds() async throws -> [String] { try await base.referenceKinds() }
    func callMonths() async throws -> [String] { try await base.callMonths() }
    func importRows(_ rows: [LedgerRow]) async throws { try await write { try await base.importRows(rows) } }
}
