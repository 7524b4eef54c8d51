import Batch
import Foundation

extension BadInputCorpus {
    /// Every case: batches, rules, settings.
    static let cases: [BadInputCase] = batchCases + ruleCases + settingsCases

    // MARK: Batches (`omsync preview batch.json`)

    static let batchCases: [BadInputCase] = {
        let whole = envelope([good(3)])
        var cases: [BadInputCase] = [
            previewCase("empty-file", [], status: 2, mustSay: ["batch.json is empty", "`[]`"]),
            previewCase("only-whitespace", Array(" \n\t\n".utf8), status: 2, mustSay: ["batch.json is empty (only whitespace)"]),
            previewCase("truncated-mid-order", Array(whole.prefix(whole.count * 2 / 3)), mustSay: ["batch.json", "OMGOOD1"]),
            previewCase("truncated-array", Array(#"[{"id":"#.utf8), mustSay: ["batch.json:1:"]),
            previewCase("invalid-utf8-in-a-string", envelope(raw: #"{"id":"90000000-0000-4000-8000-0000000000bd","orderNumber":"OMBAD1","comment":"caf\#u{FFFD}"}"#)
                .replacingEFBFBD(with: [0xE9]), mustSay: ["batch.json:1:", "invalid UTF-8", "byte 0xE9", "reading stopped here after 1 order"]),
            previewCase("utf16-with-bom", [0xFF, 0xFE] + Array("[]".utf8).flatMap { [$0, 0] }, status: 2, mustSay: ["UTF-16", "iconv"]),
            previewCase("utf8-bom", [0xEF, 0xBB, 0xBF] + envelope([]), status: 0, mustSay: ["OMGOOD1", "OMGOOD2"]),
            previewCase("deep-nesting", envelope(raw: #"{"id":"90000000-0000-4000-8000-0000000000bd","orderNumber":"OMBAD1","x":"#
                + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "}"), mustSay: ["OMGOOD2", "deep"]),
            previewCase("number-1e999", envelope([badLine { $0["quantity"] = .number(JSONNumber(text: "1e999")!) }]), mustSay: ["OMBAD1", "1e999"]),
            previewCase("forty-digit-integer-price", envelope([badLine { $0["price"] = .number(JSONNumber(text: String(repeating: "9", count: 40))!) }]),
                        mustSay: ["OMBAD1"]),
            previewCase("price-with-thousands-separator", envelope([badLine { $0["price"] = .string("1,234.50") }]), mustSay: ["OMBAD1", "1,234.50"]),
            previewCase("missing-id", envelope([bad { $0["id"] = nil }]), mustSay: ["OMBAD1", "id"]),
            previewCase("duplicate-order-ids", envelope([good(1)]), status: 0, mustSay: ["W-DUPLICATE-ID", "index 0"]),
            previewCase("negative-quantity", envelope([badLine { $0["quantity"] = .number(JSONNumber(-3)) }]), mustSay: ["OMBAD1", "-3"]),
            previewCase("fractional-quantity", envelope([badLine { $0["quantity"] = .number(JSONNumber(text: "1.5")!) }]), status: 0, mustSay: ["1.5 × COF-1KG @ 28.7900 = 43.19"]),
            previewCase("unknown-status", envelope([bad { $0["status"] = .string("Teleported"); $0["orderStatus"] = .string("Teleported") }]),
                        status: 0, mustSay: ["W-UNKNOWN-STATUS", "Teleported", "Unpaid (Overdue)"]),
            previewCase("placed-on-not-a-date", envelope([bad { $0["placedOn"] = .string("yesterday") }]), status: 0, mustSay: ["W-BAD-DATE", "yesterday"]),
            previewCase("delivery-date-february-30", envelope([bad { $0["deliveryDate"] = .string("2019-02-30T14:00:00.000Z") }]),
                        status: 0, mustSay: ["W-BAD-DATE", "2019-02-30"]),
            previewCase("line-items-a-string", envelope([bad { $0["lineItems"] = .string("3 x coffee") }]), mustSay: ["OMBAD1", "lineItems"]),
            previewCase("line-items-empty", envelope([bad { $0["lineItems"] = .array([]) }]), mustSay: ["OMBAD1"]),
            previewCase("quantity-a-word", envelope([badLine { $0["quantity"] = .string("three") }]), mustSay: ["OMBAD1", "three"]),
            previewCase("sku-a-number", envelope([badLine { $0["SKU"] = .number(JSONNumber(1234)); $0["product"] = nil }]), status: 0, mustSay: ["1234"]),
            previewCase("order-number-a-number", envelope([bad { $0["orderNumber"] = .number(JSONNumber(42)); $0["number"] = .number(JSONNumber(42)) }]),
                        status: 0, mustSay: ["OMGOOD2", "42  create"]),
            previewCase("purchaser-an-array", envelope([bad { $0["purchaser"] = .array([]) }]), mustSay: ["OMBAD1"]),
            previewCase("properties-a-string", envelope([bad { $0["properties"] = .string("warehouse=SYD") }]), status: 0, mustSay: ["OMBAD1"]),
            previewCase("address-a-number", envelope([bad { $0["retailerAddress"] = .number(JSONNumber(2042)) }]), status: 0, mustSay: ["OMGOOD2"]),
            previewCase("status-null", envelope([bad { $0["status"] = .null; $0["orderStatus"] = .null }]), status: 0, mustSay: ["OMBAD1"]),
            previewCase("freight-a-word", envelope([bad { $0["freight"] = .string("free"); $0["totalFreight"] = .string("free") }]),
                        status: 0, mustSay: ["W-TOTAL-MISMATCH", "164.55"]),
            previewCase("an-order-that-is-a-string", envelope(raw: #""OM-not-an-order""#), mustSay: ["OMGOOD2"]),
            previewCase("data-not-an-array", Array(#"{"meta":{},"data":{"id":"x"}}"#.utf8), status: 1,
                        mustSay: ["batch.json:1:1", "\"data\" holds an object, not a list", "{\"data\": [order, …]}"]),
            previewCase("a-bare-number", Array("42\n".utf8), status: 1, mustSay: ["batch.json:1:1", "not an object"]),
            // The envelope is one line followed by more: JSON Lines, whose page line gives its orders.
            previewCase("trailing-garbage", envelope([]) + Array("}}garbage".utf8), mustSay: ["batch.json:2:1", "OMGOOD1", "OMGOOD2"]),
            previewCase("raw-control-character", envelope(raw: "{\"id\":\"90000000-0000-4000-8000-0000000000bd\",\"orderNumber\":\"OM\u{01}BAD\"}"),
                        mustSay: ["batch.json:1:", "U+0001", "reading stopped here after 1 order"]),
            previewCase("nan-literal", envelope([]).replacingFirst(Array("\"freight\":12.5".utf8), with: Array("\"freight\":NaN".utf8)),
                        mustSay: ["NaN"]),
            previewCase("lone-surrogate-escape", envelope(raw: #"{"id":"90000000-0000-4000-8000-0000000000bd","orderNumber":"OMBAD1","comment":"\ud800"}"#),
                        mustSay: ["batch.json:1:", "lone surrogate", "reading stopped"]),
            previewCase("a-comment", Array("// exported 2026-12-03\n".utf8) + envelope([]), mustSay: ["batch.json:1:1", "OMGOOD1", "OMGOOD2"]),
            previewCase("binary-garbage", (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }, status: 1, mustSay: ["batch.json:1:"]),
            previewCase("json-lines-with-a-broken-line", Array((good(1).serialized() + "\n{\"id\":\"x\",\n" + good(2).serialized() + "\n").utf8),
                        mustSay: ["batch.json:2:", "OMGOOD2"]),
            BadInputCase(name: "batch-a-folder", files: ["batch.json/": []], arguments: ["preview", "batch.json"], status: 2,
                         mustSay: ["batch.json", "Is a directory"]),
            BadInputCase(name: "batch-missing-file", files: [:], arguments: ["preview", "nowhere.json"], status: 2, mustSay: ["nowhere.json"]),
        ]
        // An export whose order names a customer the export does not hold.
        var stray = template
        stray["purchaserId"] = .string("00000000-0000-4000-8000-00000000dead")
        stray["purchaser"] = nil
        let export = JSONValue.object(JSONObject([("orders", .array([.object(stray)])), ("customers", .array([]))]))
        cases.append(previewCase("export-purchaser-points-nowhere", Array(export.serialized().utf8), mustSay: ["00000000-0000-4000-8000-00000000dead"]))
        return cases
    }()

    // MARK: Rules (`omsync check`)

    static let ruleCases: [BadInputCase] = [
        rulesCase("empty-rule-file", ["rules/omsync.yaml": []], mustSay: ["rules/omsync.yaml"]),
        rulesCase("binary-garbage", ["rules/omsync.yaml": (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }], mustSay: ["rules/omsync.yaml:"]),
        rulesCase("tab-indentation", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n\tfields:\n")], mustSay: ["rules/omsync.yaml:", "tab"]),
        rulesCase("alias-bomb", ["rules/extra.yaml": Array(("version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + (1...9).map { "a\($0): &a\($0) [*a\($0 - 1), *a\($0 - 1), *a\($0 - 1), *a\($0 - 1), *a\($0 - 1)]" }.joined(separator: "\n")
            + "\n").utf8)], mustSay: ["rules/extra.yaml:", "alias"]),
        rulesCase("huge-file", ["rules/extra.yaml": Array(("version: 1\n# " + String(repeating: "x", count: 1_100_000) + "\n").utf8)],
                  mustSay: ["rules/extra.yaml"]),
        rulesCase("invalid-utf8", ["rules/omsync.yaml": editedRules("version: 1", "version: 1 # caf\u{FFFD}").replacingEFBFBD(with: [0xE9])],
                  mustSay: ["rules/omsync.yaml:", "0xE9"]),
        rulesCase("control-character", ["rules/omsync.yaml": editedRules("version: 1", "version: 1 # \u{07}")], mustSay: ["rules/omsync.yaml:", "U+0007"]),
        rulesCase("a-rule-file-that-is-a-folder", ["rules/more.yaml/": []], status: 2, mustSay: ["rules/more.yaml"]),
        rulesCase("missing-version", ["rules/omsync.yaml": editedRules("version: 1\n", "\n")], mustSay: ["version"]),
        rulesCase("unknown-top-level-key", ["rules/omsync.yaml": editedRules("version: 1\n", "version: 1\nmappings: {}\n")], mustSay: ["mappings"]),
        rulesCase("unknown-field-name", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    Custmer.CustomerCode: prop.customer_code\n")],
                  mustSay: ["Custmer"]),
        rulesCase("fields-a-list", ["rules/extra.yaml": Array("version: 1\nsales_order:\n  fields: [a, b]\n".utf8)], mustSay: ["rules/extra.yaml:3:"]),
        rulesCase("duplicate-key", ["rules/omsync.yaml": editedRules("version: 1\n", "version: 1\nversion: 1\n")], mustSay: ["version"]),
        rulesCase("unknown-function-reading-a-file", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    Comments: read_file(\"/etc/passwd\")\n")],
                  mustSay: ["read_file"]),
        rulesCase("unknown-function-running-code", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    Comments: exec(\"rm -rf /\")\n")],
                  mustSay: ["exec"]),
        rulesCase("unterminated-string", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    Comments: concat(\"abc, order.comment)\n")],
                  mustSay: ["rules/omsync.yaml:"]),
        rulesCase("deeply-nested-expression", ["rules/omsync.yaml": editedRules("\n  fields:\n",
            "\n  fields:\n    Comments: " + String(repeating: "(", count: 2_000) + "order.comment" + String(repeating: ")", count: 2_000) + "\n")],
                  mustSay: ["rules/omsync.yaml:"]),
        rulesCase("huge-number-literal", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    ExchangeRate: " + String(repeating: "9", count: 2_000) + "\n")],
                  mustSay: ["rules/omsync.yaml:"]),
        rulesCase("huge-string-literal", ["rules/omsync.yaml": editedRules("\n  fields:\n",
            "\n  fields:\n    Comments: \"'" + String(repeating: "x", count: 200_000) + "'\"\n")], mustSay: ["rules/omsync.yaml:"]),
        rulesCase("a-condition-referencing-itself", ["rules/extra.yaml": Array("version: 1\nconditions:\n  loop: loop and order.total > 0\n".utf8)],
                  mustSay: ["loop"]),
        rulesCase("two-conditions-in-a-cycle", ["rules/extra.yaml": Array("version: 1\nconditions:\n  ping: pong\n  pong: ping\n".utf8)],
                  mustSay: ["ping", "pong"]),
        rulesCase("unknown-setting-reference", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    Comments: settings.no_such_setting\n")],
                  mustSay: ["no_such_setting"]),
        rulesCase("unknown-property-reference", ["rules/omsync.yaml": editedRules("\n  fields:\n", "\n  fields:\n    Comments: prop.no_such_property\n")],
                  mustSay: ["no_such_property"]),
        rulesCase("unknown-transition-action", ["rules/omsync.yaml": editedRules("    do: supersede\n", "    do: obliterate\n")], mustSay: ["obliterate"]),
        rulesCase("key-longer-than-1024", ["rules/extra.yaml": Array(("version: 1\n" + String(repeating: "k", count: 1_100) + ": 1\n").utf8)],
                  mustSay: ["rules/extra.yaml:2:"]),
        rulesCase("nesting-deeper-than-64", ["rules/extra.yaml": Array(("version: 1\nx: " + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "\n").utf8)],
                  mustSay: ["rules/extra.yaml:2:"]),
        BadInputCase(name: "rules-preview-with-broken-rules", files: ["rules/omsync.yaml": editedRules("    do: supersede\n", "    do: obliterate\n"),
                                                                     "batch.json": envelope([])],
                     arguments: ["preview", "batch.json"], status: 3, mustSay: ["obliterate"]),
    ]

    // MARK: Settings (`omsync check`)

    static let settingsCases: [BadInputCase] = [
        settingsCase("unknown-key", settings("timezone", "Australia/Sydney") + "\nwarehose: SYD\n", mustSay: ["warehose"]),
        settingsCase("freight-product-code-a-list", settings("freight_product_code", "[A, B]"), mustSay: ["freight_product_code"]),
        // An empty value is "no value" for every type (docs/rules.md §3): no default warehouse, as shipped.
        settingsCase("default-warehouse-empty-is-no-value", settings("default_warehouse", "\"\""), status: 0, mustSay: ["rules OK"]),
        settingsCase("sync-order-number-not-a-boolean", settings("sync_order_number", "sometimes"), mustSay: ["sync_order_number", "sometimes"]),
        settingsCase("sync-order-date-a-number", settings("sync_order_date", "2"), mustSay: ["sync_order_date"]),
        settingsCase("sales-order-status-unknown", settings("sales_order_status", "Shipped"), mustSay: ["sales_order_status", "Shipped"]),
        settingsCase("timezone-unknown", settings("timezone", "Mars/Olympus_Mons"), mustSay: ["Mars/Olympus_Mons"]),
        settingsCase("a-list-not-a-mapping", "- timezone: Australia/Sydney\n", mustSay: ["rules/settings.yaml:1:"]),
        settingsCase("api-key-in-settings", settings("timezone", "Australia/Sydney") + "\nunleashed_api_key: abc\n", mustSay: ["unleashed_api_key"]),
        BadInputCase(name: "settings-set-without-equals", files: [:], arguments: ["check", "--set", "timezone"], status: 1, mustSay: ["--set 'timezone' is not key=value"]),
        BadInputCase(name: "settings-set-unknown-key", files: [:], arguments: ["check", "--set", "colour=blue"], status: 1, mustSay: ["colour"]),
        BadInputCase(name: "settings-file-missing", files: [:], arguments: ["check", "--settings", "prod.yaml"], status: 2, mustSay: ["prod.yaml"]),
    ]
}

extension [UInt8] {
    /// The bytes with every U+FFFD (EF BF BD) replaced by `bytes`: how a test writes invalid UTF-8 from a Swift string.
    func replacingEFBFBD(with bytes: [UInt8]) -> [UInt8] {
        replacingAll([0xEF, 0xBF, 0xBD], with: bytes)
    }

    func replacingFirst(_ old: [UInt8], with new: [UInt8]) -> [UInt8] {
        guard let start = firstRange(of: old) else { return self }
        var copy = self
        copy.replaceSubrange(start, with: new)
        return copy
    }

    func replacingAll(_ old: [UInt8], with new: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = startIndex
        while index < endIndex {
            if index + old.count <= endIndex, self[index..<index + old.count].elementsEqual(old) {
                result += new
                index += old.count
            } else {
                result.append(self[index])
                index += 1
            }
        }
        return result
    }
}
