import Testing
@testable import Batch

/// Problems in the top-level object of an envelope, export or single order: exact messages.
struct DocumentProblemTests {
    @Test(arguments: [
        (#"{"data":[{"id":"a"}] "links":{}}"#, "expected ',' or '}' after object member, found character '\"'", 21),
        (#"{"data":[{"id":"a"}],links:{}}"#, "expected a string key in object, found character 'l'", 21),
        (#"{"data":[{"id":"a"}],"li"#, "unterminated string: no closing '\"' before the end of input", 21),
        (#"{"data":[{"id":"a"}],"l\x":{}}"#, "invalid escape '\\x' in string", 23),
        (#"{"data":[{"id":"a"}],"links":"#, "unexpected end of input, expected a value", 29),
        (#"{"data":[{"id":"a"}],"links":{"self":"x"#, "unexpected end of input inside the value of \"links\"", 39),
        (#"{"data":[{"id":"a"}],"data2":[1,]}"#, "trailing comma before ']'", 32),
    ])
    func afterTheRecordsArray(_ text: String, _ message: String, _ offset: Int) throws {
        let read = try BatchReading(text: text)
        #expect(read.shape == .envelope)
        #expect(read.ids == ["a"])
        #expect(read.problems.count == 1)
        let problem = try #require(read.problems.first)
        #expect(problem.message == message + "; reading stopped here after 1 order")
        #expect(problem.offset == offset)
        #expect(problem.fatal && problem.record == nil)
    }

    @Test func singleOrderWithAnInvalidMember() throws {
        let read = try BatchReading(text: "{\"id\":\"x\",\n \"total\": 01}")
        #expect(read.shape == .single)
        #expect(read.records.isEmpty)
        let problem = try #require(read.problems.first)
        #expect(problem.message == "invalid number: leading zeros are not allowed; reading stopped here after 0 orders")
        #expect((problem.line, problem.column, problem.offset) == (2, 11, 21))
    }

    @Test func singleOrderOverTheRecordLimit() throws {
        let limits = JSONLimits(maxDepth: 8, maxStringBytes: 100, maxNumberLength: 10, maxRecordBytes: 30)
        let read = try BatchReading(text: #"{"id":"x","name":"a long enough name","more":1}"#, limits: limits)
        #expect(read.records.isEmpty)
        #expect(read.problems.map(\.message) == ["record 0 is over the limit of 30 bytes (JSONLimits.maxRecordBytes); reading stopped here after 0 orders"])
    }

    @Test func topLevelKeysAreHeldToTheStringLimit() throws {
        let limit = JSONLimits.default.maxStringBytes
        let atLimit = try BatchReading(text: "{\"" + String(repeating: "k", count: limit) + "\":1,\"id\":\"x\"}")
        #expect(atLimit.problems.isEmpty, "\(atLimit.problems)")
        #expect(atLimit.shape == .single && atLimit.ids == ["x"])
        let over = try BatchReading(text: "{\"id\":\"x\",\n\"" + String(repeating: "k", count: limit + 5) + "\":1}")
        let problem = try #require(over.problems.first)
        #expect(over.records.isEmpty)
        #expect(problem.message == "string of \(limit + 5) bytes is over the limit of \(limit) (JSONLimits.maxStringBytes); reading stopped here after 0 orders")
        #expect((problem.line, problem.column, problem.offset) == (2, 1, 11))
    }

    @Test func exportCustomersAfterOrdersWithABrokenCustomerKeepsTheOrders() throws {
        let text = #"{"orders":[{"id":"o1","purchaserId":"c1"},{"id":"o2","purchaserId":"c2"}],"customers":[{"id":"c1","name":"One"},{"id":"c2","name":}]}"#
        let read = try BatchReading(text: text)
        #expect(read.shape == .export)
        #expect(read.ids == ["o1", "o2"])
        #expect(read.customerNames == ["One", "-"])
        #expect(read.problems.count == 1)
        #expect(read.problems.first?.message == "invalid JSON in customer 1: unexpected character '}', expected a value; reading stopped here after 2 orders")
    }
}
