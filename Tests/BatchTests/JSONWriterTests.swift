import Testing
import Batch

/// Output escaping, commas, key order, numbers and the sink.
struct JSONWriterTests {
    @Test func writesMembersInGivenOrderWithCommas() {
        var w = JSONWriter()
        w.beginObject()
        w.key("z"); w.int(1)
        w.key("a"); w.beginArray(); w.string("x"); w.null(); w.bool(false); w.decimal(ExactDecimal(significand: 12340, scale: 3)); w.endArray()
        w.key("n"); w.number(JSONNumber(text: "1e400")!)
        w.key("o"); w.beginObject(); w.endObject()
        w.key("r"); w.raw(Array("[1, 2]".utf8))
        w.endObject()
        w.newline()
        w.beginArray(); w.endArray(); w.newline()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "{\"z\":1,\"a\":[\"x\",null,false,12.340],\"n\":1e400,\"o\":{},\"r\":[1, 2]}\n[]\n")
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote\" back\\ slash/", #""quote\" back\\ slash/""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("\u{7F}é€😀", "\"\u{7F}é€😀\""),
        ("a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
    ])
    func escapesStrings(_ input: String, _ expected: String) throws {
        var w = JSONWriter()
        w.string(input)
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == expected)
        #expect(try JSONValue.parse(text).stringValue == input)
    }

    @Test func prettyOutputParsesBack() throws {
        let value = try JSONValue.parse(#"{"a":[1,{"b":"c"},[]],"d":{},"e":"é"}"#)
        let pretty = value.serialized(pretty: true)
        #expect(pretty == "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    },\n    []\n  ],\n  \"d\": {},\n  \"e\": \"é\"\n}")
        #expect(try JSONValue.parse(pretty) == value)
    }

    @Test func recordRoundTripReescapes() throws {
        let source = #"{"k\u0065y":"a\/b\u00e9\n","n":[-0,1.50],"t":true,"f":false,"z":null}"#
        let record = try JSONRecord(parsing: Array(source.utf8))
        var w = JSONWriter()
        w.write(record, record.root)
        #expect(String(decoding: w.bytes, as: UTF8.self) == "{\"key\":\"a/bé\\n\",\"n\":[-0,1.50],\"t\":true,\"f\":false,\"z\":null}")
    }

    @Test func objectLiteralKeepsOrderAndReplacesInPlace() {
        var object = JSONObject([("b", 1), ("a", 2)])
        object["b"] = "x"
        object["c"] = nil
        object["d"] = true
        #expect(object.keys == ["b", "a", "d"])
        object["a"] = nil
        #expect(JSONValue.object(object).serialized() == #"{"b":"x","d":true}"#)
        #expect(object.map(\.key) == ["b", "d"])
    }

    @Test func sinkWritesEverythingToAFile() throws {
        let path = try TemporaryFile.path("sink.ndjson")
        defer { TemporaryFile.remove(path) }
        do {
            let sink = try OutputSink(path: path)
            var w = JSONWriter()
            for n in 0..<50_000 {
                w.beginObject(); w.key("n"); w.int(n); w.endObject(); w.newline()
                sink.write(&w)
            }
            sink.flush()
            #expect(sink.failure == nil)
        }
        let lines = try TemporaryFile.read(path).split(separator: 0x0A)
        #expect(lines.count == 50_000)
        #expect(String(decoding: lines[49_999], as: UTF8.self) == #"{"n":49999}"#)
    }
}
