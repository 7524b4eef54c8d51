import Crypto
import Foundation

/// Unleashed request signing: Base64 of HMAC-SHA256 over the query string, keyed with the API key.
///
/// The query is signed without its `?`; no query means the empty string. Clients disagree on
/// whether they sign the query as sent or percent-decoded, so `verify` accepts either form
/// (and the form where `+` also stands for a space).
public struct SignatureVerifier: Sendable {
    private let key: SymmetricKey

    /// Makes a verifier for one account's API key.
    public init(apiKey: String) {
        self.key = SymmetricKey(data: Array(apiKey.utf8))
    }

    /// The signature Unleashed expects for `query` (no leading `?`).
    public func signature(for query: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(query.utf8), using: key)
        return Data(code).base64EncodedString()
    }

    /// True when `signature` signs the raw query or one of its decoded forms.
    public func verify(signature: String, rawQuery: String) -> Bool {
        guard let given = Data(base64Encoded: signature) else { return false }
        for form in Self.candidateForms(of: rawQuery) {
            if HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(form.utf8), using: key) {
                return true
            }
        }
        return false
    }

    /// The forms of a query a client may have signed: as sent, percent-decoded, and decoded with `+` as space.
    static func candidateForms(of rawQuery: String) -> [String] {
        var forms = [rawQuery]
        if let decoded = QueryString.percentDecode(rawQuery, plusAsSpace: false), decoded != rawQuery {
            forms.append(decoded)
        }
        if rawQuery.contains("+"), let spaced = QueryString.percentDecode(rawQuery, plusAsSpace: true),
           !forms.contains(spaced) {
            forms.append(spaced)
        }
        return forms
    }
}
