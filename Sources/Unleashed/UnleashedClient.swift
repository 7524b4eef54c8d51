import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The HTTP client of the Unleashed API (AsyncHTTPClient): signed calls, retries with backoff,
/// idempotent creates, call counting, pacing and our own budget. See `docs/unleashed-client.md`.
///
/// Plain `http://` is accepted only for loopback hosts; anything else is `https://` with the
/// certificate verified (AsyncHTTPClient's default TLS configuration; there is no switch to turn
/// it off). Redirects are never followed (they would carry the signed headers elsewhere): a
/// 3xx answer is `.invalidConfiguration`, naming its `Location`. Every call has a total
/// deadline (`UnleashedConfiguration.callDeadline`), every attempt one too (`requestTimeout`).
public final class UnleashedClient: Sendable {
    /// What it was made with.
    public let configuration: UnleashedConfiguration
    /// Every call sent, by endpoint template, retries included.
    public let calls = CallMeter()
    let address: ServerAddress
    let http: HTTPClient
    let bucket: TokenBucket?

    /// A client for `configuration`; refuses plain `http://` to a non-loopback host, a malformed
    /// `client-type`, an empty API ID or key, a rate that is not positive, fewer than one attempt.
    public init(configuration: UnleashedConfiguration) throws(UnleashedError) {
        address = try ServerAddress(configuration.credentials.baseURL)
        guard UnleashedConfiguration.isValidClientType(configuration.clientType) else {
            throw .invalidConfiguration(
                "client-type '\(configuration.clientType)' is not partner/app (lowercase letters, digits, '-', '_' or '.', one word each side of one '/'), e.g. ordermentum/omsync.")
        }
        guard !configuration.credentials.apiID.isEmpty else { throw .invalidConfiguration("the API ID is empty (set UNLEASHED_API_ID).") }
        guard !configuration.credentials.apiKey.isEmpty else { throw .invalidConfiguration("the API key is empty (set UNLEASHED_API_KEY).") }
        guard configuration.retry.maxAttempts >= 1 else { throw .invalidConfiguration("retry.maxAttempts must be at least 1.") }
        guard configuration.callDeadline > .zero, configuration.requestTimeout > .zero else {
            throw .invalidConfiguration("the call deadline (--call-timeout) and the request timeout must be positive.")
        }
        if let rate = configuration.callsPerSecond {
            guard rate.isFinite, rate > 0 else { throw .invalidConfiguration("the call rate must be a positive number of calls per second, got \(rate).") }
        }
        self.configuration = configuration
        bucket = configuration.callsPerSecond.map { TokenBucket(rate: $0, now: configuration.now, sleep: configuration.sleep) }
        let settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(configuration.connectTimeout), read: Self.timeAmount(configuration.requestTimeout)),
            decompression: .disabled)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    /// Closes the connections; call once, when done.
    public func shutdown() async {
        do { try await http.shutdown() } catch {
            configuration.logger.debug("unleashed client shutdown", metadata: ["error": "\(error)"])
        }
    }

    /// A `Duration` as NIO's `TimeAmount` (at least 1 ms).
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .milliseconds(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }

    /// A duration in seconds for messages: `60 s`, `1.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(seconds) s" : "\(seconds).\(tenths) s"
    }

    /// `modifiedSince` and other query dates: `YYYY-MM-DDTHH:MM:SS`, UTC (rounded down to the second).
    static func queryDate(_ date: Date) -> String {
        DotNetDate.requestDate(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
