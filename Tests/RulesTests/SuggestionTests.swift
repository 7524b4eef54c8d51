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

    @Test func editDistanceCountsTranspositionsOnce() {
        #expect(Suggestion.editDistance("ab", "ba") == 1)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}
