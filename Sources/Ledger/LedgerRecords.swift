import Foundation

/// Where one Ordermentum order stands with Unleashed.
public enum OrderSyncState: String, Sendable, Hashable, Codable, CaseIterable {
    /// A create was sent (or is about to be) with `pendingGuid`; its outcome is not known yet.
    /// On resume the push stage asks Unleashed for `pendingGuid` before anything else.
    case creating
    /// The original (`guid`) is being taken out of the way (replace or supersede); the
    /// supersede update's outcome is not known yet.
    case superseding
    /// In Unleashed as `guid`, with the payload whose hash is `payloadHash`.
    case pushed
    /// Taken out of the way (cancelled or deleted in Ordermentum); `guid` is the removed order.
    case superseded
    /// Changed in Unleashed by someone: omsync no longer touches it.
    case blocked
    /// The last attempt failed (invalid order, or Unleashed refused it); `lastError` says why.
    case rejected
    /// Nothing to do (cancelled before it was ever pushed).
    case skipped
}

/// The ledger row of one Ordermentum order.
public struct OrderRecord: Sendable, Hashable, Codable {
    /// The Ordermentum order `id` (the key).
    public var sourceID: String
    /// The Ordermentum order number (`orderNumber`), when known.
    public var sourceNumber: String?
    public var state: OrderSyncState
    /// The live Unleashed sales order of this order (nil when none is live).
    public var guid: String?
    /// Unleashed's `OrderNumber` of `guid`.
    public var unleashedOrderNumber: String?
    /// Hash (hex SHA-256) of the payload last pushed to `guid`.
    public var payloadHash: String?
    /// `OrderStatus` that Unleashed reported after our last write to `guid`.
    public var unleashedStatus: String?
    /// `LastModifiedOn` (ms since the epoch) that Unleashed reported after our last write.
    public var unleashedModifiedOn: Int64?
    /// The GUID chosen for a create whose outcome is not known yet (state `creating`).
    public var pendingGuid: String?
    /// Hash of the payload being created as `pendingGuid`.
    public var pendingHash: String?
    /// State `superseding`: the changes being applied to `guid`, as a JSON object
    /// `{"dotted.path": value}` (UTF-8), so a resumed run can tell whether they landed.
    public var pendingChanges: Data?
    /// GUIDs of earlier Unleashed orders of this order that were taken out of the way, oldest first.
    public var supersededGuids: [String]
    /// Write attempts since the last success.
    public var attempts: Int
    /// The last action planned (`create`, `replace`, …).
    public var lastAction: String?
    /// The last error (what and why), nil after a success.
    public var lastError: String?
    /// The run that last touched this row.
    public var runID: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    /// The order's version (the rules' `order_version`, e.g. Ordermentum's `updatedAt`, in ms since
    /// the epoch) of the copy whose content Unleashed holds (created, replaced, taken out of the
    /// way, or found unchanged); an older copy is `stale` and never wins. Nil: not known.
    public var pushedVersion: Int64?
    /// The newest version of the order seen by any run (whatever became of it).
    public var seenVersion: Int64?

    /// A row from its parts; the optional parts default to empty.
    public init(sourceID: String, sourceNumber: String? = nil, state: OrderSyncState, guid: String? = nil,
                unleashedOrderNumber: String? = nil, payloadHash: String? = nil, unleashedStatus: String? = nil,
                unleashedModifiedOn: Int64? = nil, pendingGuid: String? = nil, pendingHash: String? = nil,
                pendingChanges: Data? = nil, supersededGuids: [String] = [], attempts: Int = 0, lastAction: String? = nil,
                lastError: String? = nil, runID: Int64? = nil, createdAt: Date, updatedAt: Date,
                pushedVersion: Int64? = nil, seenVersion: Int64? = nil) {
        self.sourceID = sourceID
        self.sourceNumber = sourceNumber
        self.state = state
        self.guid = guid
        self.unleashedOrderNumber = unleashedOrderNumber
        self.payloadHash = payloadHash
        self.unleashedStatus = unleashedStatus
        self.unleashedModifiedOn = unleashedModifiedOn
        self.pendingGuid = pendingGuid
        self.pendingHash = pendingHash
        self.pendingChanges = pendingChanges
        self.supersededGuids = supersededGuids
        self.attempts = attempts
        self.lastAction = lastAction
        self.lastError = lastError
        self.runID = runID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.pushedVersion = pushedVersion
        self.seenVersion = seenVersion
    }
}

