import Foundation
import Ledger
import Logging
import Metrics

/// A ledger that tells the operator what is written to it: each integration-log row becomes a
/// structured log event (swift-log) and a metric (swift-metrics), runs become metrics (API calls
/// are counted as they are sent, by the import's `UnleashedConfiguration.onCall`). It forwards
/// every call to `base` unchanged, so the push stage needs no change and what the log and
/// metrics say is exactly what the ledger recorded.
final class ObservedLedger: Ledger {
    let base: any Ledger
    let account: String
    let logger: Logger

    init(_ base: any Ledger, account: String, logger: Logger) {
        self.base = base
        self.account = account
        self.logger = logger
    }

    // MARK: What is observed

    func observe(_ change: LedgerChange) {
        switch change {
        case .appendLog(let entry): observe(entry)
        case .saveRun(let run): observe(run)
        // The call counter moves as each call is sent (`UnleashedConfiguration.onCall`), not
        // when the ledger's monthly counters are saved at a checkpoint.
        case .addCalls, .saveOrder, .saveCustomerMapping, .saveCreatedProduct, .savePayload, .prunePayloads: break
        }
    }

    func observe(_ entry: LogEntry) {
        Counter(label: "omsync_log_events_total", dimensions: [("account", account), ("action", entry.action.rawValue), ("outcome", entry.outcome.rawValue)]).increment()
        var metadata: Logger.Metadata = ["account": .string(account), "action": .string(entry.action.rawValue), "outcome": .string(entry.outcome.rawValue)]
        if let run = entry.runID { metadata["run"] = .stringConvertible(run) }
        if let id = entry.sourceID { metadata["order_id"] = .string(id) }
        if let number = entry.orderNumber { metadata["order_number"] = .string(number) }
        if let status = entry.httpStatus { metadata["http_status"] = .stringConvertible(status) }
        if let guid = entry.guid { metadata["guid"] = .string(guid) }
        logger.log(level: entry.outcome.isFailure ? .warning : .info, "\(entry.message ?? entry.action.rawValue)", metadata: metadata)
    }

    func observe(_ run: ImportRun) {
        let dimensions = [("account", account)]
        Gauge(label: "omsync_run_checkpoint", dimensions: dimensions).record(run.checkpoint)
        Gauge(label: "omsync_run_records", dimensions: dimensions).record(run.total)
        for (outcome, count) in run.counts {
            Gauge(label: "omsync_run_orders", dimensions: [("account", account), ("outcome", outcome)]).record(count)
        }
        guard run.state != .running else { return }
        Gauge(label: "omsync_last_run_finished", dimensions: dimensions).record(run.state == .finished ? 1 : 0)
        Gauge(label: "omsync_last_run_end_timestamp_seconds", dimensions: dimensions).record(Date().timeIntervalSince1970)
        Gauge(label: "omsync_last_run_duration_seconds", dimensions: dimensions).record(Date().timeIntervalSince(run.startedAt))
    }

    // MARK: Forwarded

    func acquireImportLock(_ holder: LockHolder, staleAfter: TimeInterval) async throws -> LockAcquisition {
        do {
            let acquisition = try await base.acquireImportLock(holder, staleAfter: staleAfter)
            var metadata: Logger.Metadata = ["account": .string(account), "holder": .string(holder.description)]
            if let old = acquisition.takenOver { metadata["taken_over_from"] = .string(old.description) }
            logger.info("import lock taken", metadata: metadata)
            return acquisition
        } catch {
            logger.error("import lock refused: \(error)", metadata: ["account": .string(account)])
            throw error
        }
    }
    func heartbeat(_ holder: LockHolder) async throws { try await base.heartbeat(holder) }
    func releaseImportLock(_ holder: LockHolder) async throws { try await base.releaseImportLock(holder) }
    func importLockHolder() async throws -> LockHolder? { try await base.importLockHolder() }
    func order(sourceID: String) async throws -> OrderRecord? { try await base.order(sourceID: sourceID) }
    func order(sourceNumber: String) async throws -> OrderRecord? { try await base.order(sourceNumber: sourceNumber) }
    func saveOrder(_ record: OrderRecord) async throws { try await base.saveOrder(record) }
    func orders(_ filter: OrderFilter) async throws -> [OrderRecord] { try await base.orders(filter) }
    func payload(sourceID: String, hash: String) async throws -> PushedPayload? { try await base.payload(sourceID: sourceID, hash: hash) }
    func savePayload(_ payload: PushedPayload) async throws { try await base.savePayload(payload) }
    func payloads() async throws -> [PushedPayload] { try await base.payloads() }
    func customerMapping(customerID: String) async throws -> CustomerMapping? { try await base.customerMapping(customerID: customerID) }
    func saveCustomerMapping(_ mapping: CustomerMapping) async throws { try await base.saveCustomerMapping(mapping) }
    func forgetCustomerMapping(customerID: String) async throws -> Bool { try await base.forgetCustomerMapping(customerID: customerID) }
    func customerMappings() async throws -> [CustomerMapping] { try await base.customerMappings() }
    func saveCreatedProduct(_ product: CreatedProduct) async throws { try await base.saveCreatedProduct(product) }
    func createdProducts() async throws -> [CreatedProduct] { try await base.createdProducts() }
    func referenceData(kind: String) async throws -> CachedReference? { try await base.referenceData(kind: kind) }
    func saveReferenceData(_ reference: CachedReference) async throws { try await base.saveReferenceData(reference) }
    func saveWatchStatus(_ status: WatchStatus) async throws { try await base.saveWatchStatus(status) }
    func watchStatuses() async throws -> [WatchStatus] { try await base.watchStatuses() }
    func beginRun(_ run: ImportRun) async throws -> ImportRun {
        let started = try await base.beginRun(run)
        logger.info("run started", metadata: ["account": .string(account), "run": .stringConvertible(started.id), "records": .stringConvertible(run.total)])
        return started
    }
    func saveRun(_ run: ImportRun) async throws {
        try await base.saveRun(run)
        observe(run)
    }
    func run(id: Int64) async throws -> ImportRun? { try await base.run(id: id) }
    func unfinishedRun(batchHash: String) async throws -> ImportRun? { try await base.unfinishedRun(batchHash: batchHash) }
    func runs(limit: Int) async throws -> [ImportRun] { try await base.runs(limit: limit) }
    func addCalls(month: String, counts: [String: Int]) async throws { try await base.addCalls(month: month, counts: counts) }
    func calls(month: String) async throws -> [String: Int] { try await base.calls(month: month) }
    @discardableResult
    func appendLog(_ entry: LogEntry) async throws -> LogEntry {
        let saved = try await base.appendLog(entry)
        observe(saved)
        return saved
    }
    func logs(_ filter: LogFilter) async throws -> [LogEntry] { try await base.logs(filter) }
    func referenceKinds() async throws -> [String] { try await base.referenceKinds() }
    func callMonths() async throws -> [String] { try await base.callMonths() }
    func importRows(_ rows: [LedgerRow]) async throws { try await base.importRows(rows) }
    func commit(_ changes: [LedgerChange]) async throws {
        try await base.commit(changes)
        changes.forEach(observe)
    }
    func close() async { await base.close() }
}
