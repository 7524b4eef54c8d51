import Testing
@testable import Batch

/// RFC 8259 accept/reject cases, named after the JSONTestSuite categories:
/// y_ must be accepted, n_ must be rejected, i_ is implementation-defined (our choice noted).
struct ConformanceTests {
    static let accepted: [(String, String)] = [
        ("y_structure_empty_array", "[]"),
        ("y_structure_empty_object", "{}"),
        ("y_structure_nested_arrays", "[[[]]]"),
        ("y_structure_object_in_array", #"[{"a":[{"b":null}]}]"#),
        ("y_structure_empty_key", #"{"":0}"#),
        ("y_structure_duplicate_keys", #"{"a":"b","a":"c"}"#),
        ("y_structure_whitespace_everywhere", " \t\r\n[ 1 ,\n\t2 ] \n"),
        ("y_structure_top_level_string", #""top""#),
        ("y_structure_top_level_number", "42"),
        ("y_structure_top_level_null", "null"),
        ("y_structure_top_level_true", " true "),
        ("y_structure_literals", "[true,false,null]"),
        ("y_number_zero", "[0]"),
        ("y_number_negative_zero", "[-0]"),
        ("y_number_huge_exponent", "[1e400]"),
        ("y_number_capital_E_plus", "[1E+2]"),
        ("y_number_exponent_minus", "[1e-2]"),
        ("y_number_fraction", "[0.5]"),
        ("y_number_negative_fraction_exponent", "[-1.25e-7]"),
        ("y_number_30_digits", "[123456789012345678901234567890]"),
        ("y_number_0e1", "[0e1]"),
        ("y_number_trailing_zeros", "[28.7900]"),
        ("y_string_empty", #"[""]"#),
        ("y_string_all_escapes", #"["\"\\\/\b\f\n\r\t"]"#),
        ("y_string_escaped_nul", #"["\u0000"]"#),
        ("y_string_surrogate_pair", #"["\uD834\uDD1E"]"#),
        ("y_string_lowercase_hex", #"["\ud83d\ude00"]"#),
        ("y_string_utf8_2_bytes", "[\"é\"]"),
        ("y_string_utf8_3_bytes", "[\"€\"]"),
        ("y_string_utf8_4_bytes", "[\"😀\"]"),
        ("y_string_raw_u2028", "[\"\u{2028}\"]"),
        ("y_string_raw_del", "[\"\u{7F}\"]"),
        ("y_string_escaped_u2028", #"["\u2028"]"#),
        ("i_structure_utf8_bom (accepted: a leading BOM is skipped)", "\u{FEFF}[]"),
        ("i_number_too_big_for_decimal (accepted: text kept)", "[123456789012345678901234567890123456789012345]"),
        ("i_number_tiny (accepted: text kept)", "[1e-400]"),
    ]

    static let rejected: [(String, [UInt8])] = [
        ("n_structure_empty", []),
        ("n_structure_only_whitespace", Array(" \n".utf8)),
        ("n_structure_unclosed_array", Array("[".utf8)),
        ("n_structure_lone_close", Array("]".utf8)),
        ("n_structure_trailing_comma_array", Array("[1,]".utf8)),
        ("n_structure_trailing_comma_object", Array(#"{"a":1,}"#.utf8)),
        ("n_structure_missing_comma", Array("[1 2]".utf8)),
        ("n_structure_missing_colon", Array(#"{"a" 1}"#.utf8)),
        ("n_structure_unquoted_key", Array("{a:1}".utf8)),
        ("n_structure_single_quotes", Array("{'a':1}".utf8)),
        ("n_structure_extra_close", Array("[1]]".utf8)),
        ("n_structure_garbage_after", Array("[1] x".utf8)),
        ("n_structure_leading_comma", Array("[,1]".utf8)),
        ("n_structure_double_comma", Array("[1,,2]".utf8)),
        ("n_structure_comma_only_object", Array("{,}".utf8)),
        ("n_structure_missing_value", Array(#"{"a":}"#.utf8)),
        ("n_structure_block_comment", Array("[/* c */]".utf8)),
        ("n_structure_line_comment", Array("// c\n[]".utf8)),
        ("n_structure_comment_after", Array("[] // c".utf8)),
        ("n_structure_object_missing_comma", Array(#"{"a":1 "b":2}"#.utf8)),
        ("n_structure_mismatch_array_object", Array("[}".utf8)),
        ("n_structure_mismatch_object_array", Array("{]".utf8)),
        ("n_structure_two_values", Array("1 2".utf8)),
        ("n_structure_nbsp_whitespace", [0x5B, 0xC2, 0xA0, 0x5D]),
        ("n_structure_formfeed_whitespace", [0x5B, 0x0C, 0x5D]),
        ("n_structure_bom_inside", Array("[\u{FEFF}]".utf8)),
        ("n_structure_deep_nesting", Array(String(repeating: "[", count: 100_000).utf8)),
        ("n_literal_nan", Array("[NaN]".utf8)),
        ("n_literal_infinity", Array("[Infinity]".utf8)),
        ("n_literal_minus_infinity", Array("[-Infinity]".utf8)),
        ("n_literal_truncated_null", Array("[nul]".utf8)),
        ("n_literal_truncated_true", Array("[tru]".utf8)),
        ("n_literal_capital_true", Array("[True]".utf8)),
        ("n_number_leading_zero", Array("[01]".utf8)),
        ("n_number_negative_leading_zero", Array("[-01]".utf8)),
        ("n_number_trailing_dot", Array("[1.]".utf8)),
        ("n_number_leading_dot", Array("[.1]".utf8)),
        ("n_number_plus", Array("[+1]".utf8)),
        ("n_number_empty_exponent", Array("[1e]".utf8)),
        ("n_number_exponent_sign_only", Array("[1e+]".utf8)),
        ("n_number_minus_only", Array("[-]".utf8)),
        ("n_number_hex", Array("[0x1]".utf8)),
        ("n_number_dot_exponent", Array("[1.e1]".utf8)),
        ("n_number_minus_space", Array("[- 1]".utf8)),
        ("n_number_underscore", Array("[1_000]".utf8)),
        ("n_string_unterminated", Array(#"["a]"#.utf8)),
        ("n_string_bad_escape", Array(#"["\x"]"#.utf8)),
        ("n_string_short_unicode_escape", Array(#"["\u12"]"#.utf8)),
        ("n_string_escape_at_end", Array(#"["\"#.utf8)),
        ("n_string_raw_tab", Array("[\"a\tb\"]".utf8)),
        ("n_string_raw_newline", Array("[\"a\nb\"]".utf8)),
        ("n_string_raw_control_01", [0x5B, 0x22, 0x01, 0x22, 0x5D]),
        ("n_string_invalid_utf8_ff", [0x5B, 0x22, 0xFF, 0x22, 0x5D]),
        ("n_string_overlong_utf8", [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D]),
        ("n_string_utf8_encoded_surrogate", [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]),
        ("n_string_truncated_utf8", [0x5B, 0x22, 0xE2, 0x82, 0x22, 0x5D]),
        ("n_string_lone_continuation", [0x5B, 0x22, 0x80, 0x22, 0x5D]),
        ("n_string_above_10FFFF", [0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D]),
        ("i_string_lone_high_surrogate (rejected)", Array(#"["\uD800"]"#.utf8)),
        ("i_string_lone_low_surrogate (rejected)", Array(#"["\uDC00"]"#.utf8)),
        ("i_string_high_then_non_low (rejected)", Array(#"["\uD800\u0041"]"#.utf8)),
        ("i_string_high_then_text (rejected)", Array(#"["\uD800x"]"#.utf8)),
        ("i_string_two_highs (rejected)", Array(#"["\uD800\uD800"]"#.utf8)),
    ]

    @Test(arguments: accepted)
    func accepts(_ name: String, _ json: String) throws {
        let value = try JSONValue.parse(json)
        // Round trip: what we write parses back to the same value.
        let again = try JSONValue.parse(value.serialized())
        #expect(again == value, "\(name)")
        let pretty = try JSONValue.parse(value.serialized(pretty: true))
        #expect(pretty == value, "\(name)")
    }

    @Test(arguments: rejected)
    func rejects(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: JSONError.self, "\(name)") { try JSONValue.parse(bytes) }
        #expect(throws: JSONError.self, "\(name)") { try JSONRecord(parsing: bytes) }
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue.parse(#"["\"\\\/\b\f\n\r\t", "\uD834\uDD1E", "\u00e9\u20AC", "\u0000"]"#)
        #expect(value[0]?.stringValue == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(value[1]?.stringValue == "\u{1D11E}")
        #expect(value[2]?.stringValue == "é€")
        #expect(value[3]?.stringValue == "\u{0}")
    }

    @Test func duplicateKeysKeepTheLastValueAtTheFirstPosition() throws {
        let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"]?.numberValue?.text == "3")
        let record = try JSONRecord(parsing: Array(#"{"a":1,"b":2,"a":3}"#.utf8))
        let a = try #require(record.member(record.root, JSONKey("a")))
        #expect(record.number(a)?.text == "3")
    }

    @Test func bigObjectsWithRepeatedKeysKeepLastValueAtFirstPosition() throws {
        let members = (0..<40_000).map { "\"k\($0 % 20_000)\":\($0)" }.joined(separator: ",")
        let value = try JSONValue.parse("{" + members + "}")
        let object = try #require(value.objectValue)
        #expect(object.count == 20_000)
        #expect(object.keys.first == "k0" && object.keys.last == "k19999")
        #expect(object["k5"]?.numberValue?.text == "20005")
    }

    @Test func byteOrderMarkIsSkippedOnlyAtTheStart() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8))["a"]?.numberValue?.int == 1)
        #expect(throws: JSONError.self) { try JSONValue.parse(Array(" ".utf8) + [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
    }
}