/// Which order rows to list.
public struct OrderFilter: Sendable, Hashable {
    /// Only these states (nil: every state).
    public var states: Set<OrderSyncState>?
    /// Only rows whose last attempt failed (`lastError` not nil).
    public var failedOnly: Bool
    /// At most this many rows (nil: all).
    public var limit: Int?

    /// A filter from its parts; the default lists every row.
    public init(states: Set<OrderSyncState>? = nil, failedOnly: Bool = false, limit: Int? = nil) {
        self.states = states
        self.failedOnly = failedOnly
        self.limit = limit
    }
}

/// Where a customer mapping came from.
public enum MappingOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// Resolved from the `unleashed_customer_code` property and found in Unleashed.
    case property
    /// omsync created the customer in Unleashed.
    case created
    /// Set by hand (`omsync customers set`): wins over the customer's property.
    case manual
}

/// Ordermentum customer → Unleashed customer.
public struct CustomerMapping: Sendable, Hashable, Codable {
    /// The Ordermentum customer (`purchaser.id` / `purchaserId`).
    public var customerID: String
    /// The customer's name in Ordermentum, for people reading the mapping.
    public var customerName: String?
    public var customerCode: String
    /// The Unleashed customer's GUID, when known.
    public var unleashedGuid: String?
    public var origin: MappingOrigin
    public var updatedAt: Date

    /// A mapping from its parts.
    public init(customerID: String, customerName: String? = nil, customerCode: String, unleashedGuid: String?,
                origin: MappingOrigin, updatedAt: Date) {
        self.customerID = customerID
        self.customerName = customerName
        self.customerCode = customerCode
        self.unleashedGuid = unleashedGuid
        self.origin = origin
        self.updatedAt = updatedAt
    }
}

/// A product omsync created in Unleashed (the freight product).
public struct CreatedProduct: Sendable, Hashable, Codable {
    public var productCode: String
    public var guid: String
    public var runID: Int64?
    public var createdAt: Date

    /// A record from its parts.
    public init(productCode: String, guid: String, runID: Int64?, createdAt: Date) {
        self.productCode = productCode
        self.guid = guid
        self.runID = runID
        self.createdAt = createdAt
    }
}

/// A sales order payload as omsync sent it to Unleashed, kept so that a later preview (the
/// diff of `omsync serve`) can say field by field what an edit would change.
///
/// Kept per order and payload hash: the payload of a create is kept before the POST (so a run
/// that settles an unknown outcome later still has it), and once Unleashed confirms one, the
/// order's other payloads are dropped (`LedgerChange.prunePayloads`). An order's row says which
/// hash is live (`OrderRecord.payloadHash`).
public struct PushedPayload: Sendable, Hashable, Codable {
    /// The Ordermentum order `id`.
    public var sourceID: String
    /// The payload's hash as the ledger row records it (`OrderRecord.payloadHash`, `pendingHash`).
    public var hash: String
    /// The payload's JSON text, exactly as sent.
    public var json: String
    public var recordedAt: Date

    /// A kept payload from its parts.
    public init(sourceID: String, hash: String, json: String, recordedAt: Date) {
        self.sourceID = sourceID
        self.hash = hash
        self.json = json
        self.recordedAt = recordedAt
    }
}

