import HTTPTypes
import Hummingbird

/// Unleashed's authentication: `api-auth-id`, `api-auth-signature` over the query, and `client-type`.
///
/// Every refusal is a 403 in Unleashed's shape: `(403) Forbidden.: Authentication denied - … Url: '/path'`.
/// A missing or malformed `client-type` is also a 403 (Unleashed requires the header since mid-2025;
/// the sandbox treats it as part of authentication).
struct Authenticator: Sendable {
    let credentials: SandboxCredentials
    let verifier: SignatureVerifier

    static let idHeader = HTTPField.Name("api-auth-id")
    static let signatureHeader = HTTPField.Name("api-auth-signature")
    static let clientTypeHeader = HTTPField.Name("client-type")

    init(credentials: SandboxCredentials) {
        self.credentials = credentials
        self.verifier = SignatureVerifier(apiKey: credentials.apiKey)
    }

    /// Whether the request names this account (its `api-auth-id`), signed well or not: such a
    /// call counts against the account's quota even when it is refused.
    func namesTheAccount(_ request: Request) -> Bool {
        Self.idHeader.flatMap { request.headers[$0] } == credentials.apiId
    }

    /// Nil when the request is authentic, else the 403 to send.
    func check(_ request: Request, path: String) -> APIError? {
        func denied(_ reason: String) -> APIError {
            APIError(.forbidden, "(403) Forbidden.: Authentication denied - \(reason) Url: '\(path)'")
        }
        let headers = request.headers
        guard let id = Self.idHeader.flatMap({ headers[$0] }), !id.isEmpty else {
            return denied("the api-auth-id header is missing.")
        }
        guard id == credentials.apiId else {
            return denied("unknown api-auth-id.")
        }
        guard let signature = Self.signatureHeader.flatMap({ headers[$0] }), !signature.isEmpty else {
            return denied("signature mismatch. The api-auth-signature header is missing.")
        }
        guard verifier.verify(signature: signature, rawQuery: request.uri.query ?? "") else {
            return denied(
                "signature mismatch. Sign the query string (without '?', empty when there is none) with HMAC-SHA256 keyed with the API key, in Base64.")
        }
        guard let clientType = Self.clientTypeHeader.flatMap({ headers[$0] }), !clientType.isEmpty else {
            return denied("the client-type header is missing (required: partner/app, e.g. ordermentum/omsync).")
        }
        guard Self.isValidClientType(clientType) else {
            return denied("client-type '\(clientType)' is not partner/app (lowercase, one word each side).")
        }
        return nil
    }

    /// `partner/app`: lowercase letters, digits, `-`, `_` or `.` on each side of exactly one `/`.
    static func isValidClientType(_ value: String) -> Bool {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { b in
                (97...122).contains(b) || (48...57).contains(b) || b == 45 || b == 95 || b == 46
            }
        }
    }
}
