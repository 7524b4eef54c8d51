import Batch

/// JSON Schemas (draft-07) for the rule files, for editors with the YAML language server
/// (`# yaml-language-server: $schema=…` on a file's first line): completion of keys and Unleashed
/// field names, and validation of the shape as the user types.
///
/// Everything comes from the owners the checker uses: `RuleKeys` (the keys of each part),
/// `UnleashedFields` (the field catalogue), `SettingType`, `Action`, `StateFact`,
/// `BuiltinFunction`. The schema checks shape only: expressions are strings (or plain numbers and
/// true/false), and `omsync check` remains the judge of what they mean.
public enum RuleSchema {
    /// Which file a schema describes.
    public enum Kind: String, Sendable, CaseIterable {
        /// A rule file (`rules/*.yaml`).
        case rules
        /// A settings file (`rules/settings.yaml`, `--settings FILE`): the declared settings of a rule set.
        case settings
        /// A rule test file (`rules/tests/*.yaml`).
        case tests
    }

    /// The schema of a rule file.
    public static func rules() -> JSONValue {
        let sections: [(String, JSONValue)] = [
            ("version", obj(["const": .number(JSONNumber(1)), "description": str("The rule language version: 1.")])),
            ("settings", names(setting, "Declared settings: type, default, allowed values, doc (docs/rules.md §3).")),
            ("properties", names(property, "Tagged custom fields and the levels they are looked up in, first with a value wins (§4).")),
            ("conditions", names(expression("A named condition, usable by name in any expression."), "Named conditions over the order (§5).")),
            ("tables", names(table, "Lookup tables (text → text), read with lookup(\"table\", key) (§5).")),
            ("sales_order", salesOrder),
            ("transitions", rows(RuleKeys.transition, extra: [
                ("do", obj(["enum": .array(Action.allCases.map { str($0.rawValue) }), "description": str("What a sync does with a matching order.")])),
                ("message", obj(["type": str("string"), "description": str("The message (for block: logged).")])),
            ], "What a sync does with each order: first match wins (§7).")),
            ("supersede", rows(RuleKeys.supersedeRow, extra: [("set", fields(UnleashedFields.header, "Header fields set on the original."))],
                               "How an original order is taken out of the way, first match wins; original.<Field> reads it (§8).")),
            ("customer", record(UnleashedFields.customer, "The Unleashed customer created before the order when its code is not there yet.")),
            ("freight_product", record(UnleashedFields.product, "The Unleashed product created when the freight product code is not there yet.")),
            ("order_version", expression("Which copy of an order is the newest: an ISO-8601 timestamp over the order (order.updatedAt); older copies are state.stale (§7, Freshness).")),
        ]
        return document("omsync rule file", "Rules mapping Ordermentum orders to Unleashed sales orders (docs/rules.md).",
                        strict(RuleKeys.KeySet(allowed: RuleKeys.sections, required: RuleKeys.requiredSections), sections))
    }

    /// The schema of a settings file for the settings `declared` in a rule set: each name with its type.
    public static func settings(_ declared: [SettingDecl]) -> JSONValue {
        let pairs = declared.map { decl -> (String, JSONValue) in
            var schema = settingValue(decl.type)
            if let allowed = decl.oneOf {
                schema = obj(["enum": .array(allowed.map { str($0.description) } + [.null])])
            }
            if case .object(var object) = schema {
                object["description"] = str(decl.doc ?? "A \(decl.type.rawValue) setting.")
                schema = .object(object)
            }
            return (decl.name, schema)
        }
        return document("omsync settings file", "name: value for the settings declared in the rules (docs/rules.md §3).",
                        strict(RuleKeys.KeySet(allowed: declared.map(\.name), required: []), pairs))
    }

