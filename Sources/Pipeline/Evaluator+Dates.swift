import Batch
import Rules

extension Evaluator {
    /// `local_date(timestamp, zone)`: `YYYY-MM-DDT00:00:00` of the instant in `zone`.
    /// `"TBA"`, null and "" give null; anything unreadable gives null and a warning.
    func localDate(_ timestamp: Value, _ zone: Value, _ site: ExpressionSite) -> Value {
        guard let seconds = readTimestamp(timestamp, site) else { return .null }
        guard let zoneName = zone.displayText(records), let offset = ZoneOffsets.shared.offset(zone: zoneName, atUTC: seconds) else {
            fail(site, "unknown time zone \(zone.displayText(records).map { "\"\($0)\"" } ?? "null")", code: .badDate)
            return .null
        }
        return inUnleashedRange(seconds + Int64(offset), site, zone: zoneName).map { .text($0 + "T00:00:00") } ?? .null
    }

    /// Unleashed's dates run from 0001-01-01 to 9999-12-31: the date text of `seconds`, or nil
    /// and a warning on the order naming the date and the range.
    private func inUnleashedRange(_ seconds: Int64, _ site: ExpressionSite, zone: String?) -> String? {
        let text = Timestamp.dateText(seconds)
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let year = CivilCalendar.date(fromDays: days).year
        guard (1...9999).contains(year) else {
            let shifted = zone.map { " in \($0)" } ?? " (UTC)"
            fail(site, "the date \(text)\(shifted) is outside the dates Unleashed accepts (0001-01-01 to 9999-12-31)", code: .badDate)
            return nil
        }
        return text
    }

    /// `date(timestamp)`: the UTC date `YYYY-MM-DD`.
    func utcDate(_ timestamp: Value, _ site: ExpressionSite) -> Value {
        guard let seconds = readTimestamp(timestamp, site) else { return .null }
        return inUnleashedRange(seconds, site, zone: nil).map(Value.text) ?? .null
    }

    /// Seconds since 1970 of a timestamp value; nil (and a warning unless it is TBA/null/"").
    private func readTimestamp(_ value: Value, _ site: ExpressionSite) -> Int64? {
        var parsed: Int64?
        var shown = ""
        switch value {
        case .null, .omit:
            return nil
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return nil }
            if record.kind(i) == .string {
                let raw = record.rawJSON(i)
                let inner = raw.dropFirst().dropLast()
                if inner.isEmpty || inner.elementsEqual("TBA".utf8) { return nil }
                if !inner.contains(0x5C) {
                    parsed = Timestamp.parse(inner)
                } else if let text = record.string(i) {
                    parsed = Timestamp.parse(Array(text.utf8))
                }
            }
            shown = String(decoding: record.rawJSON(i).prefix(60), as: UTF8.self)
        default:
            if let text = value.textValue(records) {
                let trimmed = text.trimmingSpaces
                if trimmed.isEmpty || trimmed == "TBA" { return nil }
                parsed = Timestamp.parse(Array(trimmed.utf8))
                shown = "\"\(trimmed.prefix(60))\""
            } else {
                shown = value.jsonValue(records).serialized()
            }
        }
        if parsed == nil {
            fail(site, "cannot read \(shown) as an ISO-8601 timestamp", code: .badDate)
        }
        return parsed
    }
}
