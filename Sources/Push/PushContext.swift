import Batch
import Facts
import Foundation
import Ledger
import Pipeline
import Rules
import Unleashed

/// Everything one run shares between the orders it pushes.
struct PushContext: Sendable {
    let pipeline: CompiledPipeline
    let client: UnleashedClient
    let ledger: any Ledger
    let index: ReferenceIndex
    let facts: FactFinder
    let runID: Int64
    let now: @Sendable () -> Date
    /// For a resumed run: when this process started (rows this run touched before it were
    /// counted by the process that was stopped).
    let resumedAt: Date?
    let customers = RecordCreator()
    let products = RecordCreator()

    /// Whether `row` was handled (and counted) by an earlier process of this same run.
    func handledEarlier(_ row: OrderRecord?) -> Bool {
        guard let row, let resumedAt, row.runID == runID else { return false }
        return row.updatedAt < resumedAt
    }

    /// A log row of this run.
    func log(_ order: OrderLabel?, action: LogAction, outcome: LogOutcome, status: Int? = nil, message: String? = nil,
             guid: String? = nil) -> LogEntry {
        LogEntry(time: now(), runID: runID, sourceID: order?.id, orderNumber: order?.number, action: action,
                 outcome: outcome, httpStatus: status, message: message, guid: guid)
    }
}

/// The order a row or message is about.
struct OrderLabel: Sendable, Hashable, CustomStringConvertible {
    var id: String?
    var number: String?
    var index: Int

    var description: String {
        if let number { return "order \(number)" }
        if let id { return "order id \(id)" }
        return "order #\(index + 1)"
    }
}

/// What stops the whole run (not one order).
struct RunStop: Error, Sendable {
    var reason: StopReason
}

extension UnleashedError {
    /// The run-level stop this error means, nil when it concerns one order only.
    var runStop: StopReason? {
        switch self {
        case .authentication(_, let description):
            return .authentication(message: description ?? "403 Forbidden")
        case .quotaExceeded(let description, let resetsAt):
            return .quota(message: description, resetsAt: resetsAt)
        case .budgetExhausted(let used, let limit, let resetsAt):
            return .budget(used: used, limit: limit, resetsAt: resetsAt)
        case .invalidConfiguration(let message):
            return .authentication(message: message)
        case .refused, .unavailable, .badResponse:
            return nil
        }
    }

    /// Unleashed's `Description` (or our reason) without the endpoint.
    var reason: String {
        switch self {
        case .refused(_, let status, let description, let body):
            return description ?? "HTTP \(status): \(body.prefix(300))"
        case .unavailable(_, let reason, _): return reason
        case .badResponse(_, let reason): return reason
        default: return description
        }
    }
}

extension LogAction {
    /// The log action of a planned action (the same name).
    init(_ action: Action) {
        switch action {
        case .create: self = .create
        case .replace: self = .replace
        case .supersede: self = .supersede
        case .skip: self = .skip
        case .block: self = .block
        case .invalid: self = .invalid
        }
    }
}
