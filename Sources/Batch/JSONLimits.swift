/// Limits that protect the process; each one hit is a clear `JSONError`.
public struct JSONLimits: Sendable {
    /// Deepest nesting of arrays and objects (the root container is depth 1).
    public var maxDepth = 128
    /// Longest string, in bytes of its source text between the quotes.
    public var maxStringBytes = 1 << 20
    /// Longest number, in characters.
    public var maxNumberLength = 256
    /// Largest record (one order or customer, or one whole `JSONValue.parse` document), in bytes.
    public var maxRecordBytes = 64 << 20

    /// The defaults: depth 128, strings 1 MiB, numbers 256 characters, records 64 MiB.
    public static let `default` = JSONLimits()

    /// Limits with the defaults.
    public init() {}

    /// Limits with explicit values.
    public init(maxDepth: Int, maxStringBytes: Int, maxNumberLength: Int, maxRecordBytes: Int) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxNumberLength = maxNumberLength
        self.maxRecordBytes = maxRecordBytes
    }
}
