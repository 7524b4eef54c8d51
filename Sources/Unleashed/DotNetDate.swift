import Foundation

/// Unleashed's dates: `/Date(ms)/` (also `\/Date(ms)\/` and `/Date(ms+zone)/`) in answers,
/// `YYYY-MM-DDTHH:MM:SS` (no zone) in request bodies.
public enum DotNetDate {
    /// Milliseconds since the epoch from `/Date(ms)/` or an ISO date (UTC); nil otherwise.
    public static func parse(_ text: String) -> Int64? {
        var body = Substring(text.replacingOccurrences(of: "\\/", with: "/"))
        if body.hasPrefix("/Date("), body.hasSuffix(")/") {
            body = body.dropFirst(6).dropLast(2)
            var digits = body
            if let zone = body.dropFirst().firstIndex(where: { $0 == "+" || $0 == "-" }) { digits = body[..<zone] }
            return Int64(digits)
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for candidate in [text, text + "Z"] {
            if let date = iso.date(from: candidate) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        iso.formatOptions = [.withInternetDateTime]
        for candidate in [text, text + "Z", text + "T00:00:00Z"] {
            if let date = iso.date(from: candidate) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }

    /// `/Date(1528329600000)/`.
    public static func format(milliseconds: Int64) -> String { "/Date(\(milliseconds))/" }

    /// `2018-06-07T00:00:00` (UTC, no zone), as request bodies send dates.
    public static func requestDate(milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }
}
