import Foundation

/// How long to wait between retries, and how often to retry.
public struct RetryPolicy: Sendable {
    /// Attempts in all (the first one included).
    public var maxAttempts = 6
    /// The first back-off; each retry doubles it (full jitter: a random part of it is waited).
    public var baseDelay: Duration = .milliseconds(250)
    public var maxDelay: Duration = .seconds(30)
    /// A 429 asking to wait longer than this is taken as the quota being spent, not retried.
    public var maxRetryAfter: Duration = .seconds(120)

    /// The defaults.
    public init() {}
}

/// Our own monthly call budget (`--quota`): the calls used this month before this client
/// started (from the ledger), and the limit.
public struct CallQuota: Sendable {
    public var limit: Int
    public var usedBefore: Int

    /// A budget from its parts.
    public init(limit: Int, usedBefore: Int) {
        self.limit = limit
        self.usedBefore = usedBefore
    }
}

/// Everything a client needs: the account, the headers, the timeouts, the retries, the limits.
public struct UnleashedConfiguration: Sendable {
    public var credentials: UnleashedCredentials
    /// The `client-type` header, `partner/app` in lower case.
    public var clientType = "ordermentum/omsync"
    public var requestTimeout: Duration = .seconds(30)
    public var connectTimeout: Duration = .seconds(10)
    public var retry = RetryPolicy()
    /// At most this many calls per second over all tasks (`--rate`), nil: no limit.
    public var callsPerSecond: Double?
    public var quota: CallQuota?
    /// Waits between retries (tests pass one that does not wait).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    public var now: @Sendable () -> Date = { Date() }

    /// A configuration for these credentials, with the defaults.
    public init(credentials: UnleashedCredentials) {
        self.credentials = credentials
    }
}
