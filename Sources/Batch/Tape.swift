/// The tape: a record's values as a flat array of `UInt64` entries, in document order.
///
/// Layout of one entry: kind in bits 60–63, field `a` in bits 30–59, field `b` in bits 0–29.
/// - null / true / false: a = byte offset
/// - number: a = byte offset, b = length
/// - string / escaped string: a = offset of the first byte after the quote, b = raw length
/// - array / object open: a = offset of the bracket, b = tape index of the matching close
/// - array / object close: a = offset of the bracket, b = element or member count
/// Object members are a key (string entry) followed by the value's entries, so a value is
/// skipped by jumping to its close entry + 1.
@usableFromInline
enum Tape {
    @usableFromInline static let null: UInt64 = 0
    @usableFromInline static let trueValue: UInt64 = 1
    @usableFromInline static let falseValue: UInt64 = 2
    @usableFromInline static let number: UInt64 = 3
    @usableFromInline static let string: UInt64 = 4
    @usableFromInline static let escapedString: UInt64 = 5
    @usableFromInline static let arrayOpen: UInt64 = 6
    @usableFromInline static let objectOpen: UInt64 = 7
    @usableFromInline static let arrayClose: UInt64 = 8
    @usableFromInline static let objectClose: UInt64 = 9

    /// Largest offset, length or index a field can hold.
    @usableFromInline static let fieldMax = (1 << 30) - 1

    @inlinable @inline(__always)
    static func entry(_ kind: UInt64, _ a: Int, _ b: Int) -> UInt64 {
        kind << 60 | UInt64(truncatingIfNeeded: a) << 30 | UInt64(truncatingIfNeeded: b)
    }

    @inlinable @inline(__always)
    static func kind(_ entry: UInt64) -> UInt64 { entry >> 60 }

    @inlinable @inline(__always)
    static func a(_ entry: UInt64) -> Int { Int(truncatingIfNeeded: (entry >> 30) & 0x3FFF_FFFF) }

    @inlinable @inline(__always)
    static func b(_ entry: UInt64) -> Int { Int(truncatingIfNeeded: entry & 0x3FFF_FFFF) }
}
