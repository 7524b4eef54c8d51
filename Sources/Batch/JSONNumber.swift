/// A JSON number kept as its exact source text.
///
/// Nothing goes through binary floating point: `text` is exactly what the input said
/// ("1e400", "-0", "28.7900"), `decimal` converts exactly when the value fits `ExactDecimal`.
/// Equality is by text ("1.0" and "1" differ); compare `decimal`s for numeric equality.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written.
    public let text: String

    /// Validates RFC 8259 number grammar; nil for anything else ("01", "1.", "+1", "NaN").
    public init?(text: String) {
        var copy = text
        let valid = copy.withUTF8 { JSONNumber.isValid(UnsafeRawBufferPointer($0)) }
        guard valid else { return nil }
        self.text = text
    }

    /// A number from already-validated text (the parser's path).
    @usableFromInline
    init(validated text: String) {
        self.text = text
    }

    /// A number whose text is the decimal's plain notation.
    public init(_ decimal: ExactDecimal) {
        self.text = decimal.description
    }

    /// An integer number.
    public init(_ int: Int) {
        self.text = String(int)
    }

    /// The exact value; nil when out of `ExactDecimal`'s range (e.g. 1e400).
    public var decimal: ExactDecimal? {
        ExactDecimal(text)
    }

    /// The value as `Int` when it is integral and in range ("12", "1.20e1", "-0").
    public var int: Int? {
        guard let value = decimal?.normalized, value.scale == 0 else { return nil }
        return Int(exactly: value.significand)
    }

    /// The source text.
    public var description: String { text }

    /// RFC 8259: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var i = 0
        if i < count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < count, isDigit(bytes[i]) else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < count, isDigit(bytes[i]) { i += 1 }
        }
        if i < count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < count, isDigit(bytes[i]) else { return false }
            while i < count, isDigit(bytes[i]) { i += 1 }
        }
        if i < count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < count, isDigit(bytes[i]) else { return false }
            while i < count, isDigit(bytes[i]) { i += 1 }
        }
        return i == count
    }
}
