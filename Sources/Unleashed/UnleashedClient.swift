import AsyncHTTPClient
import Batch
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The Unleashed API over HTTPS (plain HTTP only to loopback, for the sandbox): signed calls,
/// every page of a list, retries with back-off for what may pass, never for a refusal, and a
/// meter of every call sent. The API key appears in no error, log line or description.
public final class UnleashedClient: Sendable {
    let configuration: UnleashedConfiguration
    let http: HTTPClient
    let base: String
    let limiter: RateLimiter?
    let logger: Logger
    /// Every call sent, by endpoint.
    public let calls = CallMeter()

    /// A client; refuses plain `http://` to anything but loopback, a malformed URL or client-type.
    public init(configuration: UnleashedConfiguration, logger: Logger = Logger(label: "omsync.unleashed")) throws(UnleashedError) {
        guard let url = URL(string: configuration.credentials.baseURL), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw .invalidConfiguration("'\(configuration.credentials.baseURL)' is not a URL; give e.g. https://api.unleashedsoftware.com")
        }
        if scheme == "http" {
            guard Self.isLoopback(host) else {
                throw .invalidConfiguration("'\(configuration.credentials.baseURL)': plain http is allowed only to this machine (the sandbox); use https://")
            }
        } else if scheme != "https" {
            throw .invalidConfiguration("'\(configuration.credentials.baseURL)': the URL must start with https://")
        }
        guard Self.isClientType(configuration.clientType) else {
            throw .invalidConfiguration("client-type '\(configuration.clientType)' must look like partner/app (lower case), e.g. ordermentum/omsync")
        }
        self.configuration = configuration
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(connect: .nanoseconds(configuration.connectTimeout.nanoseconds),
                                 read: .nanoseconds(configuration.requestTimeout.nanoseconds))
        // Certificates are always verified (AsyncHTTPClient's default): there is no switch.
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        base = configuration.credentials.baseURL.hasSuffix("/") ? String(configuration.credentials.baseURL.dropLast()) : configuration.credentials.baseURL
        limiter = configuration.callsPerSecond.map { RateLimiter(rate: $0) }
        self.logger = logger
    }

    /// Closes the connections.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// 127.0.0.0/8, ::1 and localhost.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// `partner/app`: lower-case letters, digits, `-`, `_` or `.` each side of one `/`.
    static func isClientType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(allowed.contains) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var seconds: Double { Double(nanoseconds) / 1e9 }
}
