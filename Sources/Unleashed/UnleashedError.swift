import Foundation

/// Why a call to Unleashed failed. Every case says which endpoint, what Unleashed answered and
/// what to do; none ever contains the API key or a signature.
public enum UnleashedError: Error, Sendable, CustomStringConvertible {
    /// 400/404/405/415 (never retried); `description` is Unleashed's `Description`, `body` the raw answer.
    case refused(endpoint: String, status: Int, description: String?, body: String)
    /// 403: the API ID, key or client type was refused.
    case authentication(endpoint: String, description: String?)
    /// Unleashed's monthly quota is spent; nothing succeeds before `resetsAt`.
    case quotaExceeded(description: String, resetsAt: Date?)
    /// Our own `--quota`: the call was not sent.
    case budgetExhausted(used: Int, limit: Int, resetsAt: Date)
    /// Retries or the call's deadline spent (5xx, 429, timeouts, resets, drops), or not sent as
    /// the run is stopping; `outcomeUnknown` when a write may have landed.
    case unavailable(endpoint: String, reason: String, outcomeUnknown: Bool)
    /// A 2xx answer that is not what the endpoint returns (not JSON, no `Guid`, another record's
    /// `Guid` or order number than the one sent or asked for, …): for a write, an unknown outcome.
    case badResponse(endpoint: String, reason: String)
    /// The configuration cannot work (a plain `http://` URL to a remote host, a malformed `client-type`,
    /// a certificate that does not verify, a server without TLS behind `https://`, a redirect, …).
    case invalidConfiguration(String)

    /// The HTTP status Unleashed answered, when there was one.
    public var httpStatus: Int? {
        switch self {
        case .refused(_, let status, _, _): return status
        case .authentication: return 403
        case .quotaExceeded: return 429
        case .budgetExhausted, .unavailable, .badResponse, .invalidConfiguration: return nil
        }
    }

    /// Unleashed's `Description`, when it gave one.
    public var unleashedDescription: String? {
        switch self {
        case .refused(_, _, let description, _), .authentication(_, let description): return description
        case .quotaExceeded(let description, _): return description
        default: return nil
        }
    }

    /// One sentence: what happened, at which endpoint, what to do.
    public var description: String {
        switch self {
        case .refused(let endpoint, let status, let description, let body):
            let said = description ?? (body.isEmpty ? "no description" : String(body.prefix(500)))
            return "\(endpoint): Unleashed refused the call (HTTP \(status)): \(said)"
        case .authentication(let endpoint, let description):
            return "\(endpoint): Unleashed refused the credentials (HTTP 403)\(description.map { ": \($0)" } ?? ""). "
                + "Check UNLEASHED_API_ID, UNLEASHED_API_KEY and the client type."
        case .quotaExceeded(let description, let resetsAt):
            let when = resetsAt.map { " It resets at \(Self.timestamp($0))." } ?? ""
            return "Unleashed's monthly API quota is spent: \(description)\(when) Run again after the reset."
        case .budgetExhausted(let used, let limit, let resetsAt):
            return "The call budget (--quota \(limit)) is spent: \(used) calls used this month. "
                + "Raise --quota or run again after \(Self.timestamp(resetsAt)); the import resumes where it stopped."
        case .unavailable(let endpoint, let reason, let outcomeUnknown):
            return "\(endpoint): Unleashed is unavailable (\(reason))"
                + (outcomeUnknown ? "; the last call may have been applied, ask Unleashed before repeating it." : ".")
        case .badResponse(let endpoint, let reason):
            return "\(endpoint): Unleashed's answer could not be read: \(reason)"
        case .invalidConfiguration(let reason):
            return "The Unleashed connection is misconfigured: \(reason)"
        }
    }

    static func timestamp(_ date: Date) -> String {
        DotNetDate.iso(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
