import Foundation

/// UTC offsets of time zones, computed with Foundation once per zone and quarter hour of UTC
/// time, then memoised (zone transitions fall on quarter hours).
/// Thread-safe: planning threads share it.
final class ZoneOffsets: @unchecked Sendable {
    /// The process-wide cache.
    static let shared = ZoneOffsets()

    private let lock = NSLock()
    private var zones: [String: TimeZone?] = [:]
    private var offsets: [String: [Int64: Int32]] = [:]

    /// Seconds east of UTC in `zone` at the instant `utc` (seconds since 1970), nil for an unknown zone.
    func offset(zone: String, atUTC utc: Int64) -> Int? {
        let hour = utc >= 0 ? utc / 900 : (utc - 899) / 900
        lock.lock()
        defer { lock.unlock() }
        if let known = offsets[zone]?[hour] { return Int(known) }
        let timeZone: TimeZone?
        if let cached = zones[zone] {
            timeZone = cached
        } else {
            timeZone = TimeZone(identifier: zone)
            zones[zone] = timeZone
        }
        guard let timeZone else { return nil }
        let value = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hour * 900)))
        offsets[zone, default: [:]][hour] = Int32(value)
        return value
    }
}