    /// The schema of a rule test file.
    public static func tests() -> JSONValue {
        let object = obj(["type": str("object")])
        let inputs: [(String, JSONValue)] = [
            ("order", object), ("customer", object), ("original", object),
            ("settings", obj(["oneOf": .array([object, obj(["type": str("array"), "items": obj(["type": str("string"), "pattern": str("^[^=]+=")])])])])),
            ("state", strict(RuleKeys.KeySet(allowed: StateFact.allCases.map(\.rawValue), required: []),
                             StateFact.allCases.map { ($0.rawValue, obj(["type": str("boolean")])) })),
            ("warehouses", obj(["type": str("array"), "items": scalar])),
        ]
        let problem = strict(RuleKeys.expectedProblem, [
            ("severity", obj(["enum": .array(["error", "warning"].map(str))])), ("code", obj(["type": str("string")])),
            ("field", obj(["type": str("string")])), ("message", obj(["type": str("string")])),
        ], minProperties: 1)
        let expect = strict(RuleKeys.expect, [
            ("action", obj(["enum": .array(Action.allCases.map { str($0.rawValue) })])), ("message", obj(["type": str("string")])),
            ("payload", object), ("supersede", object), ("problems", obj(["type": str("array"), "items": problem])),
            ("no_problems", obj(["type": str("boolean")])),
        ])
        let testCase = strict(RuleKeys.testCase, [("name", obj(["type": str("string")]))] + inputs + [("expect", expect)])
        return document("omsync rule tests", "Rule test cases run by `omsync test` (docs/rules.md §11).",
                        strict(RuleKeys.testFile, [("base", strict(RuleKeys.KeySet(allowed: RuleKeys.testInputs, required: []), inputs)),
                                                   ("tests", obj(["type": str("array"), "items": testCase]))]))
    }

    // MARK: parts

    static var setting: JSONValue {
        strict(RuleKeys.setting, [
            ("type", obj(["enum": .array(SettingType.allCases.map { str($0.rawValue) })])),
            ("default", scalar),
            ("one_of", obj(["type": str("array"), "items": scalar])),
            ("doc", obj(["type": str("string")])),
        ])
    }

    static var property: JSONValue {
        strict(RuleKeys.property, [
            ("tag", obj(["type": str("string"), "description": str("The tag in the properties bag (or tags list).")])),
            ("from", obj(["type": str("array"), "minItems": .number(JSONNumber(1)), "items": obj(["type": str("string")]),
                          "description": str("Levels in order: order, customer, settings.<name>, or \"TEXT\" (quoted).")])),
            ("required", obj(["type": str("boolean")])),
        ])
    }

    static var table: JSONValue { obj(["type": str("object"), "additionalProperties": scalar]) }

    static var salesOrder: JSONValue {
        let lineFields = fields(UnleashedFields.line, "Line fields: dotted Unleashed path: expression.")
        return strict(RuleKeys.salesOrder, [
            ("fields", fields(UnleashedFields.header, "Header fields: dotted Unleashed path: expression.")),
            ("lines", strict(RuleKeys.lines, [
                ("each", expression("The list to make lines from (evaluated on the order), each bound to `line`.")),
                ("when", expression("Optional filter.")), ("fields", lineFields),
                ("tax_rate", expression("The line's tax rate as a fraction, for LineTax.")),
                ("required", obj(["type": str("array"), "items": obj(["enum": .array(UnleashedFields.line.map(str))])])),
            ])),
            ("freight", strict(RuleKeys.freight, [
                ("when", expression("An extra last line when this holds.")), ("fields", lineFields),
                ("tax_rate", expression("The freight line's tax rate.")),
            ])),
            ("totals", strict(RuleKeys.totals, [
                ("compare_to", expression("Ordermentum's own total: a difference is a warning on the order.")),
                ("places", obj(["deprecated": .bool(true), "description": str("Ignored (W505): money follows Unleashed's rule.")])),
                ("rounding", obj(["deprecated": .bool(true), "description": str("Ignored (W505): money follows Unleashed's rule.")])),
            ])),
        ])
    }

    static func record(_ catalogue: [String], _ description: String) -> JSONValue {
        let item = obj(["oneOf": .array([
            obj(["enum": .array(catalogue.map(str))]),
            strict(RuleKeys.requiredItem, [("field", obj(["enum": .array(catalogue.map(str))])), ("message", obj(["type": str("string")]))]),
        ])])
        var schema = strict(RuleKeys.record, [
            ("when", expression("No record is planned when this is false.")),
            ("fields", fields(catalogue, "Fields of the record: path: expression.")),
            ("required", obj(["type": str("array"), "items": item])),
        ])
        if case .object(var object) = schema { object["description"] = str(description); schema = .object(object) }
        return schema
    }

    /// A list of rows, each with exactly one of `when` and `otherwise: true`.
    static func rows(_ keys: RuleKeys.KeySet, extra: [(String, JSONValue)], _ description: String) -> JSONValue {
        var row = strict(keys, [("when", expression("The row matches when this holds.")),
                                ("otherwise", obj(["const": .bool(true), "description": str("The last row: matches every order.")]))] + extra)
        if case .object(var object) = row {
            object["oneOf"] = .array([obj(["required": .array([str("when")])]), obj(["required": .array([str("otherwise")])])])
            row = .object(object)
        }
        return obj(["type": str("array"), "items": row, "description": str(description)])
    }
}
