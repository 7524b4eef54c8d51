/// A pre-encoded object key (or string constant) for fast lookups: holds the key's UTF-8 bytes
/// so `JSONRecord.member` and `stringEquals` compare bytes instead of creating `String`s.
public struct JSONKey: Sendable, Hashable, CustomStringConvertible {
    /// The key's UTF-8 bytes (unescaped).
    public let bytes: [UInt8]
    /// The key as text.
    public let text: String

    /// A key for `text`.
    public init(_ key: String) {
        self.text = key
        self.bytes = Array(key.utf8)
    }

    /// The key text.
    public var description: String { text }
}
