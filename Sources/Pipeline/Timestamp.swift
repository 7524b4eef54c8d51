import Batch

/// Reading ISO-8601 timestamps by hand and turning them into calendar dates.
enum Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z of an ISO-8601 timestamp (`2019-04-09T14:00:00.000Z`,
    /// `2019-04-09T14:00:00+10:00`, `2019-04-09 14:00`), or nil when it is not one. A timestamp
    /// without a zone is read as UTC; a plain date (`2019-04-10`) is midnight UTC of that day.
    static func parse<C: Collection<UInt8>>(_ bytes: C) -> Int64? where C.Index == Int {
        parseMilliseconds(bytes).map { $0 >= 0 ? $0 / 1000 : ($0 - 999) / 1000 }
    }

    /// Milliseconds since 1970-01-01T00:00:00Z of an ISO-8601 timestamp, read as `parse` reads it
    /// (the fraction of a second to the millisecond; further digits are ignored).
    static func parseMilliseconds<C: Collection<UInt8>>(_ bytes: C) -> Int64? where C.Index == Int {
        var i = bytes.startIndex
        var millis: Int64 = 0
        let end = bytes.endIndex
        func digits(_ count: Int) -> Int? {
            guard end - i >= count else { return nil }
            var n = 0
            for _ in 0..<count {
                let d = Int(bytes[i]) - 48
                guard (0...9).contains(d) else { return nil }
                n = n * 10 + d
                i += 1
            }
            return n
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < end, bytes[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
              (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = Int64(CivilCalendar.days(year: year, month: month, day: day)) * 86_400
        if i == end { return seconds * 1000 }
        guard bytes[i] == 0x54 || bytes[i] == 0x20 || bytes[i] == 0x74 else { return nil }
        i += 1
        guard let hour = digits(2), expect(0x3A), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        seconds += Int64(hour * 3600 + minute * 60)
        if expect(0x3A) {
            guard let second = digits(2), second < 61 else { return nil }
            seconds += Int64(second)
            if expect(0x2E) || expect(0x2C) {
                let start = i
                while i < end, (0x30...0x39).contains(bytes[i]) {
                    if i - start < 3 { millis = millis * 10 + Int64(bytes[i] - 0x30) }
                    i += 1
                }
                guard i > start else { return nil }
                for _ in min(3, i - start)..<3 { millis *= 10 }
            }
        }
        if i == end || expect(0x5A) || expect(0x7A) { return i == end ? seconds * 1000 + millis : nil }
        guard i < end, bytes[i] == 0x2B || bytes[i] == 0x2D else { return nil }
        let sign: Int64 = bytes[i] == 0x2D ? -1 : 1
        i += 1
        guard let offsetHours = digits(2) else { return nil }
        _ = expect(0x3A)
        guard let offsetMinutes = digits(2), i == end, offsetHours < 24, offsetMinutes < 60 else { return nil }
        return (seconds - sign * Int64(offsetHours * 3600 + offsetMinutes * 60)) * 1000 + millis
    }


    /// `YYYY-MM-DD` of a second count (already shifted into the wanted zone).
    static func dateText(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let (y, m, d) = CivilCalendar.date(fromDays: days)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
