import Batch

extension RuleSchema {
    /// An object schema, members in the order written (the output is deterministic).
    static func obj(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(JSONObject(pairs.map { ($0.key, $0.value) }))
    }

    static func str(_ text: String) -> JSONValue { .string(text) }

    /// A YAML scalar as data: text, number, true/false or null.
    static var scalar: JSONValue { obj(["type": .array(["string", "number", "boolean", "null"].map(str))]) }

    /// An expression: a plain scalar (YAML may read `1` or `true` as a number or a boolean) or,
    /// quoted, literal text. Its meaning is `omsync check`'s to judge.
    static func expression(_ description: String) -> JSONValue {
        obj(["type": .array(["string", "number", "boolean", "null"].map(str)), "description": str(description)])
    }

    /// A mapping that allows exactly `keys.allowed` (each with its schema in `properties`) and
    /// requires `keys.required`.
    static func strict(_ keys: RuleKeys.KeySet, _ properties: [(String, JSONValue)], minProperties: Int? = nil) -> JSONValue {
        var object = JSONObject([("type", str("object"))])
        let described = Dictionary(properties, uniquingKeysWith: { first, _ in first })
        object["properties"] = .object(JSONObject(keys.allowed.map { ($0, described[$0] ?? obj([:])) }))
        if !keys.required.isEmpty { object["required"] = .array(keys.required.map(str)) }
        if let minProperties { object["minProperties"] = .number(JSONNumber(minProperties)) }
        object["additionalProperties"] = .bool(false)
        return .object(object)
    }

    /// A mapping of declared names (identifiers: `E105`) to `value`.
    static func names(_ value: JSONValue, _ description: String) -> JSONValue {
        obj(["type": str("object"), "description": str(description),
             "propertyNames": obj(["pattern": str("^[A-Za-z_][A-Za-z0-9_]*$")]), "additionalProperties": value])
    }

    /// A field mapping over a catalogue: each field an expression, nothing else allowed
    /// (a computed field, a typo or a nested mapping fails, as `E501`/`E502`/`E103` do).
    static func fields(_ catalogue: [String], _ description: String) -> JSONValue {
        obj(["type": str("object"), "description": str(description),
             "properties": .object(JSONObject(catalogue.map { ($0, expression(fieldDescription($0))) })),
             "additionalProperties": .bool(false)])
    }

    static func fieldDescription(_ field: String) -> String {
        UnleashedFields.numeric.contains(field) ? "Unleashed \(field) (a number): expression." : "Unleashed \(field): expression."
    }

    /// A settings-file value of a declared type, as `SettingValueParser` accepts it.
    static func settingValue(_ type: SettingType) -> JSONValue {
        switch type {
        case .text: return scalar
        case .bool:
            let words = ["true", "false", "yes", "no", "on", "off"]
            return obj(["oneOf": .array([obj(["type": .array([str("boolean"), str("null")])]),
                                         obj(["type": str("string"), "pattern": str("(?i)^(" + words.joined(separator: "|") + ")$")])])])
        case .decimal: return obj(["type": .array(["number", "string", "null"].map(str))])
        case .integer: return obj(["type": .array(["integer", "string", "null"].map(str))])
        case .timezone: return obj(["type": .array([str("string"), str("null")])])
        }
    }

    /// The document around a root schema: `$schema`, `$id`-less (a local file), title, description.
    static func document(_ title: String, _ description: String, _ root: JSONValue) -> JSONValue {
        var object = JSONObject([("$schema", str("http://json-schema.org/draft-07/schema#")), ("title", str(title)),
                                 ("description", str(description))])
        for (key, value) in root.objectValue ?? JSONObject() { object[key] = value }
        return .object(object)
    }

    /// The schema of `kind` as pretty JSON text with a final newline (`settings` needs the declared settings).
    public static func text(_ kind: Kind, settings declared: [SettingDecl] = []) -> String {
        let schema: JSONValue
        switch kind {
        case .rules: schema = rules()
        case .settings: schema = settings(declared)
        case .tests: schema = tests()
        }
        return schema.serialized(pretty: true) + "\n"
    }
}
