/// UTF-8 validation, once for the project (RFC 3629; Unicode's table of well-formed byte
/// sequences): no overlong forms, no encoded surrogates, nothing above U+10FFFF.
///
/// `sequenceLength(at:in:)` checks one multi-byte sequence; the batch parser calls it from its
/// string scanner for each non-ASCII lead byte (its ASCII fast path never gets here), inlined, and
/// asks `problem(at:in:)` why only when it fails. `firstProblem(in:)` scans a whole buffer (rule
/// files, the sandbox's request bodies). Each caller words its own message from the `Problem`.
public enum UTF8Validation {
    /// What is wrong with the sequence that starts at an offset.
    public enum Problem: Error, Sendable, Equatable {
        /// A continuation byte (0x80-0xBF) where a character should start.
        case continuationWithoutLead
        /// A byte UTF-8 never uses (0xC0, 0xC1, 0xF5-0xFF).
        case neverUsed
        /// The lead byte starts a sequence of `length` bytes, but the bytes end after `available`.
        case truncated(length: Int, available: Int)
        /// The lead byte starts a sequence of `length` bytes, but byte `index` of it (1 is the one
        /// after the lead) is not a continuation byte.
        case notContinued(length: Int, index: Int)
        /// The second byte is a continuation byte the lead does not allow.
        case disallowed(length: Int, Disallowed)
    }

    /// Why a second byte is not allowed after its lead.
    public enum Disallowed: Sendable, Equatable {
        case overlong, surrogate, aboveUnicode

        /// "an overlong encoding", "an encoded surrogate", "a code point above U+10FFFF".
        public var text: String {
            switch self {
            case .overlong: return "an overlong encoding"
            case .surrogate: return "an encoded surrogate"
            case .aboveUnicode: return "a code point above U+10FFFF"
            }
        }
    }

    /// What a lead byte starts: the sequence's length and the range its second byte must be in;
    /// length 0 for a byte that cannot start a sequence (a continuation byte, 0xC0, 0xC1, 0xF5-0xFF).
    @inlinable @inline(__always)
    static func lead(_ b0: UInt8) -> (length: Int, low: UInt8, high: UInt8) {
        switch b0 {
        case 0xC2...0xDF: return (2, 0x80, 0xBF)
        case 0xE0: return (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE, 0xEF: return (3, 0x80, 0xBF)
        case 0xED: return (3, 0x80, 0x9F)
        case 0xF0: return (4, 0x90, 0xBF)
        case 0xF1...0xF3: return (4, 0x80, 0xBF)
        case 0xF4: return (4, 0x80, 0x8F)
        default: return (0, 0, 0)
        }
    }

    /// The length of the well-formed sequence whose lead byte (0x80 or above) is at `i`, or 0
    /// when it is not well-formed (`problem(at:in:)` then says why). The batch parser's check.
    @inlinable @inline(__always)
    public static func sequenceLength(at i: Int, in p: UnsafeBufferPointer<UInt8>) -> Int {
        let (length, low, high) = lead(p[i])
        guard length > 0, i + length <= p.count else { return 0 }
        let b1 = p[i + 1]
        guard b1 >= low && b1 <= high else { return 0 }
        if length > 2 && p[i + 2] & 0xC0 != 0x80 { return 0 }
        if length > 3 && p[i + 3] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// What is wrong with the sequence at `i`, which `sequenceLength` found not well-formed: the
    /// first thing wrong, in byte order.
    @inline(never)
    public static func problem(at i: Int, in p: UnsafeBufferPointer<UInt8>) -> Problem {
        let b0 = p[i]
        let (length, low, high) = lead(b0)
        guard length > 0 else { return b0 & 0xC0 == 0x80 ? .continuationWithoutLead : .neverUsed }
        for k in 1..<length {
            guard i + k < p.count else { return .truncated(length: length, available: k) }
            let b = p[i + k]
            if b & 0xC0 != 0x80 { return .notContinued(length: length, index: k) }
            if k == 1, b < low || b > high {
                return .disallowed(length: length, b0 == 0xED ? .surrogate : (b0 == 0xF4 ? .aboveUnicode : .overlong))
            }
        }
        preconditionFailure("UTF8Validation.problem(at:in:) called for a well-formed sequence")
    }

    /// The first place `bytes` stop being UTF-8: its offset, what is wrong there, and how many
    /// bytes are bad in all (each bad byte counted once, reading on after it); nil when all is well.
    public static func firstProblem(in bytes: [UInt8]) -> (offset: Int, problem: Problem, badBytes: Int)? {
        bytes.withUnsafeBufferPointer { p in
            var first: (offset: Int, problem: Problem)?
            var bad = 0
            var i = 0
            while i < p.count {
                if p[i] < 0x80 {
                    i += 1
                    continue
                }
                let length = sequenceLength(at: i, in: p)
                if length > 0 {
                    i += length
                } else {
                    if first == nil { first = (i, problem(at: i, in: p)) }
                    bad += 1
                    i += 1
                }
            }
            return first.map { ($0.offset, $0.problem, bad) }
        }
    }
}
