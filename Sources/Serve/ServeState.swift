import Batch
import Foundation
import Ledger
import Push

/// What the server holds between requests: the sample orders (a dropped file replaces them) and
/// the ledger, when one exists. The only shared mutable state, hence an actor.
public actor ServeState {
    public private(set) var samples: SampleSet
    let ledgerPath: String?
    private var openedLedger: SQLiteLedger?

    /// The state with the samples read at start and the ledger path (opened on first use).
    public init(samples: SampleSet, ledgerPath: String?) {
        self.samples = samples
        self.ledgerPath = ledgerPath
    }

    /// Adds a dropped batch as the first sample (the page shows it first); keeps at most four.
    func add(_ sample: SampleSet.Sample) {
        samples.samples.insert(sample, at: 0)
        if samples.samples.count > 4 { samples.samples.removeLast() }
    }

    /// Whether a ledger exists at the path (it is never created by the page).
    nonisolated var hasLedger: Bool {
        ledgerPath.map { FileManager.default.fileExists(atPath: $0) } ?? false
    }

    /// The ledger, when it exists.
    func ledger() throws -> SQLiteLedger? {
        if let openedLedger { return openedLedger }
        guard let ledgerPath, hasLedger else { return nil }
        let ledger = try SQLiteLedger(path: ledgerPath)
        openedLedger = ledger
        return ledger
    }

    /// The payload last pushed for the order `sourceID` of the ledger row `row` (the one whose
    /// hash the row records), nil without a ledger, a push, or a kept payload.
    func pushedPayload(sourceID: String, row: OrderRecord?) async throws -> PushedPayload? {
        guard let hash = row?.payloadHash, row?.guid != nil, let ledger = try ledger() else { return nil }
        return try await ledger.payload(sourceID: sourceID, hash: hash)
    }

    /// The ledger's rows (for the `ledger` state and the diff), nil without a ledger.
    func snapshot() async throws -> LedgerSnapshot? {
        guard let ledger = try ledger() else { return nil }
        return try await LedgerSnapshot.load(from: ledger)
    }
}
