import Foundation

/// What a call to Unleashed can end in, other than success. The API key is in none of them.
public enum UnleashedError: Error, Sendable, CustomStringConvertible {
    /// 400/404/405/415 (and a 500 that says the body could not be parsed): never retried.
    /// `description` is Unleashed's `Description`; `body` the raw answer.
    case refused(endpoint: String, status: Int, description: String?, body: String)
    /// 403: the credentials (or signature, or client-type) were refused.
    case authentication(endpoint: String, description: String?)
    /// Unleashed's monthly quota is spent: every call is refused until it resets.
    case quotaExceeded(description: String, resetsAt: Date?)
    /// Our own budget (`--quota`) would be exceeded by this call; it was not sent.
    case budgetExhausted(used: Int, limit: Int, resetsAt: Date)
    /// No answer after every retry (5xx, 429, timeouts, resets, dropped connections).
    /// `outcomeUnknown`: a write may have landed.
    case unavailable(endpoint: String, reason: String, outcomeUnknown: Bool)
    /// An answer omsync cannot read.
    case badResponse(endpoint: String, reason: String)
    /// The configuration cannot be used (plain http to a non-loopback host, a bad URL or client-type).
    case invalidConfiguration(String)

    /// The HTTP status behind the error, when there was one.
    public var httpStatus: Int? {
        switch self {
        case .refused(_, let status, _, _): return status
        case .authentication: return 403
        case .quotaExceeded: return 429
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .refused(let endpoint, let status, let description, let body):
            return "\(endpoint): Unleashed refused the call (\(status)): \(description ?? String(body.prefix(300)))"
        case .authentication(let endpoint, let description):
            return "\(endpoint): Unleashed refused the credentials (403): \(description ?? "authentication denied")"
        case .quotaExceeded(let description, _):
            return "Unleashed's API quota is used up: \(description)"
        case .budgetExhausted(let used, let limit, let resetsAt):
            return "the call budget --quota \(limit) is spent (\(used) calls this month); it resets at \(ISO8601DateFormatter().string(from: resetsAt))"
        case .unavailable(let endpoint, let reason, _):
            return "\(endpoint): no answer from Unleashed after retrying (\(reason))"
        case .badResponse(let endpoint, let reason):
            return "\(endpoint): an answer omsync cannot read (\(reason))"
        case .invalidConfiguration(let message):
            return message
        }
    }
}
