import Foundation
import Logging

/// Everything an `UnleashedClient` needs: credentials, identity, timeouts, retries, pacing, budget,
/// and the clock and sleep it uses (injectable, so tests never wait).
public struct UnleashedConfiguration: Sendable {
    /// The account and the API's base URL.
    public var credentials: UnleashedCredentials
    /// The `client-type` header, `partner/app` (lowercase, one word each side).
    public var clientType: String
    /// Longest one attempt may take, from sending the request to the last byte of the answer
    /// (a total, not a gap between bytes: a server that trickles its answer is cut off at it).
    /// A timed-out attempt is an unknown outcome, retried while the call's deadline allows.
    public var requestTimeout: Duration
    /// Longest wait for a connection.
    public var connectTimeout: Duration
    /// Longest one call may take in all: every attempt, backoff and `Retry-After` wait included
    /// (`--call-timeout`). Past it the call ends: `.unavailable`, an unknown outcome for a write
    /// (the create's owner asks Unleashed for its GUID), a failure that passes for a read.
    /// No attempt outlives it.
    public var callDeadline: Duration
    /// Whether the caller is stopping (the first Ctrl-C or SIGTERM of an import): the client then
    /// starts no retry or backoff (the call ends `.unavailable`, an unknown outcome for a write),
    /// so each call still in flight ends within one attempt (`requestTimeout`).
    public var stopRequested: @Sendable () -> Bool = { false }
    /// Retries of failures that may pass.
    public var retry: RetryPolicy
    /// At most this many calls per second, shared by every concurrent caller; nil: no pacing.
    public var callsPerSecond: Double?
    /// Our own monthly budget (`--quota`); nil: none.
    public var quota: CallQuota?
    /// Sleeps for backoff, `Retry-After` and pacing.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The current time (quota reset dates, pacing).
    public var now: @Sendable () -> Date
    /// Debug lines for each call (method, endpoint, status, attempt); never the key or the signature.
    public var logger: Logger
    /// Told of each call as it is sent (its endpoint template, retries included): what the
    /// import's live call metric counts. Never given the request itself.
    public var onCall: @Sendable (String) -> Void = { _ in }

    /// A configuration with the defaults of `docs/architecture.md`.
    public init(credentials: UnleashedCredentials, clientType: String = "ordermentum/omsync",
                requestTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
                callDeadline: Duration = UnleashedConfiguration.defaultCallDeadline, retry: RetryPolicy = RetryPolicy(), callsPerSecond: Double? = nil, quota: CallQuota? = nil,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                now: @escaping @Sendable () -> Date = Date.init,
                logger: Logger = Logger(label: "omsync.unleashed")) {
        self.credentials = credentials
        self.clientType = clientType
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.callDeadline = callDeadline
        self.retry = retry
        self.callsPerSecond = callsPerSecond
        self.quota = quota
        self.sleep = sleep
        self.now = now
        self.logger = logger
    }

    /// The default `callDeadline`: 60 s (two silent 30 s attempts, or many quick retries).
    public static let defaultCallDeadline: Duration = .seconds(60)

    /// `partner/app`: lowercase letters, digits, `-`, `_` or `.` on each side of exactly one `/`
    /// (the form Unleashed, and the sandbox, require).
    public static func isValidClientType(_ value: String) -> Bool {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { b in
                (97...122).contains(b) || (48...57).contains(b) || b == 45 || b == 95 || b == 46
            }
        }
    }
}
