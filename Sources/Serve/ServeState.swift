import Batch
import Foundation
import Ledger
import Facts

/// What the server holds between requests: the sample orders (a dropped file replaces them) and
/// the ledger, when one exists. The only shared mutable state, hence an actor.
public actor ServeState {
    public private(set) var samples: SampleSet
    let ledgerAccess: ServeLedger?
    private var openedLedger: (any Ledger)?

    /// The state with the samples read at start and the account's ledger (opened on first use).
    public init(samples: SampleSet, ledger: ServeLedger?) {
        self.samples = samples
        self.ledgerAccess = ledger
    }

    /// Adds a dropped batch as the first sample (the page shows it first); keeps at most four.
    func add(_ sample: SampleSet.Sample) {
        samples.samples.insert(sample, at: 0)
        if samples.samples.count > 4 { samples.samples.removeLast() }
    }

    /// Whether the account's ledger exists (it is never created by the page).
    nonisolated var hasLedger: Bool {
        ledgerAccess?.exists() ?? false
    }

    /// The ledger, when it exists.
    func ledger() async throws -> (any Ledger)? {
        if let openedLedger { return openedLedger }
        guard let ledgerAccess, hasLedger else { return nil }
        let ledger = try await ledgerAccess.open()
        openedLedger = ledger
        return ledger
    }

    /// Closes the ledger, if it was opened (when the server stops).
    public func close() async {
        if let openedLedger, let ledgerAccess { await ledgerAccess.close(openedLedger) }
        openedLedger = nil
    }

    /// The payload last pushed for the order `sourceID` of the ledger row `row` (the one whose
    /// hash the row records), nil without a ledger, a push, or a kept payload.
    func pushedPayload(sourceID: String, row: OrderRecord?) async throws -> PushedPayload? {
        guard let hash = row?.payloadHash, row?.guid != nil, let ledger = try await ledger() else { return nil }
        return try await ledger.payload(sourceID: sourceID, hash: hash)
    }

    /// The ledger's rows (for the `ledger` state and the diff), nil without a ledger.
    func snapshot() async throws -> LedgerSnapshot? {
        guard let ledger = try await ledger() else { return nil }
        return try await LedgerSnapshot.load(from: ledger)
    }
}

/// The account's ledger as serve reaches it: the command resolves the account (SQLite or
/// PostgreSQL, `--account`, `--ledger`) and hands this over; the page never creates a ledger.
public struct ServeLedger: Sendable {
    /// Where it is (a path or a URL), for messages.
    public let location: String
    let exists: @Sendable () -> Bool
    let open: @Sendable () async throws -> any Ledger
    let close: @Sendable (any Ledger) async -> Void

    public init(location: String, exists: @escaping @Sendable () -> Bool, open: @escaping @Sendable () async throws -> any Ledger,
                close: @escaping @Sendable (any Ledger) async -> Void) {
        self.location = location
        self.exists = exists
        self.open = open
        self.close = close
    }

    /// The SQLite ledger at `path`, used when the file exists.
    public static func sqlite(_ path: String) -> ServeLedger {
        ServeLedger(location: path, exists: { FileManager.default.fileExists(atPath: path) },
                    open: { try SQLiteLedger(path: path) }, close: { _ in })
    }
}
