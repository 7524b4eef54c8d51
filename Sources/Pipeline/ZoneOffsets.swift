import Foundation
import Synchronization

/// UTC offsets of time zones, computed with Foundation once per zone and quarter hour of UTC
/// time, then memoised (zone transitions fall on quarter hours).
///
/// One cache per compiled pipeline, not one for the process: `omsync preview` gives each
/// planning worker a pipeline of its own, so a worker's `local_date` never waits for another's
/// (the lock is uncontended there); the push stage's tasks share their one pipeline's cache.
final class ZoneOffsets: Sendable {
    private struct Cache {
        var zones: [String: TimeZone?] = [:]
        var offsets: [String: [Int64: Int32]] = [:]
    }

    private let cache = Mutex(Cache())

    /// An empty cache.
    init() {}

    /// Seconds east of UTC in `zone` at the instant `utc` (seconds since 1970), nil for an unknown zone.
    func offset(zone: String, atUTC utc: Int64) -> Int? {
        let quarter = utc >= 0 ? utc / 900 : (utc - 899) / 900
        return cache.withLock { cache in
            if let known = cache.offsets[zone]?[quarter] { return Int(known) }
            let timeZone: TimeZone?
            if let cached = cache.zones[zone] {
                timeZone = cached
            } else {
                timeZone = TimeZone(identifier: zone)
                cache.zones[zone] = timeZone
            }
            guard let timeZone else { return nil }
            let value = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(quarter * 900)))
            cache.offsets[zone, default: [:]][quarter] = Int32(value)
            return value
        }
    }
}