/// One cached reference list, as Unleashed returned its items (a JSON array, UTF-8).
public struct CachedReference: Sendable, Hashable, Codable {
    /// `Warehouses`, `Taxes`, `Currencies`, `Salespersons`, `SalesOrderGroups`, `DeliveryMethods`,
    /// `Customers`, `Products`.
    public var kind: String
    /// The items, as a JSON array.
    public var items: Data
    public var fetchedAt: Date

    /// A cached list from its parts.
    public init(kind: String, items: Data, fetchedAt: Date) {
        self.kind = kind
        self.items = items
        self.fetchedAt = fetchedAt
    }
}

/// Where an import run stands.
public enum RunState: String, Sendable, Hashable, Codable, CaseIterable {
    case running
    /// Stopped early (Ctrl-C, quota, a kill found at the next start): resumable.
    case interrupted
    /// Every record of the batch was handled.
    case finished
    /// The run itself failed (credentials refused, Unleashed unreachable): resumable.
    case failed
}

/// One `omsync import` run.
public struct ImportRun: Sendable, Hashable, Codable {
    /// Assigned by `beginRun` (0 before).
    public var id: Int64
    /// The batch files, as given.
    public var batchPaths: [String]
    /// Hex SHA-256 over the batch files' contents (in order): a resumed run must match it.
    public var batchHash: String
    public var state: RunState
    /// Records from the start of the batch that are all handled: a resume starts here.
    public var checkpoint: Int
    /// Records seen so far.
    public var total: Int
    /// Outcome counts: `created`, `replaced`, `superseded`, `skipped`, `blocked`, `rejected`, …
    public var counts: [String: Int]
    /// API calls this run made.
    public var calls: Int
    public var pid: Int32
    public var host: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// Why the run stopped early or failed.
    public var message: String?

    /// A run from its parts.
    public init(id: Int64 = 0, batchPaths: [String], batchHash: String, state: RunState = .running,
                checkpoint: Int = 0, total: Int = 0, counts: [String: Int] = [:], calls: Int = 0,
                pid: Int32, host: String, startedAt: Date, finishedAt: Date? = nil, message: String? = nil) {
        self.id = id
        self.batchPaths = batchPaths
        self.batchHash = batchHash
        self.state = state
        self.checkpoint = checkpoint
        self.total = total
        self.counts = counts
        self.calls = calls
        self.pid = pid
        self.host = host
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
    }
}

/// What a log row says was attempted; the raw values are what the ledger stores.
public enum LogAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// The order's planned actions (the rules' `Action`s, same names).
    case create, replace, supersede, skip, block, invalid
    /// omsync created the order's customer, or the freight product, in Unleashed.
    case createCustomer = "create-customer"
    case createProduct = "create-product"
    /// A batch record could not be read.
    case read
    /// A push that failed before its action was known (Unleashed unreachable, an unexpected error).
    case push
    /// The run itself (its end).
    case run
}

/// How a log row's attempt ended; the raw values are what the ledger stores.
public enum LogOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case ok, error, skipped, blocked, rejected, info
    /// The order went through, with warnings a person should read (its preview's warnings).
    case warning

    /// The outcomes `LogFilter.errorsOnly` keeps (`logs --errors`; logged at warning level): the
    /// one definition of what needs a person's eye (a failed attempt, or an order that went
    /// through with warnings), which both backends' SQL filters are built from.
    public static let failures: [LogOutcome] = [.error, .rejected, .blocked, .warning]

    /// Whether this outcome is one of `failures`.
    public var isFailure: Bool { Self.failures.contains(self) }
}

