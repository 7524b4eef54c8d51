import Testing
@testable import Batch

/// The tape accessors Pipeline uses per field per order.
struct JSONRecordTests {
    static let order = #"""
    {"id":"o-1","total":28.7900,"paid":true,"note":null,"tags":[1,"two",{"three":3},[]],
     "purchaser":{"id":"c-1","properties":{"unleashed_warehouse":"MAIN"}},
     "esc\u0061ped":"line\nbreak \u00e9","empty":{},"SKU":""}
    """#

    func record() throws -> JSONRecord {
        try JSONRecord(parsing: Array(Self.order.utf8))
    }

    @Test func membersByKeyBytes() throws {
        let r = try record()
        let root = r.root
        #expect(r.kind(root) == .object)
        #expect(r.count(root) == 9)
        #expect(r.member(root, JSONKey("id")).flatMap(r.string) == "o-1")
        #expect(r.member(root, JSONKey("missing")) == nil)
        #expect(r.member(root, JSONKey("escaped")).flatMap(r.string) == "line\nbreak é")
        let purchaser = try #require(r.member(root, JSONKey("purchaser")))
        let properties = try #require(r.member(purchaser, JSONKey("properties")))
        let warehouse = try #require(r.member(properties, JSONKey("unleashed_warehouse")))
        #expect(r.stringEquals(warehouse, JSONKey("MAIN")))
        #expect(!r.stringEquals(warehouse, JSONKey("MAI")))
        #expect(r.member(warehouse, JSONKey("x")) == nil)
    }

    @Test func scalarsAndKinds() throws {
        let r = try record()
        let root = r.root
        let paid = try #require(r.member(root, JSONKey("paid")))
        #expect(r.bool(paid) == true && r.kind(paid) == .bool)
        let note = try #require(r.member(root, JSONKey("note")))
        #expect(r.isNull(note) && r.kind(note) == .null && r.string(note) == nil)
        let total = try #require(r.member(root, JSONKey("total")))
        #expect(r.kind(total) == .number && r.decimal(total)?.description == "28.7900")
        #expect(r.bool(total) == nil && r.number(paid) == nil)
        let sku = try #require(r.member(root, JSONKey("SKU")))
        #expect(r.isEmptyString(sku))
    }

    @Test func arraysElementByElement() throws {
        let r = try record()
        let tags = try #require(r.member(r.root, JSONKey("tags")))
        #expect(r.kind(tags) == .array && r.count(tags) == 4)
        let elements = r.elements(tags)
        #expect(elements.count == 4)
        #expect(r.element(tags, 1).flatMap(r.string) == "two")
        #expect(r.element(tags, 2).flatMap { r.member($0, JSONKey("three")) }.flatMap(r.number)?.text == "3")
        #expect(r.element(tags, 3).map(r.count) == 0)
        #expect(r.element(tags, 4) == nil && r.element(tags, -1) == nil)
        #expect(r.elements(r.root).isEmpty)
        #expect(r.members(r.root).map(\.key) == ["id", "total", "paid", "note", "tags", "purchaser", "escaped", "empty", "SKU"])
    }

    @Test func rawJSONIsTheExactSource() throws {
        let r = try record()
        let purchaser = try #require(r.member(r.root, JSONKey("purchaser")))
        #expect(String(decoding: r.rawJSON(purchaser), as: UTF8.self) == #"{"id":"c-1","properties":{"unleashed_warehouse":"MAIN"}}"#)
        let escaped = try #require(r.member(r.root, JSONKey("escaped")))
        #expect(String(decoding: r.rawJSON(escaped), as: UTF8.self) == #""line\nbreak \u00e9""#)
        #expect(String(decoding: r.rawJSON(r.root), as: UTF8.self) == Self.order)
    }

    @Test func valueMaterialisesTheSameAsParse() throws {
        let r = try record()
        #expect(r.value(r.root) == (try JSONValue.parse(Self.order)))
        #expect(r.value(r.root)["purchaser"]?["id"]?.stringValue == "c-1")
    }

    @Test func duplicateKeysLastWinsInLookups() throws {
        let r = try JSONRecord(parsing: Array(#"{"a":1,"b":2,"a":{"x":true}}"#.utf8))
        let a = try #require(r.member(r.root, JSONKey("a")))
        #expect(r.kind(a) == .object)
        #expect(r.count(r.root) == 3)
        for text in [#"{"a":1,"\u0061":2}"#, #"{"\u0061":1,"a":2}"#, #"{"a":1,"b":{"a":3},"a":2}"#] {
            let d = try JSONRecord(parsing: Array(text.utf8))
            #expect(d.member(d.root, JSONKey("a")).flatMap(d.number)?.text == "2", "\(text)")
        }
    }

    @Test func recordsAreSendableValues() async throws {
        let r = try record()
        let id = await Task.detached { r.member(r.root, JSONKey("id")).flatMap(r.string) }.value
        #expect(id == "o-1")
    }
}

/// `JSONRecord.emptyObject` is exactly what parsing `{}` gives.
struct EmptyObjectRecordTests {
    @Test func emptyObjectIsTheParsedEmptyObject() throws {
        let parsed = try JSONRecord(parsing: Array("{}".utf8))
        #expect(JSONRecord.emptyObject.tape == parsed.tape)
        #expect(Array(JSONRecord.emptyObject.rawJSON(JSONRecord.emptyObject.root)) == Array("{}".utf8))
        #expect(JSONRecord.emptyObject.kind(JSONRecord.emptyObject.root) == .object)
        #expect(JSONRecord.emptyObject.count(JSONRecord.emptyObject.root) == 0)
    }
}
