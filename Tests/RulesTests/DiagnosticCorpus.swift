@testable import Rules

/// For every `DiagnosticCode`, the smallest input that makes the real loader report it, and
/// every diagnostic that input gives (see `DiagnosticCorpusTests`). A new code needs an entry here.
enum DiagnosticCorpus {
    /// A rule file that loads clean, for entries that add a section.
    static let minimal = "version: 1\nsales_order: { fields: {} }\n"

    /// `minimal` with one sales order field mapped to `value` (line 4 holds the field).
    static func field(_ path: String, _ value: String) -> String {
        "version: 1\nsales_order:\n  fields:\n    \(path): \(value)\n"
    }

    /// `minimal` with `declaration` as the only setting (line 3).
    static func setting(_ declaration: String) -> String {
        "version: 1\nsettings:\n  \(declaration)\nsales_order: { fields: {} }\n"
    }

    /// `minimal` with one property `p` whose `from` is `levels` (line 4).
    static func property(from levels: String) -> String {
        "version: 1\nsettings: { fallback: { type: text, default: X } }\nsales_order: { fields: {} }\n"
            + "properties: { p: { tag: t, from: \(levels) } }\n"
    }

    /// `minimal` with `rows` as its `transitions` (from line 3).
    static func transitions(_ rows: String) -> String {
        minimal + "transitions:\n" + rows
    }

    /// A rule test file in `tests/` holding one case whose `expect` is `expect` (line 4).
    static func ruleTest(_ code: DiagnosticCode, expect: String, expected: [String]) -> DiagnosticCorpusEntry {
        DiagnosticCorpusEntry(code, loader: .ruleTests,
                              files: ["tests/t.yaml": "tests:\n  - name: x\n    order: {}\n    expect: \(expect)\n"],
                              expected: expected)
    }