/// One row of the integration log: every attempt, success and error.
public struct LogEntry: Sendable, Hashable, Codable {
    /// Assigned by `appendLog` (0 before).
    public var id: Int64
    public var time: Date
    public var runID: Int64?
    /// The Ordermentum order id and number (nil for run-level rows).
    public var sourceID: String?
    public var orderNumber: String?
    /// What was attempted.
    public var action: LogAction
    /// How it ended.
    public var outcome: LogOutcome
    /// The HTTP status of the call that decided the outcome, if any.
    public var httpStatus: Int?
    /// Unleashed's `Description`, or omsync's own message.
    public var message: String?
    /// The Unleashed GUID concerned, if any.
    public var guid: String?

    /// A row from its parts.
    public init(id: Int64 = 0, time: Date, runID: Int64?, sourceID: String?, orderNumber: String?, action: LogAction,
                outcome: LogOutcome, httpStatus: Int? = nil, message: String? = nil, guid: String? = nil) {
        self.id = id
        self.time = time
        self.runID = runID
        self.sourceID = sourceID
        self.orderNumber = orderNumber
        self.action = action
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.message = message
        self.guid = guid
    }
}

/// Which log rows to read.
public struct LogFilter: Sendable, Hashable {
    /// Only rows of this Ordermentum order number.
    public var orderNumber: String?
    /// Only rows of this Ordermentum order id.
    public var sourceID: String?
    /// Only rows whose outcome is a failure (`LogOutcome.failures`).
    public var errorsOnly: Bool
    /// Only rows at or after this time.
    public var since: Date?
    /// Only rows of this run.
    public var runID: Int64?
    /// The newest `limit` rows (still returned oldest first); nil: all.
    public var limit: Int?

    /// A filter from its parts; the default reads every row.
    public init(orderNumber: String? = nil, sourceID: String? = nil, errorsOnly: Bool = false, since: Date? = nil,
                runID: Int64? = nil, limit: Int? = nil) {
        self.orderNumber = orderNumber
        self.sourceID = sourceID
        self.errorsOnly = errorsOnly
        self.since = since
        self.runID = runID
        self.limit = limit
    }
}

/// The heartbeat of an `omsync watch` on this account (one row per watched directory): what a
/// scheduler or monitor reads (`omsync accounts`).
public struct WatchStatus: Sendable, Hashable {
    /// The inbox directory, as given.
    public var directory: String
    public var pid: Int32
    public var host: String
    public var startedAt: Date
    /// When the last cycle ended (idle ones included).
    public var lastCycleAt: Date
    /// How it ended: ok, problems, failed-files, stopped, error, idle.
    public var lastOutcome: String
    public var filesInLastCycle: Int

    public init(directory: String, pid: Int32, host: String, startedAt: Date, lastCycleAt: Date, lastOutcome: String, filesInLastCycle: Int) {
        self.directory = directory
        self.pid = pid
        self.host = host
        self.startedAt = startedAt
        self.lastCycleAt = lastCycleAt
        self.lastOutcome = lastOutcome
        self.filesInLastCycle = filesInLastCycle
    }
}

/// Who holds (or wants) the import lock.
public struct LockHolder: Sendable, Hashable, Codable, CustomStringConvertible {
    public var pid: Int32
    public var host: String
    public var startedAt: Date
    /// The last heartbeat (set by the ledger).
    public var heartbeatAt: Date?
    /// The run it is doing, when known.
    public var runID: Int64?

    /// A holder from its parts.
    public init(pid: Int32, host: String, startedAt: Date, heartbeatAt: Date? = nil, runID: Int64? = nil) {
        self.pid = pid
        self.host = host
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.runID = runID
    }

    /// `pid 4242 on host-a, started 2026-12-02T10:00:00Z`.
    public var description: String {
        "pid \(pid) on \(host), started \(ISO8601DateFormatter().string(from: startedAt))"
    }
}

/// The result of taking the import lock.
public struct LockAcquisition: Sendable, Hashable {
    /// The stale holder whose lock was taken over, if any.
    public var takenOver: LockHolder?

    /// An acquisition from its parts.
    public init(takenOver: LockHolder?) {
        self.takenOver = takenOver
    }
}

