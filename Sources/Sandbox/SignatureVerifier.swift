import Foundation
import UnleashedContract

/// Unleashed request signing (computed by the contract's `RequestSigner`): Base64 of HMAC-SHA256 over the query string, keyed with the API key.
///
/// The query is signed without its `?`; no query means the empty string. Clients disagree on
/// whether they sign the query as sent or percent-decoded, so `verify` accepts either form
/// (and the form where `+` also stands for a space).
public struct SignatureVerifier: Sendable {
    private let key: APIKey

    /// Makes a verifier for one account's API key.
    public init(apiKey: String) {
        self.key = APIKey(apiKey)
    }

    /// The signature Unleashed expects for `query` (no leading `?`).
    public func signature(for query: String) -> String {
        RequestSigner.signature(query: query, key: key)
    }

    /// True when `signature` signs the raw query or one of its decoded forms.
    public func verify(signature: String, rawQuery: String) -> Bool {
        Self.candidateForms(of: rawQuery).contains { RequestSigner.isValid(signature: signature, query: $0, key: key) }
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