    static let entries: [DiagnosticCorpusEntry] = [
        // Files and YAML
        DiagnosticCorpusEntry(.fileUnreadable, bytes: ["a.yaml": Array(minimal.utf8), "bad.yaml": [0x76, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]],
                              expected: ["E001 bad.yaml:1:4"]),
        DiagnosticCorpusEntry(.fileTooLarge, bytes: ["a.yaml": Array(minimal.utf8),
                                                     "big.yaml": Array("# ".utf8) + Array(repeating: UInt8(ascii: "x"), count: YAMLReader.maxFileBytes) + [0x0A]],
                              expected: ["E002 big.yaml:1:1"]),
        // An unclosed flow sequence, reported where the file ends.
        DiagnosticCorpusEntry(.malformedYAML, rules: "version: 1\nsales_order: [1, 2\n", expected: ["E003 r.yaml:3:1"]),
        DiagnosticCorpusEntry(.duplicateKey, rules: "version: 1\nversion: 1\nsales_order: { fields: {} }\n", expected: ["E004 r.yaml:2:1"]),
        DiagnosticCorpusEntry(.aliasNotAllowed, rules: field("Comments", "&c order.a"), expected: ["E005 r.yaml:4:15"]),
        DiagnosticCorpusEntry(.tagNotAllowed, rules: "version: !!int 1\nsales_order: { fields: {} }\n", expected: ["E006 r.yaml:1:10"]),
        DiagnosticCorpusEntry(.multipleDocuments, rules: minimal + "---\nversion: 1\n", expected: ["E007 r.yaml:3:1"]),
        DiagnosticCorpusEntry(.noRuleFiles, files: ["readme.md": "not a rule file\n"], expected: ["E008 -"]),
        DiagnosticCorpusEntry(.sectionRepeated, files: ["a.yaml": minimal, "b.yaml": "transitions:\n  - otherwise: true\n    do: create\n",
                                                        "c.yaml": "transitions:\n  - otherwise: true\n    do: skip\n"],
                              expected: ["E009 c.yaml:1:1"]),
        // libyaml stops at the 65th level (the 63rd bracket); what it read of `t` is a list, not a table.
        DiagnosticCorpusEntry(.nestingTooDeep, rules: minimal + "tables: { t: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + " }\n",
                              expected: ["E103 r.yaml:3:14", "E010 r.yaml:3:76"]),
        // Structure
        DiagnosticCorpusEntry(.unknownKey, rules: minimal + "transitons: []\n", expected: ["E101 r.yaml:3:1"]),
        DiagnosticCorpusEntry(.missingKey, rules: "version: 1\n", expected: ["E102 r.yaml:1:1"]),
        DiagnosticCorpusEntry(.wrongKind, rules: minimal + "transitions: { a: 1 }\n", expected: ["E103 r.yaml:3:14"]),
        DiagnosticCorpusEntry(.badVersion, rules: "version: 2\nsales_order: { fields: {} }\n", expected: ["E104 r.yaml:1:10"]),
        DiagnosticCorpusEntry(.badName, rules: minimal + "conditions:\n  1bad: order.x\n", expected: ["E105 r.yaml:4:3"]),
        DiagnosticCorpusEntry(.nameClash, rules: minimal + "conditions:\n  order: order.x == 1\n", expected: ["E106 r.yaml:4:3"]),
        // Settings
        DiagnosticCorpusEntry(.unknownSettingType, rules: setting("x: { type: txt, default: a }"), expected: ["E201 r.yaml:3:14"]),
        DiagnosticCorpusEntry(.settingTypeMismatch, rules: setting("x: { type: decimal, default: abc }"), expected: ["E202 r.yaml:3:32"]),
        DiagnosticCorpusEntry(.settingNotAllowed, rules: setting("x: { type: text, default: C, one_of: [A, B] }"), expected: ["E203 r.yaml:3:29"]),
        DiagnosticCorpusEntry(.badTimeZone, rules: setting("x: { type: timezone, default: Mars/Base }"), expected: ["E204 r.yaml:3:33"]),
        DiagnosticCorpusEntry(.unknownSetting, rules: setting("x: { type: text, default: a }"), settings: "y: b\n",
                              expected: ["E205 extra.settings:1:1"]),
        DiagnosticCorpusEntry(.badOverride, rules: setting("x: { type: text, default: a }"), overrides: ["x"], expected: ["E206 -"]),
        // Properties
        DiagnosticCorpusEntry(.unknownLevel, rules: property(from: "[order, custmer]"), expected: ["E301 r.yaml:4:42"]),
        DiagnosticCorpusEntry(.emptyLevels, rules: property(from: "[]"), expected: ["E302 r.yaml:4:34"]),
        DiagnosticCorpusEntry(.repeatedLevel, rules: property(from: "[order, order]"), expected: ["W303 r.yaml:4:42"]),
        // Expressions
        DiagnosticCorpusEntry(.syntax, rules: field("Comments", "order.a +"), expected: ["E401 r.yaml:4:24"]),
        DiagnosticCorpusEntry(.unknownName, rules: field("Comments", "ordr.a"), expected: ["E402 r.yaml:4:15"]),
        DiagnosticCorpusEntry(.unknownFunction, rules: field("Comments", "frobnicate(1)"), expected: ["E403 r.yaml:4:15"]),
        DiagnosticCorpusEntry(.arity, rules: field("Comments", "round(1)"), expected: ["E404 r.yaml:4:15"]),
        DiagnosticCorpusEntry(.typeMismatch, rules: field("ExchangeRate", "\"1\""), expected: ["E405 r.yaml:4:19"]),
        DiagnosticCorpusEntry(.rootNotHere, rules: field("Comments", "line.SKU"), expected: ["E406 r.yaml:4:15"]),
        DiagnosticCorpusEntry(.unknownProperty, rules: field("Comments", "prop.nope"), expected: ["E407 r.yaml:4:20"]),
        DiagnosticCorpusEntry(.unknownSettingName, rules: field("Comments", "settings.nope"), expected: ["E408 r.yaml:4:24"]),
        DiagnosticCorpusEntry(.unknownStateFact, rules: field("Comments", "state.pushd"), expected: ["E409 r.yaml:4:21"]),
        DiagnosticCorpusEntry(.unknownTable, rules: field("Comments", "lookup(\"nope\", order.a)"), expected: ["E410 r.yaml:4:22"]),
        DiagnosticCorpusEntry(.expressionTooLong, rules: field("Comments", String(repeating: "1 + ", count: 1100) + "1"),
                              expected: ["E411 r.yaml:4:15"]),
        // Reported at the 65th parenthesis.
        DiagnosticCorpusEntry(.expressionTooDeep, rules: field("Comments", String(repeating: "(", count: 70) + "1" + String(repeating: ")", count: 70)),
                              expected: ["E412 r.yaml:4:79"]),
        DiagnosticCorpusEntry(.conditionCycle, rules: minimal + "conditions:\n  a: not a\n", expected: ["E413 r.yaml:4:3"]),
        DiagnosticCorpusEntry(.emptyExpression, rules: field("Comments", ""), expected: ["E414 r.yaml:4:14"]),
        DiagnosticCorpusEntry(.badNumber, rules: field("Comments", String(repeating: "9", count: 44)), expected: ["E415 r.yaml:4:15"]),
        DiagnosticCorpusEntry(.quotedExpression, rules: transitions("  - when: \"state.pushed\"\n    do: skip\n  - otherwise: true\n    do: create\n"),
                              expected: ["W416 r.yaml:4:11"]),
        DiagnosticCorpusEntry(.unknownStatus, rules: field("OrderStatus", "\"Parkd\""), expected: ["W417 r.yaml:4:18"]),
        // c_i uses c_(i-1) twice, so written out c_i has 2^(i+2) - 1 parts: c15 is the first over 100,000.
        DiagnosticCorpusEntry(.conditionTooLarge,
                              rules: minimal + "conditions:\n  c0: order.x == 1\n" + (1...15).map { "  c\($0): c\($0 - 1) or c\($0 - 1)\n" }.joined(),
                              expected: ["E418 r.yaml:19:3"]),
        // Fields
        DiagnosticCorpusEntry(.unknownField, rules: field("Custmer.CustomerCode", "order.x"), expected: ["E501 r.yaml:4:5"]),
        DiagnosticCorpusEntry(.computedField, rules: field("Total", "1"), expected: ["E502 r.yaml:4:5"]),
        DiagnosticCorpusEntry(.requiredNotMapped,
                              rules: "version: 1\nsales_order:\n  fields: {}\n  lines:\n    each: order.lineItems\n"
                                + "    fields: { Product.ProductCode: line.SKU }\n    tax_rate: 0.1\n    required: [UnitPrice]\n",
                              expected: ["E503 r.yaml:8:16"]),
        DiagnosticCorpusEntry(.totalsChoiceIgnored, rules: "version: 1\nsales_order:\n  fields: {}\n  totals: { places: 2 }\n",
                              expected: ["W505 r.yaml:4:21"]),
        // Transitions and supersede
        DiagnosticCorpusEntry(.unknownAction, rules: transitions("  - when: state.pushed\n    do: skp\n  - otherwise: true\n    do: create\n"),
                              expected: ["E601 r.yaml:5:9"]),
        DiagnosticCorpusEntry(.unreachable, rules: transitions("  - otherwise: true\n    do: create\n  - when: state.pushed\n    do: skip\n"),
                              expected: ["E602 r.yaml:6:5"]),
        DiagnosticCorpusEntry(.repeatedCondition,
                              rules: transitions("  - when: state.pushed\n    do: skip\n  - when: state . pushed\n    do: create\n  - otherwise: true\n    do: skip\n"),
                              expected: ["E603 r.yaml:6:11"]),
        DiagnosticCorpusEntry(.noOtherwise, rules: transitions("  - when: state.pushed\n    do: skip\n"), expected: ["W604 r.yaml:4:3"]),
        DiagnosticCorpusEntry(.whenOrOtherwise, rules: transitions("  - do: skip\n  - otherwise: true\n    do: create\n"),
                              expected: ["E605 r.yaml:4:5"]),
        DiagnosticCorpusEntry(.otherwiseNotTrue, rules: transitions("  - otherwise: false\n    do: skip\n  - otherwise: true\n    do: create\n"),
                              expected: ["E606 r.yaml:4:16"]),
        // Rule tests
        ruleTest(.badTestPath, expect: "{ payload: { \"Lines[\": 1 } }", expected: ["E701 tests/t.yaml:4:26"]),
        ruleTest(.badTestValue, expect: "{ problems: [ {} ] }", expected: ["E702 tests/t.yaml:4:27"]),
    ]
}
