import Testing
import Batch

/// ExactDecimal: parsing, text round trips, arithmetic, rounding, overflow.
struct ExactDecimalTests {
    func d(_ text: String) throws -> ExactDecimal {
        try #require(ExactDecimal(text))
    }

    @Test(arguments: [
        ("28.7900", "28.7900", 4), ("-0", "0", 0), ("0.5", "0.5", 1), ("-0.5", "-0.5", 1),
        ("1e-3", "0.001", 3), ("1.5E+2", "150", 0), ("12", "12", 0), ("0.000", "0.000", 3),
        ("123456789012345678901234567890", "123456789012345678901234567890", 0),
        ("-99999999999999999999999999999999999999", "-99999999999999999999999999999999999999", 0),
    ])
    func parsesAndKeepsScale(_ text: String, _ description: String, _ scale: Int) throws {
        let value = try d(text)
        #expect(value.description == description)
        #expect(value.scale == scale)
    }

    @Test(arguments: ["1e400", "1e-400", "", "-", "01", "1.", ".5", "+1", "NaN", "Infinity", "1 ", " 1", "0x10",
                      "123456789012345678901234567890123456789", "1e39"])
    func rejectsNonNumbersAndOutOfRange(_ text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func equalityIsByValue() throws {
        #expect(try d("28.79") == d("28.7900"))
        #expect(try d("28.79").hashValue == d("28.7900").hashValue)
        #expect(try d("28.7900").normalized.description == "28.79")
        #expect(try d("-0.10") < d("0"))
        #expect(try d("1e2") > d("99.999"))
        #expect(try d("-0").isZero && !(try d("-0")).isNegative)
    }

    @Test func arithmeticIsExact() throws {
        #expect(try d("0.1").adding(d("0.2"))?.description == "0.3")
        #expect(try d("28.7900").adding(d("1.21"))?.description == "30.0000")
        #expect(try d("10").subtracting(d("0.01"))?.description == "9.99")
        #expect(try d("1.10").multiplied(by: d("3"))?.description == "3.30")
        #expect(try d("-2.5").multiplied(by: d("0.1"))?.description == "-0.25")
        #expect(try d("1").divided(by: d("3"), scale: 4, rounding: .halfUp)?.description == "0.3333")
        #expect(try d("2").divided(by: d("3"), scale: 2, rounding: .halfUp)?.description == "0.67")
        #expect(try d("-2").divided(by: d("3"), scale: 2, rounding: .halfUp)?.description == "-0.67")
        #expect(try d("1").divided(by: d("-8"), scale: 2, rounding: .halfEven)?.description == "-0.12")
        #expect(try d("1").divided(by: d("0"), scale: 2, rounding: .halfUp) == nil)
    }

    @Test func overflowIsNilNotATrap() throws {
        let big = try d("99999999999999999999999999999999999999")
        #expect(big.adding(big) == nil)
        #expect(big.multiplied(by: big) == nil)
        #expect(big.negated?.subtracting(big) == nil)
        #expect(big.adding(ExactDecimal(1)) != nil)
    }

    @Test(arguments: [
        ("0.005", "0.01", "0.00", "0.00", "0.01"),
        ("0.015", "0.02", "0.02", "0.01", "0.02"),
        ("0.025", "0.03", "0.02", "0.02", "0.03"),
        ("-0.005", "-0.01", "0.00", "0.00", "-0.01"),
        ("-0.015", "-0.02", "-0.02", "-0.01", "-0.02"),
        ("2.675", "2.68", "2.68", "2.67", "2.68"),
        ("1.2349", "1.23", "1.23", "1.23", "1.24"),
        ("-1.2351", "-1.24", "-1.24", "-1.23", "-1.24"),
        ("7", "7.00", "7.00", "7.00", "7.00"),
    ])
    func roundsToCents(_ text: String, _ halfUp: String, _ halfEven: String, _ down: String, _ up: String) throws {
        let value = try d(text)
        #expect(value.rounded(scale: 2).description == halfUp)
        #expect(value.rounded(scale: 2, rule: .halfEven).description == halfEven)
        #expect(value.rounded(scale: 2, rule: .down).description == down)
        #expect(value.rounded(scale: 2, rule: .up).description == up)
    }

    @Test func moneyLineTotalsAreExact() throws {
        // qty × price × (1 − discount), then tax at 10 %, each rounded half up to cents.
        let total = try #require(d("3").multiplied(by: d("28.7900"))?.multiplied(by: ExactDecimal(1).subtracting(d("0.125"))!))
        #expect(total.rounded(scale: 2).description == "75.57")
        #expect(try total.rounded(scale: 2).multiplied(by: d("0.1"))?.rounded(scale: 2).description == "7.56")
    }

    @Test func plainTextBeyondSixtyFourBits() throws {
        let big = try d("-12345678901234567890123456.789012")
        var bytes: [UInt8] = []
        big.appendPlainText(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "-12345678901234567890123456.789012")
        var writer = JSONWriter()
        writer.beginArray(); writer.int(Int.min); writer.int(0); writer.int(Int.max); writer.decimal(big); writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[\(Int.min),0,\(Int.max),-12345678901234567890123456.789012]")
    }

    @Test func integersAndParts() throws {
        #expect(ExactDecimal(42).description == "42")
        #expect(ExactDecimal(-7).description == "-7")
        #expect(ExactDecimal(significand: 5, scale: 3).description == "0.005")
        #expect(ExactDecimal(significand: -12345, scale: 2).description == "-123.45")
        #expect(ExactDecimal.zero.description == "0")
    }
}
