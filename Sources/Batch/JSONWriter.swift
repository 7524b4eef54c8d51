/// Fast JSON / JSON Lines writer into one growing byte buffer.
///
/// Commas are written automatically: call `key` before each member value, then any value
/// method. Escaping: `"` `\` and control characters (`\n` `\t` … or `\u00XX`), and U+2028 /
/// U+2029 as `\u2028` / `\u2029` so output is also safe to embed in JavaScript; everything else
/// is written as raw UTF-8. Numbers are written from their exact text. Hand `bytes` (or the
/// writer) to an `OutputSink` to flush in large chunks.
public struct JSONWriter {
    /// The output so far.
    public var bytes: [UInt8]
    /// True when the next value or key needs a comma before it.
    @usableFromInline var needsComma = false

    /// An empty writer with 64 KiB reserved.
    public init() {
        self.init(capacity: 1 << 16)
    }

    /// An empty writer with `capacity` bytes reserved (0: none, for a writer that takes over
    /// another buffer).
    public init(capacity: Int) {
        bytes = []
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    @inlinable @inline(__always)
    mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Writes `{` (after a comma if needed).
    @inlinable
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`.
    @inlinable
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[` (after a comma if needed).
    @inlinable
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`.
    @inlinable
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes the comma if needed, then `"k":`; the next value call writes the member's value.
    public mutating func key(_ k: String) {
        separate()
        appendString(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a pre-encoded key: `"k":`.
    public mutating func key(_ k: JSONKey) {
        key(k.text)
    }

    /// Writes a string value, escaped.
    public mutating func string(_ s: String) {
        separate()
        appendString(s)
    }

    /// Writes a number from its exact text.
    public mutating func number(_ n: JSONNumber) {
        separate()
        bytes.append(contentsOf: n.text.utf8)
    }

    /// Writes a decimal in plain notation, keeping its scale ("28.7900").
    public mutating func decimal(_ d: ExactDecimal) {
        separate()
        d.appendPlainText(to: &bytes)
    }

    /// Writes an integer.
    public mutating func int(_ i: Int) {
        separate()
        ExactDecimal(i).appendPlainText(to: &bytes)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ b: Bool) {
        separate()
        bytes.append(contentsOf: b ? "true".utf8 : "false".utf8)
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes already-valid JSON as it is (e.g. `JSONRecord.rawJSON`, pre-rendered constants).
    @inlinable
    public mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// Ends a JSON Lines record: writes `\n`; the next value starts without a comma.
    public mutating func newline() {
        bytes.append(0x0A)
        needsComma = false
    }

    /// Empties the buffer, keeping its capacity (after the bytes were written out).
    public mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
    }
}
