import Testing
@testable import Batch

/// Every parse error path with its exact message and position.
struct ParseErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var json: [UInt8]
        var message: String
        var offset: Int
        var line = 1
        var column: Int? = nil
        var limits = JSONLimits.default
        var description: String { String(decoding: json.prefix(40), as: UTF8.self) }
    }

    static func c(_ json: String, _ message: String, _ offset: Int, line: Int = 1, column: Int? = nil, limits: JSONLimits = .default) -> Case {
        Case(json: Array(json.utf8), message: message, offset: offset, line: line, column: column, limits: limits)
    }

    static let cases: [Case] = [
        c("", "empty input, expected a JSON value", 0),
        c("[", "unexpected end of input: the array opened at byte 0 is not closed", 1),
        c("[1", "unexpected end of input: the array opened at byte 0 is not closed", 2),
        c(#"{"a":1"#, "unexpected end of input: the object opened at byte 0 is not closed", 6),
        c("[1,]", "trailing comma before ']'", 3),
        c(#"{"a":1,}"#, "trailing comma before '}'", 7),
        c("[1 2]", "expected ',' or ']' after array element, found character '2'", 3),
        c(#"{"a":1 "b":2}"#, "expected ',' or '}' after object member, found character '\"'", 7),
        c(#"{"a" 1}"#, "expected ':' after object key, found character '1'", 5),
        c("{a:1}", "expected a string key in object, found character 'a'", 1),
        c("[}", "unexpected character '}', expected a value", 1),
        c("{]", "expected a string key in object, found character ']'", 1),
        c("[1]x", "unexpected character 'x' after the JSON value", 3),
        c("[1] // note", "comments are not allowed in JSON", 4),
        c("/* c */ []", "comments are not allowed in JSON", 0),
        c("[1,/*c*/2]", "comments are not allowed in JSON", 3),
        c("[NaN]", "NaN and Infinity are not valid JSON numbers", 1),
        c("[-Infinity]", "NaN and Infinity are not valid JSON numbers", 1),
        c("['a']", "single-quoted strings are not allowed in JSON, use '\"'", 1),
        c("[tru]", "invalid literal, expected 'true'", 1),
        c("[nul]", "invalid literal, expected 'null'", 1),
        c("[01]", "invalid number: leading zeros are not allowed", 1),
        c("[1.]", "invalid number: expected a digit after '.'", 3),
        c("[1e]", "invalid number: expected a digit in the exponent", 3),
        c("[-]", "invalid number: expected a digit after '-'", 2),
        c(#"["a"#, "unterminated string: no closing '\"' before the end of input", 1),
        c(#"["\x"]"#, "invalid escape '\\x' in string", 2),
        c(#"["\u12"]"#, "invalid \\u escape: expected 4 hex digits", 2),
        c(#"["\uD800"]"#, "lone surrogate \\uD800 in string: a high surrogate must be followed by a \\u low surrogate", 2),
        c(#"["\uDC00"]"#, "lone surrogate \\uDC00 in string: a low surrogate must follow a high one", 2),
        c("[\"a\tb\"]", "unescaped control character U+0009 in string", 3),
        c("[\n1,\n]", "trailing comma before ']'", 5, line: 3, column: 1),
        c("{\n  \"a\": [1,\n    2 3]}", "expected ',' or ']' after array element, found character '3'", 19, line: 3, column: 7),
        c("[[[1]]]", "nesting deeper than 2 levels (JSONLimits.maxDepth)", 2,
          limits: JSONLimits(maxDepth: 2, maxStringBytes: 100, maxNumberLength: 10, maxRecordBytes: 100)),
        c(#"["abcd"]"#, "string of 4 bytes is over the limit of 3 (JSONLimits.maxStringBytes)", 1,
          limits: JSONLimits(maxDepth: 8, maxStringBytes: 3, maxNumberLength: 10, maxRecordBytes: 100)),
        c("[1234]", "number of 4 characters is over the limit of 3 (JSONLimits.maxNumberLength)", 1,
          limits: JSONLimits(maxDepth: 8, maxStringBytes: 3, maxNumberLength: 3, maxRecordBytes: 100)),
        c("[1,2]", "record is 5 bytes, over the limit of 4 (JSONLimits.maxRecordBytes)", 0,
          limits: JSONLimits(maxDepth: 8, maxStringBytes: 3, maxNumberLength: 3, maxRecordBytes: 4)),
    ]

    @Test(arguments: cases)
    func reportsWhatAndWhere(_ test: Case) {
        #expect(throws: JSONError(message: test.message, offset: test.offset, line: test.line, column: test.column ?? test.offset + 1)) {
            try JSONValue.parse(test.json, limits: test.limits)
        }
    }

    @Test func invalidUTF8NamesTheByte() {
        #expect(throws: JSONError(message: "invalid UTF-8 in string (byte 0xFF)", offset: 2, line: 1, column: 3)) {
            try JSONValue.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D])
        }
        #expect(throws: JSONError(message: "invalid UTF-8 in string (byte 0xED, then byte 0xA0: an encoded surrogate, which UTF-8 does not allow)",
                                  offset: 2, line: 1, column: 3)) {
            try JSONValue.parse([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D])
        }
        // Issue 7, item 16: a lead byte followed by an ordinary character names the lead byte, not the character.
        #expect(throws: JSONError(message: "invalid UTF-8 in string (byte 0xE9 starts a 3-byte sequence, but character 'c' follows it)",
                                  offset: 4, line: 1, column: 5)) {
            try JSONValue.parse(Array("[\"ab".utf8) + [0xE9] + Array("cd\"]".utf8))
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = Array(String(repeating: "[", count: 200_000).utf8) + Array(String(repeating: "]", count: 200_000).utf8)
        #expect(throws: JSONError(message: "nesting deeper than 128 levels (JSONLimits.maxDepth)", offset: 128, line: 1, column: 129)) {
            try JSONRecord(parsing: deep)
        }
        let ok = Array(String(repeating: "[", count: 128).utf8) + Array(String(repeating: "]", count: 128).utf8)
        #expect(throws: Never.self) { try JSONRecord(parsing: ok) }
    }

    @Test func descriptionSaysWhere() {
        let error = JSONError(message: "trailing comma before ']'", offset: 5, line: 3, column: 1)
        #expect(error.description == "line 3, column 1 (byte 5): trailing comma before ']'")
        #expect(!error.isLimit)
        #expect(JSONError(message: "nesting deeper than 2 levels (JSONLimits.maxDepth)", offset: 0, line: 1, column: 1).isLimit)
    }
}
