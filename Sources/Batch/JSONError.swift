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
