import Batch
import UnleashedContract

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
        if let maxLength, UnleashedText.length(text) > maxLength {
            throw .invalid("\(context)\(key) is longer than \(maxLength) characters (\(UnleashedText.length(text))).")
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

    /// A decimal from a JSON number or a string holding one; nil when absent or null. A number
    /// that does not fit (more than 38 significant digits or decimal places) is out of range, not "not a number".
    func decimal(_ key: String) throws(APIError) -> ExactDecimal? {
        guard let value = object[key], !value.isNull else { return nil }
        if let number = value.numberValue {
            guard let decimal = number.decimal else { throw outOfRange(key, number.text) }
            return decimal
        }
        if let text = value.stringValue {
            if let decimal = ExactDecimal(text) { return decimal }
            if JSONNumber(text: text) != nil { throw outOfRange(key, text) }
        }
        throw .invalid("\(context)\(key) must be a number.")
    }

    /// `UnitPrice 1234… is out of range: it has 40 significant digits; at most 38 are allowed.`
    func outOfRange(_ key: String, _ text: String) -> APIError {
        let shown = text.count > 60 ? text.prefix(60) + "…" : text
        let limit = ExactDecimal.maxScale
        var mantissa = Substring(text)
        if mantissa.first == "-" { mantissa = mantissa.dropFirst() }
        var reason = "at most \(limit) significant digits and \(limit) decimal places are allowed"
        if !mantissa.contains(where: { $0 == "e" || $0 == "E" }) {
            let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let decimals = parts.count > 1 ? parts[1].count : 0
            let significant = mantissa.filter(\.isNumber).drop(while: { $0 == "0" }).count
            if significant > limit {
                reason = "it has \(significant) significant digits; at most \(limit) are allowed"
            } else if decimals > limit {
                reason = "it has \(decimals) decimal places; at most \(limit) are allowed"
            }
        }
        return .invalid("\(context)\(key) \(shown) is out of range: \(reason).")
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