/// What can go wrong with a ledger; every message says what, where and what to do.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another import holds the lock.
    case locked(by: LockHolder)
    /// Our lock was taken over by another holder.
    case lockLost(to: LockHolder?)
    /// The file was written by a newer omsync (its schema has migrations this binary lacks).
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file is not an omsync ledger, or is damaged.
    case damaged(path: String, reason: String)
    /// The file or its folder cannot be opened or created.
    case unavailable(path: String, reason: String)
    /// `importRows` into a ledger that already has rows.
    case notEmpty(path: String)
    /// The ledger's server refused or lost a request once the ledger was open (nothing of a
    /// refused change is kept).
    case failed(path: String, reason: String)
    /// The ledger's server gave no answer within `seconds` (a server or network gone silent).
    case noAnswer(path: String, seconds: Int)
    /// A stored value this binary does not know (an order state, a mapping origin, a log action
    /// or outcome): written by a newer omsync, or edited by hand. Never read as another value.
    case unknownValue(table: String, column: String, value: String)
    /// The ledger's file refused a write (a full disk, read-only media, an I/O error): nothing of
    /// that change was kept. `advice` says what to do about it.
    case cannotWrite(path: String, reason: String, advice: String)
    /// A SQLite ledger recorded for another account.
    case otherAccount(path: String, owner: String, asked: String)

    public var description: String {
        switch self {
        case .locked(let holder):
            return "another import is running on this ledger (\(holder)); wait for it to finish, or stop it"
        case .lockLost(let holder):
            return "the import lock was taken over by \(holder.map(\.description) ?? "another process"); this run stops"
        case .newerSchema(let path, let unknown):
            return "\(path): the ledger was written by a newer omsync (unknown migrations: \(unknown.joined(separator: ", "))); use that version, or a different --ledger"
        case .damaged(let path, let reason):
            return "\(path): not a usable omsync ledger (\(reason)); nothing was changed. Restore it from a backup, or use a different --ledger"
        case .unavailable(let path, let reason):
            return "\(path): the ledger cannot be opened (\(reason)); check the path and its permissions, or use a different --ledger"
        case .notEmpty(let path):
            return "\(path): the ledger (of this account) already has orders, runs or log rows; import into a new ledger or another --account, nothing was changed"
        case .failed(let path, let reason):
            return "\(path): the ledger's server refused or lost a request (\(reason)); nothing of that change was kept. Check the server, then run the command again (an import resumes from its checkpoint)"
        case .noAnswer(let path, let seconds):
            return "\(path): the ledger's server gave no answer within \(seconds) s; check the server and the network, then run the command again (an import resumes from its checkpoint)"
        case .unknownValue(let table, let column, let value):
            return "the ledger holds \(Self.meaning(table: table, column: column)) '\(value)' (\(table).\(column)), which this omsync does not know: it was written by a newer omsync (or edited by hand); use that version, or `omsync ledger export` it with that version"
        case .otherAccount(let path, let owner, let asked):
            return "\(path) is the ledger of account '\(owner)', not '\(asked)': each account has a ledger of its own, so their orders never mix. "
                + "Give --account \(owner) to use it, or another --ledger for '\(asked)'"
        case .cannotWrite(let path, let reason, let advice):
            return "\(path): the ledger cannot be written: \(reason); nothing of that change was kept, and the ledger as it stands is intact. "
                + "\(advice), then run the command again (an import resumes from its checkpoint and settles what was in flight)"
        }
    }

    /// What a column holds, in words (`order state`, `mapping origin`, …).
    static func meaning(table: String, column: String) -> String {
        switch (table, column) {
        case ("orders", "state"): return "order state"
        case ("customer_mappings", "origin"): return "mapping origin"
        case ("integration_log", "action"): return "log action"
        case ("integration_log", "outcome"): return "log outcome"
        case ("import_runs", "state"): return "run state"
        default: return "\(column) value"
        }
    }
}
