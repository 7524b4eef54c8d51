import Testing
import Batch

/// Numbers keep their exact text through parse and write.
struct JSONNumberTests {
    static let texts = ["28.7900", "1e400", "-0", "123456789012345678901234567890", "0.1", "-1.5E-7", "1E+2",
                        "0", "99999999999999999999999999999999999999999999", "12.50"]

    @Test(arguments: texts)
    func textSurvivesParseAndWrite(_ text: String) throws {
        let value = try JSONValue.parse("[\(text)]")
        #expect(value[0]?.numberValue?.text == text)
        #expect(value.serialized() == "[\(text)]")
        let record = try JSONRecord(parsing: Array("{\"n\":\(text)}".utf8))
        let n = try #require(record.member(record.root, JSONKey("n")))
        #expect(record.number(n)?.text == text)
        #expect(String(decoding: record.rawJSON(n), as: UTF8.self) == text)
        var writer = JSONWriter()
        writer.write(record, record.root)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\"n\":\(text)}")
    }

    @Test func decimalAndIntConversions() throws {
        #expect(JSONNumber(text: "28.7900")?.decimal?.description == "28.7900")
        #expect(JSONNumber(text: "1e400")?.decimal == nil)
        #expect(JSONNumber(text: "-0")?.int == 0)
        #expect(JSONNumber(text: "1.20e1")?.int == 12)
        #expect(JSONNumber(text: "1.5")?.int == nil)
        #expect(JSONNumber(text: "123456789012345678901234567890")?.int == nil)
        #expect(JSONNumber(ExactDecimal(significand: 2879, scale: 2)).text == "28.79")
        #expect(JSONNumber(-3).text == "-3")
    }

    @Test(arguments: ["01", "1.", ".1", "+1", "NaN", "-", "1e", "", " 1", "1 ", "0x1"])
    func rejectsInvalidText(_ text: String) {
        #expect(JSONNumber(text: text) == nil)
    }

    @Test func decimalFromStringsHoldingMoney() throws {
        let record = try JSONRecord(parsing: Array(#"{"price":"28.7900","qty":3,"name":"x","esc":"1\u002e5","nil":null}"#.utf8))
        let root = record.root
        #expect(record.member(root, JSONKey("price")).flatMap(record.decimal)?.description == "28.7900")
        #expect(record.member(root, JSONKey("qty")).flatMap(record.decimal)?.description == "3")
        #expect(record.member(root, JSONKey("name")).flatMap(record.decimal) == nil)
        #expect(record.member(root, JSONKey("esc")).flatMap(record.decimal)?.description == "1.5")
        #expect(record.member(root, JSONKey("nil")).flatMap(record.decimal) == nil)
    }
}
