import Batch

/// Writes payload JSON straight into bytes while an order is planned: keys are pre-encoded
/// (`"Key":`), batch strings and numbers are copied as their source bytes, decimals are
/// formatted without building strings. Objects left empty are rolled back.
struct PayloadBuffer {
    var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 2048) {
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// A position to roll back to.
    struct Mark {
        let count: Int
        let needsComma: Bool
    }

    var mark: Mark { Mark(count: bytes.count, needsComma: needsComma) }

    mutating func rollback(_ mark: Mark) {
        bytes.removeSubrange(mark.count...)
        needsComma = mark.needsComma
    }

    mutating func separate() {
        if needsComma { bytes.append(0x2C) }
        needsComma = true
    }

    /// A pre-encoded key: `"Key":` (comma first when needed).
    mutating func key(_ encoded: [UInt8]) {
        separate()
        bytes.append(contentsOf: encoded)
        needsComma = false
    }

    /// A pre-encoded key from a blob.
    mutating func key(_ encoded: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(contentsOf: encoded)
        needsComma = false
    }

    /// Already-valid JSON bytes from a blob.
    mutating func rawBytes(_ json: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    mutating func beginObject() {
        separate()
        bytes.append(0x7B)
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(0x7D)
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(0x5B)
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(0x5D)
        needsComma = true
    }

    /// Already-valid JSON bytes.
    mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// Already-valid JSON bytes from a record.
    mutating func raw(_ json: ArraySlice<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    }

    mutating func int(_ n: Int) {
        separate()
        Self.appendInteger(UInt64(n.magnitude), negative: n < 0, scale: 0, to: &bytes)
    }

    mutating func decimal(_ d: ExactDecimal) {
        separate()
        Self.appendDecimal(d, to: &bytes)
    }

    mutating func string(_ s: String) {
        separate()
        Self.appendString(s, to: &bytes)
    }

    /// A runtime value (never null: callers leave null fields out).
    /// `records` may be nil for constants (which never point into a record).
    mutating func value(_ value: Value, _ records: RecordPair?) {
        switch value {
        case .null, .omit:
            separate()
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b):
            separate()
            bytes.append(contentsOf: b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .number(let d): decimal(d)
        case .text(let s): string(s)
        case .node(let slot, let i):
            guard let record = records?.record(slot) else { return self.value(.null, nil) }
            raw(record.rawJSON(i))
        case .json(let j):
            var writer = JSONWriter()
            writer.write(j)
            raw(writer.bytes)
        case .list(let list):
            beginArray()
            for element in list { self.value(element, records) }
            endArray()
        }
    }

    /// `"text"` with JSON escapes (the same escaping as `JSONWriter`).
    static func appendString(_ s: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 {
            needsEscape = true
            break
        }
        if needsEscape {
            var writer = JSONWriter()
            writer.string(s)
            bytes.append(contentsOf: writer.bytes.dropFirst().dropLast())
        } else {
            bytes.append(contentsOf: s.utf8)
        }
        bytes.append(0x22)
    }

    /// Plain notation keeping the scale: `28.7900`, `-0.5`, `12`.
    static func appendDecimal(_ d: ExactDecimal, to bytes: inout [UInt8]) {
        let magnitude = d.significand.magnitude
        if d.scale < 30, let small = UInt64(exactly: magnitude) {
            appendInteger(small, negative: d.significand < 0, scale: d.scale, to: &bytes)
        } else {
            bytes.append(contentsOf: d.description.utf8)
        }
    }

    /// Digits of `value` with a decimal point `scale` digits from the right.
    static func appendInteger(_ value: UInt64, negative: Bool, scale: Int, to bytes: inout [UInt8]) {
        if negative { bytes.append(0x2D) }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var n = value
            var count = 0
            repeat {
                buffer[31 - count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            } while n > 0 && count < 32
            while count <= scale && count < 32 {
                buffer[31 - count] = 0x30
                count += 1
            }
            for k in stride(from: count, to: 0, by: -1) {
                if scale > 0 && k == scale { bytes.append(0x2E) }
                bytes.append(buffer[32 - k])
            }
        }
    }
}
