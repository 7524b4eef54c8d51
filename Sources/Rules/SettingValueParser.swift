import Batch
import Foundation

/// Converts setting values (from rule defaults, settings files and `--set`) to a setting's
/// declared type. The text is what was written; `isNull` says YAML (or `--set k=null`) meant null.
enum SettingValueParser {
    /// Words read as booleans, case-insensitively.
    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// Why a value does not fit its type.
    struct Mismatch: Error {
        var code: DiagnosticCode
        var message: String
        var hint: String?
    }

    /// The value of `text` as a `type`, or why it is not one.
    static func convert(_ text: String, isNull: Bool, to type: SettingType) -> Result<SettingValue, Mismatch> {
        if isNull { return .success(.null) }
        switch type {
        case .text:
            return .success(.text(text))
        case .bool:
            guard let value = bool(text) else {
                return .failure(Mismatch(code: .settingTypeMismatch, message: "'\(text)' is not true or false",
                                         hint: "write true or false (yes/no and on/off work too)"))
            }
            return .success(.bool(value))
        case .decimal:
            guard let value = ExactDecimal(text.trimmingCharacters(in: .whitespaces)) else {
                return .failure(Mismatch(code: .settingTypeMismatch, message: "'\(text)' is not a decimal number",
                                         hint: "write a number such as 0.1"))
            }
            return .success(.decimal(value))
        case .integer:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let digits = trimmed.hasPrefix("-") || trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
            guard !digits.isEmpty, digits.unicodeScalars.allSatisfy(\.isASCIIDigit), let value = ExactDecimal(trimmed) else {
                return .failure(Mismatch(code: .settingTypeMismatch, message: "'\(text)' is not a whole number",
                                         hint: "write a whole number such as 2"))
            }
            return .success(.decimal(value))
        case .timezone:
            guard TimeZone(identifier: text) != nil else {
                return .failure(Mismatch(code: .badTimeZone, message: "unknown time zone '\(text)'",
                                         hint: Suggestion.hint(for: text, among: TimeZone.knownTimeZoneIdentifiers)
                                            ?? "use an IANA name such as Australia/Sydney"))
            }
            return .success(.text(text))
        }
    }

    /// Checks `value` against `oneOf`; nil when allowed.
    static func checkOneOf(_ value: SettingValue, _ oneOf: [SettingValue]?) -> Mismatch? {
        guard let oneOf, value != .null, !oneOf.contains(value) else { return nil }
        let allowed = oneOf.map(\.description).joined(separator: ", ")
        return Mismatch(code: .settingNotAllowed, message: "'\(value)' is not allowed; allowed values: \(allowed)",
                        hint: Suggestion.hint(for: value.description, among: oneOf.map(\.description)))
    }
}
