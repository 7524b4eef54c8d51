import Testing
import Batch

/// Calendar arithmetic shared by the pipeline (`local_date`) and the sandbox (`/Date(ms)/`).
@Suite struct CivilCalendarTests {
    @Test func knownDates() {
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2019, month: 4, day: 10) == 17_996)
        #expect(CivilCalendar.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.date(fromDays: 17_996) == (2019, 4, 10))
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        var expected = CivilCalendar.days(year: 1800, month: 1, day: 1)
        for year in 1800..<2200 {
            for month in 1...12 {
                for day in 1...CivilCalendar.daysIn(month: month, year: year) {
                    let days = CivilCalendar.days(year: year, month: month, day: day)
                    if days != expected { Issue.record("\(year)-\(month)-\(day) is day \(days), expected \(expected)") }
                    let back = CivilCalendar.date(fromDays: days)
                    if back != (year, month, day) { Issue.record("\(year)-\(month)-\(day) came back as \(back)") }
                    expected += 1
                }
            }
        }
    }

    @Test func leapYears() {
        #expect(CivilCalendar.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilCalendar.daysIn(month: 2, year: 1900) == 28)
        #expect(CivilCalendar.daysIn(month: 2, year: 2000) == 29)
        #expect(CivilCalendar.daysIn(month: 2, year: 2026) == 28)
        #expect(CivilCalendar.daysIn(month: 4, year: 2026) == 30)
    }
}
