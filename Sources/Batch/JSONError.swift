/// A parse error: what, and where.
///
/// `offset` is the byte offset from the start of the document (or file, for the batch reader);
/// `line` and `column` are 1-based, the column counted in UTF-8 bytes.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "trailing comma before ']'".
    public var message: String
    /// Byte offset of the offending byte.
    public var offset: Int
    /// 1-based line of the offending byte.
    public var line: Int
    /// 1-based column (UTF-8 bytes) of the offending byte.
    public var column: Int

    /// An error at an explicit position.
    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// "line 3, column 14 (byte 52): trailing comma before ']'".
    public var description: String {
        "line \(line), column \(column) (byte \(offset)): \(message)"
    }

    /// An error at `offset` in `bytes`, with line and column computed by counting newlines.
    static func at(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, _ message: String) -> JSONError {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var i = 0
        while i < end {
            if bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return JSONError(message: message, offset: end, line: line, column: end - lineStart + 1)
    }
}

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
