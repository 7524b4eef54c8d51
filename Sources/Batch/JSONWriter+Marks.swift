extension JSONWriter {
    /// A place in the output to go back to: the byte count and the comma bookkeeping there.
    public struct Mark: Sendable {
        @usableFromInline let count: Int
        @usableFromInline let needsComma: Bool

        @inlinable init(count: Int, needsComma: Bool) {
            self.count = count
            self.needsComma = needsComma
        }
    }

    /// The current place, for `rollback(to:)` (e.g. to take back an object that stayed empty).
    @inlinable
    public var mark: Mark { Mark(count: bytes.count, needsComma: needsComma) }

    /// Takes back everything written since `mark`, as if it had never been written.
    @inlinable
    public mutating func rollback(to mark: Mark) {
        bytes.removeSubrange(mark.count...)
        needsComma = mark.needsComma
    }

    /// `"k":` as bytes, ready for `key(encoded:)`: encode a key once, write it many times.
    public static func encodedKey(_ k: String) -> [UInt8] {
        var writer = JSONWriter(capacity: k.utf8.count + 3)
        writer.key(k)
        return writer.bytes
    }

    /// Writes a key encoded by `encodedKey(_:)` (the comma first if needed); the next value call
    /// writes the member's value.
    @inlinable
    public mutating func key(encoded: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: encoded)
        needsComma = false
    }
}
