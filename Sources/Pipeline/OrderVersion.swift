import Batch

/// Which copy of an order is the newer: the rules' `order_version` (the shipped rules:
/// `order.updatedAt`, which Ordermentum bumps on every change), read as an ISO-8601 timestamp
/// to the millisecond. Exports overlap and deliveries arrive out of order, so the newest version
/// of an order is the one that counts (`state.stale` for every older copy).
public struct OrderVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// The version a timestamp's text holds, nil when it is not an ISO-8601 timestamp.
    public init?(parsing text: String) {
        guard let ms = Timestamp.parseMilliseconds(Array(text.utf8)) else { return nil }
        milliseconds = ms
    }

    public static func < (a: OrderVersion, b: OrderVersion) -> Bool { a.milliseconds < b.milliseconds }

    /// `2026-05-01T05:00:00.000Z` (UTC, to the millisecond), as messages and the ledger show it.
    public var description: String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let ms = Int(milliseconds - seconds * 1000)
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = Int(seconds - day * 86_400)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(Timestamp.dateText(seconds))T\(pad(inDay / 3600, 2)):\(pad(inDay / 60 % 60, 2)):\(pad(inDay % 60, 2)).\(pad(ms, 3))Z"
    }

    /// What a copy of an order says of its version.
    public enum Reading: Sendable, Hashable {
        /// The rules declare no `order_version`.
        case undeclared
        /// The rules declare one; this copy has none usable (`text`: what it has instead, nil when nothing).
        case unusable(String?)
        case version(OrderVersion)

        /// The version, when the copy has a usable one.
        public var version: OrderVersion? {
            if case .version(let version) = self { return version }
            return nil
        }
    }
}
