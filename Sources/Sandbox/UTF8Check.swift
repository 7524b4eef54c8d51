import Batch

/// Names the first byte that breaks UTF-8 (`Batch.UTF8Validation`), so a refusal says which byte
/// is wrong, where it is, and why — not a character decoded from it.
enum UTF8Check {
    /// `byte 0xFF at offset 12 (…why…)`, or nil when `bytes` are valid UTF-8. Offsets count from 0.
    static func firstProblem(_ bytes: [UInt8]) -> String? {
        guard let (i, problem, _) = UTF8Validation.firstProblem(in: bytes) else { return nil }
        let lead = "\(hex(bytes[i])) at offset \(i)"
        switch problem {
        case .continuationWithoutLead:
            return "\(lead) (a continuation byte with no lead byte before it)"
        case .neverUsed:
            return "\(lead) (never used in UTF-8)"
        case .truncated(let length, let available):
            return "\(lead) (starts a \(length)-byte sequence, but the body ends after \(available) byte\(available == 1 ? "" : "s"))"
        case .notContinued(let length, let k):
            return "\(lead) (starts a \(length)-byte sequence, but \(hex(bytes[i + k])) follows at offset \(i + k))"
        case .disallowed(_, let why):
            return "\(lead) (followed by \(hex(bytes[i + 1])): \(why.text), which UTF-8 does not allow)"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (digits.count == 1 ? "0" + digits : digits)
    }
}
