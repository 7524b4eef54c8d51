import Batch
import Foundation
@testable import Pipeline
import Testing

/// Timestamps read by hand, and local dates through the memoised zone offsets.
@Suite struct LocalDateTests {
    /// One memo, as a pipeline holds it.
    let zones = ZoneOffsets()

    @Test(arguments: [
        ("2019-04-09T14:00:00.000Z", "2019-04-10"),     // local midnight in Sydney written in UTC
        ("2019-01-09T13:00:00Z", "2019-01-10"),         // daylight saving (+11)
        ("2019-01-09T12:59:59Z", "2019-01-09"),
        ("2019-04-06T15:59:59Z", "2019-04-07"),         // the night daylight saving ends
        ("2019-04-06T13:00:00Z", "2019-04-07"),
        ("2019-04-10T00:00:00+10:00", "2019-04-10"),
        ("2019-04-10T00:00+1000", "2019-04-10"),
        ("2019-04-10", "2019-04-10"),
        ("2020-02-29T12:00:00Z", "2020-02-29"),
    ])
    func sydney(_ timestamp: String, _ date: String) throws {
        let seconds = try #require(Timestamp.parse(Array(timestamp.utf8)))
        let offset = try #require(zones.offset(zone: "Australia/Sydney", atUTC: seconds))
        #expect(Timestamp.dateText(seconds + Int64(offset)) == date)
    }

    @Test(arguments: ["", "TBA", "2019-02-30T00:00:00Z", "2019-04-09T25:00:00Z", "2019-04-09T14:00:00.Z",
                      "2019-04-09T14:00:00ZZ", "next tuesday", "2019-4-9"])
    func unreadable(_ text: String) {
        #expect(Timestamp.parse(Array(text.utf8)) == nil)
    }

    @Test func epochArithmetic() throws {
        #expect(Timestamp.parse(Array("1970-01-01T00:00:00Z".utf8)) == 0)
        #expect(Timestamp.parse(Array("2000-03-01T00:00:00Z".utf8)) == 951_868_800)
        #expect(Timestamp.dateText(-1) == "1969-12-31")
    }

    @Test func unknownZoneIsNil() {
        #expect(zones.offset(zone: "Mars/Olympus", atUTC: 0) == nil)
    }

    @Test func offsetsAreConsistentAcrossThreads() async {
        let base: Int64 = 1_554_076_800  // 2019-04-01, before daylight saving ends on 7 April
        let zones = self.zones  // shared by every task: the memo is safe across threads
        let results = await withTaskGroup(of: [Int?].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).map { zones.offset(zone: "Australia/Sydney", atUTC: base + Int64($0) * 3_600) } }
            }
            var all: [[Int?]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(Set(results.map { $0.map { $0 ?? 0 } }).count == 1)
        #expect(results.first?.contains(36_000) == true)
        #expect(results.first?.contains(39_600) == true)
    }
}
