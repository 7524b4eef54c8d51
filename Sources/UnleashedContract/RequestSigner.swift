import Crypto
import Foundation

/// Unleashed request signing: Base64 (standard, padded) of HMAC-SHA256 over the query string,
/// keyed with the API key.
///
/// The query is signed without its `?`, parameters in URL order; no query means the empty string;
/// the body is never signed. The client signs the **percent-decoded** query (`UNLEASHED.md`).
public enum RequestSigner {
    /// The `api-auth-signature` for `query` (no leading `?`).
    public static func signature(query: String, key: APIKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(query.utf8), using: SymmetricKey(data: key.bytes))
        return Data(code).base64EncodedString()
    }

    /// True when `signature` is the signature of `query` under `key` (constant-time comparison).
    public static func isValid(signature: String, query: String, key: APIKey) -> Bool {
        guard let given = Data(base64Encoded: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(query.utf8), using: SymmetricKey(data: key.bytes))
    }

    /// The form of `parameters` that is signed: `k=v&k2=v2`, decoded, in the order given.
    public static func signedQuery(_ parameters: [(name: String, value: String)]) -> String {
        parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }
}
