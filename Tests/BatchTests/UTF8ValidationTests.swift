import Batch
import Testing

/// Issue 19, item 5: the one UTF-8 validator (the batch parser, rule files and the sandbox's
/// request bodies all use it) says where UTF-8 breaks and why, and agrees with the standard library.
struct UTF8ValidationTests {
    typealias Problem = UTF8Validation.Problem

    @Test(arguments: [
        ([0x61, 0x80], 1, .continuationWithoutLead, 1),
        ([0x61, 0xFF], 1, .neverUsed, 1),
        ([0xC0, 0xAF], 0, .neverUsed, 2),
        ([0x61, 0xE2, 0x82], 1, .truncated(length: 3, available: 2), 2),
        ([0xF0], 0, .truncated(length: 4, available: 1), 1),
        ([0xE2, 0x82, 0x41], 0, .notContinued(length: 3, index: 2), 2),
        ([0xC3, 0x28], 0, .notContinued(length: 2, index: 1), 1),
        ([0xED, 0xA0, 0x80], 0, .disallowed(length: 3, .surrogate), 3),
        ([0xE0, 0x80, 0x80], 0, .disallowed(length: 3, .overlong), 3),
        ([0xF4, 0x90, 0x80, 0x80], 0, .disallowed(length: 4, .aboveUnicode), 4),
    ] as [([UInt8], Int, Problem, Int)])
    func namesTheFirstBadSequence(bytes: [UInt8], offset: Int, problem: Problem, badBytes: Int) throws {
        let found = try #require(UTF8Validation.firstProblem(in: bytes))
        #expect(found.offset == offset && found.problem == problem && found.badBytes == badBytes)
    }

    @Test func agreesWithTheStandardLibrary() {
        #expect(UTF8Validation.firstProblem(in: Array("a é € 𝄞 \u{10FFFF} \u{E000} \u{D7FF}".utf8)) == nil)
        var generator = SplitMix64(seed: 19)
        let pieces: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0x9F, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF]]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 6) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 2 == 0, !bytes.isEmpty {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((UTF8Validation.firstProblem(in: bytes) == nil) == valid, "\(bytes.map { String($0, radix: 16) })")
        }
    }
}
