import Testing
import Batch

/// What the pipeline writes its payloads with: pre-encoded keys, marks and rollbacks.
struct JSONWriterMarkTests {
    @Test func encodedKeysAreEscapedOnceAndWrittenWithCommas() {
        let key = JSONWriter.encodedKey("Line \"A\"")
        #expect(String(decoding: key, as: UTF8.self) == #""Line \"A\"":"#)
        var w = JSONWriter(capacity: 0)
        w.beginObject()
        w.key(encoded: key); w.int(1)
        key.withUnsafeBufferPointer { w.key(encoded: $0) }
        w.raw(Array("[2]".utf8))
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"Line \"A\"":1,"Line \"A\"":[2]}"#)
    }

    @Test func rollbackTakesBackAnObjectAndItsComma() {
        var w = JSONWriter()
        w.beginObject()
        w.key("a"); w.int(1)
        let mark = w.mark
        w.key("empty"); w.beginObject()
        w.rollback(to: mark)
        w.key("b"); w.bool(true)
        let second = w.mark
        w.key("gone"); w.string("x")
        w.rollback(to: second)
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"a":1,"b":true}"#)
    }

    @Test func rollbackAtTheStartOfAnObjectLeavesNoComma() {
        var w = JSONWriter()
        w.beginObject()
        let mark = w.mark
        w.key("x"); w.null()
        w.rollback(to: mark)
        w.key("y"); w.decimal(ExactDecimal(significand: -5, scale: 1))
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"y":-0.5}"#)
    }
}
