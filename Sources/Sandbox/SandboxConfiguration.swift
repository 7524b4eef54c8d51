#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// How to run a sandbox: where to listen, which credentials to accept, what to load, which faults to inject.
public struct SandboxConfiguration: Sendable {
    /// Interface to bind; loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks a free one.
    public var port = 0
    /// The API ID and key clients must use.
    public var credentials: SandboxCredentials
    /// Seed text (YAML or JSON) and a name for it in messages; used when there is no state file yet.
    public var seed: (text: String, source: String) = (DefaultSeed.yaml, "built-in seed")
    /// Where state is kept across restarts; nil keeps it in memory only.
    public var statePath: String?
    /// Faults and quota at start.
    public var faults = FaultSettings()
    /// `LastModifiedBy` / `CreatedBy` of changes made through the API.
    public var apiUser = "api.user@sandbox.example"
    /// Milliseconds since the epoch; injectable so tests control `CreatedOn` / `LastModifiedOn` and the quota month.
    public var clock: @Sendable () -> Int64 = SandboxConfiguration.systemClock

    /// Where the sandbox reports what it cannot put in a response (a state file that cannot be written).
    public var logger = Logger(label: "omsync.sandbox")

    /// A configuration with everything else at its default.
    public init(credentials: SandboxCredentials) {
        self.credentials = credentials
    }

    /// The wall clock in milliseconds since the Unix epoch.
    public static let systemClock: @Sendable () -> Int64 = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
