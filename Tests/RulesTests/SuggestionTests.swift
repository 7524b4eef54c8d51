import Foundation
import Testing
@testable import Rules

@Suite struct SuggestionTests {
    @Test(arguments: [
        ("warehose", ["warehouse", "customer_code"], "warehouse"),
        ("Custmer.CustomerCode", UnleashedFields.header, "Customer.CustomerCode"),
        ("blok", ["block", "skip"], "block"),
        ("ordre", ["order", "customer"], "order"),
        ("xyz", ["order", "customer"], nil),
    ] as [(String, [String], String?)])
    func closest(word: String, candidates: [String], expected: String?) {
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }

    @Test func candidatesFarOffInLengthAreNeverSuggested() {
        // A huge value (from a settings file) among the ~600 time zones: no suggestion, and no
        // quadratic edit distance against each of them.
        let huge = String(repeating: "Australia/Sydney", count: 50_000)
        #expect(Suggestion.closest(to: huge, among: TimeZone.knownTimeZoneIdentifiers) == nil)
        #expect(Suggestion.closest(to: "Australia/Sydny", among: TimeZone.knownTimeZoneIdentifiers) == "Australia/Sydney")
        #expect(Suggestion.closest(to: "warehouses_code", among: ["warehouse"]) == nil)
    }

    @Test func editDistanceCountsTranspositionsOnce() {
        #expect(Suggestion.editDistance("ab", "ba") == 1)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}
