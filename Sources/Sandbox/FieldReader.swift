import Batch

/// Typed reads of request-body fields, each failure an `APIError` whose Description names the field.
struct FieldReader {
    let object: JSONObject
    /// Put before field names in messages, e.g. `Line 2: `.
    let context: String

    init(_ object: JSONObject, context: String = "") {
        self.object = object
        self.context = context
    }

    /// A string field; nil when absent or null. Numbers and booleans are refused.
    func string(_ key: String, maxLength: Int? = nil) throws(APIError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw .invalid("\(context)\(key) must be a string.")
        }
        if let maxLength, text.count > maxLength {
            throw .invalid("\(context)\(key) is longer than \(maxLength) characters (\(text.count)).")
        }
        return text
    }

    /// A string field that must be present and non-empty.
    func requiredString(_ key: String, label: String, maxLength: Int? = nil) throws(APIError) -> String {
        guard let text = try string(key, maxLength: maxLength), !text.isEmpty else {
            throw .invalid("\(context)\(label) is required (\(key)).")
        }
        return text
    }

    /// A decimal from a JSON number or a string holding one; nil when absent or null.
    func decimal(_ key: String) throws(APIError) -> ExactDecimal? {
        guard let value = object[key], !value.isNull else { return nil }
        if let number = value.numberValue {
            guard let decimal = number.decimal else {
                throw .invalid("\(context)\(key) \(number.text) is out of range.")
            }
            return decimal
        }
        if let text = value.stringValue, let decimal = ExactDecimal(text) { return decimal }
        throw .invalid("\(context)\(key) must be a number.")
    }

    /// A decimal that must be present.
    func requiredDecimal(_ key: String) throws(APIError) -> ExactDecimal {
        guard let decimal = try decimal(key) else { throw .invalid("\(context)\(key) is required.") }
        return decimal
    }

    /// A boolean; nil when absent or null.
    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .invalid("\(context)\(key) must be true or false.") }
        return flag
    }

    /// A nested object; nil when absent or null.
    func object(_ key: String) throws(APIError) -> FieldReader? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let nested = value.objectValue else { throw .invalid("\(context)\(key) must be an object.") }
        return FieldReader(nested, context: context + key + ".")
    }

    /// A date sent as ISO (`2025-03-10T00:00:00`), `YYYY-MM-DD` or `/Date(ms)/`, as milliseconds.
    func date(_ key: String) throws(APIError) -> Int64? {
        guard let text = try string(key) else { return nil }
        guard let ms = DotNetDate.parseAny(text) else {
            throw .invalid("\(context)\(key) '\(text)' is not a valid date (use 2025-03-10T00:00:00).")
        }
        return ms
    }
}

extension ExactDecimal {
    /// True when both values are equal once rounded to the cent.
    func equalsToTheCent(_ other: ExactDecimal) -> Bool {
        rounded(scale: 2).subtracting(other.rounded(scale: 2))?.isZero ?? false
    }
}
