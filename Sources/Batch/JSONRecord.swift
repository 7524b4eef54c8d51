/// One parsed record (an order or a customer) as a flat tape over its own bytes: no per-value
/// allocation. Values are addressed by `JSONIndex`; strings are decoded only when asked for.
///
/// Lookups (`member`, `stringEquals`) compare key bytes without creating `String`s; a record is
/// an immutable value and `Sendable`, so it can be handed to another thread.
public struct JSONRecord: Sendable {
    /// The record's source bytes.
    @usableFromInline let bytes: [UInt8]
    /// The tape (see `Tape`).
    @usableFromInline let tape: [UInt64]
    /// The outermost value.
    public var root: JSONIndex

    /// Parses one JSON document (any value; a leading UTF-8 BOM is skipped).
    public init(parsing bytes: [UInt8], limits: JSONLimits = .default) throws(JSONError) {
        try self.init(parsing: bytes, limits: limits, storage: TapeStorage(tapeCapacity: bytes.count / 8 + 16))
    }

    /// Parses using `storage` as working memory (reused by the caller). `origin` is the
    /// record's byte offset in its file, for offsets quoted in messages.
    init(parsing bytes: [UInt8], limits: JSONLimits, storage: TapeStorage, origin: Int = 0) throws(JSONError) {
        let result: Result<[UInt64], JSONError> = bytes.withUnsafeBufferPointer { p in
            var parser = TapeParser(p, limits: limits, storage: storage)
            parser.origin = origin
            do throws(JSONError) {
                try parser.parseDocument()
                return .success(parser.result())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let tape): self.tape = tape
        case .failure(let error): throw error
        }
        self.bytes = bytes
        self.root = JSONIndex(raw: 0)
    }

    /// A record from bytes and the tape already parsed from them.
    init(bytes: [UInt8], tape: [UInt64]) {
        self.bytes = bytes
        self.tape = tape
        self.root = JSONIndex(raw: 0)
    }

    /// `{}`, built without parsing (the tape `TapeParser` writes for it: the open entry points
    /// at its close, the close counts no members).
    public static let emptyObject = JSONRecord(
        bytes: Array("{}".utf8), tape: [Tape.entry(Tape.objectOpen, 0, 1), Tape.entry(Tape.objectClose, 1, 0)])

    /// The number of source bytes.
    public var byteCount: Int { bytes.count }

    /// The record's exact source bytes.
    public var sourceBytes: [UInt8] { bytes }

    /// The kind of the value at `i`.
    @inlinable
    public func kind(_ i: JSONIndex) -> JSONKind {
        switch Tape.kind(tape[Int(i.raw)]) {
        case Tape.null: return .null
        case Tape.trueValue, Tape.falseValue: return .bool
        case Tape.number: return .number
        case Tape.string, Tape.escapedString: return .string
        case Tape.arrayOpen: return .array
        default: return .object
        }
    }

    /// The tape index just after the value at `t`.
    @inlinable @inline(__always)
    func after(_ t: Int) -> Int {
        let entry = tape[t]
        let kind = Tape.kind(entry)
        return kind == Tape.arrayOpen || kind == Tape.objectOpen ? Tape.b(entry) + 1 : t + 1
    }

    /// The value of member `key` of the object at `i`; nil if `i` is not an object or has no such
    /// key. With duplicate keys the last one wins. Compares raw key bytes (length first), with no
    /// `String` created; a key written with escapes is decoded to compare.
    @inlinable
    public func member(_ i: JSONIndex, _ key: JSONKey) -> JSONIndex? {
        let found: Int = tape.withUnsafeBufferPointer { t in
            bytes.withUnsafeBufferPointer { source in
                key.bytes.withUnsafeBufferPointer { k in
                    let start = Int(i.raw)
                    let open = t[start]
                    guard Tape.kind(open) == Tape.objectOpen else { return -1 }
                    let close = Tape.b(open)
                    let mask: UInt64 = 0xF << 60 | 0x3FFF_FFFF
                    let wanted = Tape.string << 60 | UInt64(truncatingIfNeeded: k.count)
                    var found = -1
                    var j = start + 1
                    while j < close {
                        let entry = t[j]
                        if entry & mask == wanted {
                            let offset = Tape.a(entry)
                            var n = 0
                            while n < k.count && source[offset + n] == k[n] { n += 1 }
                            if n == k.count { found = j + 1 }
                        } else if Tape.kind(entry) == Tape.escapedString && escapedEquals(entry, key) {
                            found = j + 1
                        }
                        let value = t[j + 1]
                        let kind = Tape.kind(value)
                        j = kind == Tape.arrayOpen || kind == Tape.objectOpen ? Tape.b(value) + 1 : j + 2
                    }
                    return found
                }
            }
        }
        return found < 0 ? nil : JSONIndex(raw: Int32(truncatingIfNeeded: found))
    }

    /// True when the string entry equals `key`'s bytes.
    @inlinable @inline(__always)
    func keyEquals(_ entry: UInt64, _ key: JSONKey) -> Bool {
        if Tape.kind(entry) == Tape.escapedString { return escapedEquals(entry, key) }
        let start = Tape.a(entry)
        let count = Tape.b(entry)
        guard count == key.bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { src in
            key.bytes.withUnsafeBufferPointer { k in
                var n = 0
                while n < count {
                    if src[start + n] != k[n] { return false }
                    n += 1
                }
                return true
            }
        }
    }

    /// Slow path of `keyEquals` for strings with escapes.
    @usableFromInline
    func escapedEquals(_ entry: UInt64, _ key: JSONKey) -> Bool {
        decodedBytes(entry) == key.bytes
    }

    /// The unescaped UTF-8 bytes of a string entry.
    @usableFromInline
    func decodedBytes(_ entry: UInt64) -> [UInt8] {
        let start = Tape.a(entry)
        let length = Tape.b(entry)
        if Tape.kind(entry) == Tape.string { return Array(bytes[start..<start + length]) }
        return bytes.withUnsafeBufferPointer { StringDecoder.unescape($0, from: start, length: length) }
    }
}
