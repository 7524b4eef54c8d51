import Foundation
import Logging

/// How `omsync serve` runs: where it listens, what it edits and previews, and its guards.
public struct ServeConfiguration: Sendable {
    /// Interface to bind; loopback by default (the page writes files).
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one.
    public var port = 0
    /// The rules folder the page edits.
    public var rules = "rules"
    /// `--settings` files and `--set` overrides, applied after the folder's own settings file.
    public var settingsFiles: [String] = []
    public var overrides: [String] = []
    /// Sample batches (default `samples/orders-envelope.json`).
    public var batches: [String] = ["samples/orders-envelope.json"]
    /// The account's ledger, used when it exists (log, customer mapping, diff, ledger facts).
    public var ledger: ServeLedger?
    /// The per-run token every API request carries (`X-OMSync-Token`); random unless given (tests).
    public var token: String
    /// The largest request body accepted (a dropped batch is the largest); larger is 413.
    public var maxBodyBytes = 8 << 20
    public var logger = Logger(label: "omsync.serve")

    /// A configuration with a fresh random token.
    public init(token: String = ServeConfiguration.randomToken()) {
        self.token = token
    }

    /// 32 random bytes as hex, from the system's generator.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
