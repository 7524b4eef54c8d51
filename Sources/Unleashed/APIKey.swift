import Crypto
import Foundation

/// The Unleashed API key: a secret that never prints. Its description, debug description and
/// reflection all show `<redacted>`; only `RequestSigner` reads it.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    /// A key from its text.
    public init(_ secret: String) {
        self.secret = secret
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Unleashed's request signature: Base64 (standard, padded) of HMAC-SHA256 keyed with the API
/// key over the query string only (no `?`, no path; the empty string when there is none).
/// omsync signs the percent-decoded query, parameters in URL order, as most clients do.
public enum RequestSigner {
    /// The `api-auth-signature` for `query` (already decoded: `customerCode=ACME&pageSize=50`).
    public static func signature(query: String, key: APIKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(query.utf8), using: SymmetricKey(data: Data(key.secret.utf8)))
        return Data(code).base64EncodedString()
    }
}

/// The account, its key and where its API is.
public struct UnleashedCredentials: Sendable, CustomStringConvertible {
    /// Unleashed's own API.
    public static let defaultBaseURL = "https://api.unleashedsoftware.com"

    public var apiID: String
    public var apiKey: APIKey
    /// `https://api.unleashedsoftware.com`, or `http://127.0.0.1:PORT` for the sandbox.
    public var baseURL: String

    /// Credentials from their parts.
    public init(apiID: String, apiKey: APIKey, baseURL: String = UnleashedCredentials.defaultBaseURL) {
        self.apiID = apiID
        self.apiKey = apiKey
        self.baseURL = baseURL
    }

    public var description: String { "\(apiID) at \(baseURL) (key <redacted>)" }
}
