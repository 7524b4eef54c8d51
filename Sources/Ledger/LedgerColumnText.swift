import Foundation

/// How both ledger backends store lists and counts in a text column: JSON with sorted keys. One
/// owner, because `omsync ledger export|import` moves rows between SQLite and PostgreSQL
/// unchanged only while both write the same text.
public enum LedgerColumnText {
    /// `value` as sorted-key JSON text (`"null"` if it cannot be encoded).
    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The value stored as `text`, nil when there is none or it does not decode.
    public static func decode<T: Decodable>(_ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
