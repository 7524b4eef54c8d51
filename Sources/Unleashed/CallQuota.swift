import Foundation

/// Our own monthly call budget (`--quota`): the client refuses, before sending, a call that would
/// take `usedBefore + calls sent` beyond `limit`.
public struct CallQuota: Sendable, Hashable {
    /// Calls allowed this month.
    public var limit: Int
    /// Calls already used this month before this client started (from the ledger).
    public var usedBefore: Int

    /// A budget of `limit` calls of which `usedBefore` are spent.
    public init(limit: Int, usedBefore: Int = 0) {
        self.limit = limit
        self.usedBefore = usedBefore
    }

    /// 00:00 UTC on the 1st of the month after `date`: when Unleashed's monthly quota (and ours) resets.
    public static func resetDate(after date: Date) -> Date {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let next = DotNetDate.monthKey(milliseconds: ms).nextMonthStart
        return Date(timeIntervalSince1970: TimeInterval(next) / 1000)
    }
}
