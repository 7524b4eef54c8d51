import Batch
import UnleashedContract

/// Counts API calls: per endpoint (every call, refused or not) and against the monthly quota.
///
/// The quota counts the authenticated calls of the current UTC month; a call refused for the
/// quota is not counted again. The month rolls over at 00:00 UTC on the 1st, as Unleashed's does.
struct CallMeter: Sendable {
    /// Calls per route template (e.g. `POST /SalesOrders/{guid}`), including refused ones; every
    /// call that matches no endpoint is counted under `APIRoute.unknownEndpoint`, so the table is bounded.
    private(set) var byEndpoint: [String: Int] = [:]
    /// Every API call seen.
    private(set) var total = 0
    /// Calls counted against the quota this month.
    private(set) var quotaUsed = 0
    /// The month `quotaUsed` belongs to (`2026-11`).
    private(set) var month = ""

    init() {}

    /// Counts one call to an endpoint.
    mutating func record(endpoint: String) {
        total += 1
        byEndpoint[endpoint, default: 0] += 1
    }

    /// Charges one call to the quota; returns the refusal when the quota is spent.
    mutating func charge(quota: Int?, nowMs: Int64) -> APIError? {
        let (key, nextMonth) = DotNetDate.monthKey(milliseconds: nowMs)
        if key != month {
            month = key
            quotaUsed = 0
        }
        if let quota, quotaUsed >= quota {
            let seconds = Int((nextMonth - nowMs + 999) / 1000)
            let reset = DotNetDate.iso(milliseconds: nextMonth)
            return APIError(
                .tooManyRequests,
                "API quota exceeded: \(quotaUsed) of \(quota) calls used this month; every call is refused until the quota resets at \(reset).",
                retryAfterSeconds: seconds)
        }
        quotaUsed += 1
        return nil
    }

    /// `{"total":N,"quotaUsed":N,"month":"2026-11","byEndpoint":{…}}`.
    func document() -> JSONValue {
        var endpoints = JSONObject()
        for key in byEndpoint.keys.sorted() { endpoints[key] = .number(JSONNumber(byEndpoint[key] ?? 0)) }
        return .object(JSONObject([
            ("total", .number(JSONNumber(total))), ("quotaUsed", .number(JSONNumber(quotaUsed))),
            ("month", .string(month)), ("byEndpoint", .object(endpoints)),
        ]))
    }

    /// Reads `document()` back.
    init(document: JSONValue) {
        total = document["total"]?.numberValue?.int ?? 0
        quotaUsed = document["quotaUsed"]?.numberValue?.int ?? 0
        month = document["month"]?.stringValue ?? ""
        // Keys are folded as they are counted now, so a state file from before (raw unknown paths
        // as keys) cannot bring back an unbounded table.
        for (key, value) in document["byEndpoint"]?.objectValue ?? JSONObject() {
            byEndpoint[APIRoute.endpointName(storedKey: key), default: 0] += value.numberValue?.int ?? 0
        }
    }
}
