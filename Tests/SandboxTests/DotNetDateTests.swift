@testable import Sandbox
import Testing
import UnleashedContract

@Suite struct DotNetDateTests {
    @Test(arguments: [
        ("2018-06-07", Int64(1_528_329_600_000)),
        ("2018-06-07T00:00:00", 1_528_329_600_000),
        ("2018-06-07T01:02:03Z", 1_528_333_323_000),
        ("2018-06-07T01:02:03.5", 1_528_333_323_500),
        ("2018-06-07 01:02", 1_528_333_320_000),
        ("2024-02-29", 1_709_164_800_000),
        ("1969-12-31T23:59:59", -1000),
        ("/Date(1528329600000)/", 1_528_329_600_000),
        ("\\/Date(1528329600000)\\/", 1_528_329_600_000),
        ("/Date(1528329600000+1000)/", 1_528_329_600_000),
        ("/Date(-5000)/", -5000),
    ])
    func datesParse(text: String, ms: Int64) {
        #expect(DotNetDate.parseAny(text) == ms)
    }

    @Test(arguments: ["2023-02-29", "2018-13-01", "2018-06-07T24:00", "07/06/2018", "2018-06-07T01:02:03+10:00", "", "/Date(abc)/"])
    func nonsenseIsRefused(text: String) {
        #expect(DotNetDate.parseAny(text) == nil)
    }

    @Test func formatsRoundTrip() {
        #expect(DotNetDate.format(milliseconds: 1_528_329_600_000) == "/Date(1528329600000)/")
        #expect(DotNetDate.iso(milliseconds: 1_528_333_323_500) == "2018-06-07T01:02:03.500Z")
        #expect(DotNetDate.iso(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        for ms: Int64 in [0, 951_782_400_000, 4_107_542_399_999] {
            #expect(DotNetDate.parseISO(DotNetDate.iso(milliseconds: ms).replacingOccurrences(of: "Z", with: "")) == ms)
        }
        #expect(DotNetDate.monthKey(milliseconds: 1_709_164_800_000).key == "2024-02")
        #expect(DotNetDate.monthKey(milliseconds: 1_709_164_800_000).nextMonthStart == 1_709_251_200_000)
    }
}
