import Batch
/// Dates as Unleashed writes and reads them: `/Date(ms)/` in responses, ISO or `YYYY-MM-DD` in requests.
///
/// The one owner of Unleashed's date forms (the client, the sandbox and the pipeline use it).
/// Pure calendar arithmetic on the proleptic Gregorian calendar, all UTC: no Foundation formatters.
public enum DotNetDate {
    /// Milliseconds since the epoch of `/Date(ms)/`, `\/Date(ms)\/`, `/Date(ms+hhmm)/` or an ISO date
    /// or date-time (UTC); nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        parseAny(text)
    }

    /// `2025-03-10T00:00:00` (UTC, no zone, whole seconds): the form request bodies and query filters take.
    public static func requestDate(milliseconds: Int64) -> String {
        String(iso(milliseconds: milliseconds).prefix(19))
    }

    /// `/Date(1528329600000)/` for milliseconds since the Unix epoch.
    public static func format(milliseconds: Int64) -> String {
        "/Date(\(milliseconds))/"
    }

    /// Reads `/Date(ms)/` (also `\/Date(ms)\/` and an optional `+hhmm` offset, which is ignored as .NET does).
    public static func parseDotNet(_ text: String) -> Int64? {
        var body = Substring(text)
        if body.hasPrefix("\\/") { body = body.dropFirst() }
        guard body.hasPrefix("/Date("), body.hasSuffix(")/") || body.hasSuffix(")\\/") else { return nil }
        body = body.dropFirst(6)
        body = body.hasSuffix(")\\/") ? body.dropLast(3) : body.dropLast(2)
        if let sign = body.dropFirst().firstIndex(where: { $0 == "+" || $0 == "-" }) {
            body = body[..<sign]
        }
        return Int64(body)
    }

    /// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` (the time is UTC either way),
    /// or a `/Date(ms)/`. Nil when the text is none of these or names an impossible date.
    public static func parseAny(_ text: String) -> Int64? {
        if text.contains("Date(") { return parseDotNet(text) }
        return parseISO(text)
    }

    /// Reads an ISO date or date-time as UTC milliseconds.
    public static func parseISO(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for b in bytes[from..<(from + count)] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let year = number(0, 4), bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
              let month = number(5, 2), let day = number(8, 2),
              (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, millis = 0
        var i = 10
        if i < bytes.count {
            guard bytes[i] == 84 || bytes[i] == 32, let h = number(i + 1, 2), i + 3 < bytes.count, bytes[i + 3] == 58,
                  let m = number(i + 4, 2), h < 24, m < 60 else { return nil }
            hour = h; minute = m; i += 6
            if i < bytes.count, bytes[i] == 58 {
                guard let s = number(i + 1, 2), s < 60 else { return nil }
                second = s; i += 3
                if i < bytes.count, bytes[i] == 46 {
                    i += 1
                    var digits = 0
                    while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                        if digits < 3 { millis = millis * 10 + Int(bytes[i] - 48) }
                        digits += 1; i += 1
                    }
                    guard digits > 0 else { return nil }
                    if digits < 3 { for _ in digits..<3 { millis *= 10 } }
                }
            }
            if i < bytes.count, bytes[i] == 90 { i += 1 }
            guard i == bytes.count else { return nil }
        }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1000 + Int64(millis)
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffZ` for milliseconds since the epoch.
    public static func iso(milliseconds: Int64) -> String {
        let (days, msOfDay) = milliseconds.floorDivided(by: 86_400_000)
        let (y, m, d) = CivilCalendar.date(fromDays: Int(days))
        let s = Int(msOfDay / 1000), ms = Int(msOfDay % 1000)
        func pad(_ v: Int, _ width: Int) -> String {
            let text = String(v)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2)).\(pad(ms, 3))Z"
    }

    /// Year and month (UTC) of a moment (`2026-11`), and the milliseconds at which the next month starts.
    public static func monthKey(milliseconds: Int64) -> (key: String, nextMonthStart: Int64) {
        let (days, _) = milliseconds.floorDivided(by: 86_400_000)
        let (y, m, _) = CivilCalendar.date(fromDays: Int(days))
        let next = m == 12 ? (y + 1, 1) : (y, m + 1)
        let start = Int64(CivilCalendar.days(year: next.0, month: next.1, day: 1)) * 86_400_000
        return (format4(y) + "-" + (m < 10 ? "0\(m)" : "\(m)"), start)
    }

}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        var q = self / divisor, r = self % divisor
        if r < 0 { q -= 1; r += divisor }
        return (q, r)
    }
}

private func format4(_ value: Int) -> String {
    let text = "\(value)"
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}
