import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// A hostile rule file is bounded in time and memory (issue 11, docs/rules.md §10): text that
/// would grow past 1 MiB is refused before it is built, one order's text is capped at 64 MiB,
/// and the rule language has no way to read a file, reach the network or run code.
@Suite struct HostileRuleTests {
    /// `replace` nested `levels` deep, each level turning every "a" into ten: 10^levels bytes if built.
    static func explosion(levels: Int, from seed: String = "\"a\"") -> String {
        var expression = seed
        for _ in 0..<levels { expression = "replace(\(expression), \"a\", \"aaaaaaaaaa\")" }
        return expression
    }

    @Test func textThatWouldGrowTenfoldTwelveTimesIsRefusedBeforeItIsBuilt() throws {
        let started = ContinuousClock.now
        let (value, problems) = try Evaluate.value(Self.explosion(levels: 12))
        #expect(value == nil, "the field is left empty")
        let problem = try #require(problems.first { $0.message.contains("over the limit of 1048576 bytes") })
        #expect(problem.code == .expression)
        #expect(problem.field == "Comments")
        #expect(problem.message.contains("replace would make a text of 1000000 bytes") == false, "1e6 bytes is within the cap")
        #expect(problem.message.contains("replace would make a text of 10000000 bytes"), "\(problem.message)")
        // Not a timing assertion on the product: a loose watchdog, so a regression (building
        // 10^12 bytes) fails here rather than eating the machine.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func textWithinTheCapIsMadeAsWritten() throws {
        let (value, problems) = try Evaluate.value(Self.explosion(levels: 3))
        #expect(problems.isEmpty, "\(problems)")
        #expect(value?.stringValue?.count == 1_000)
    }

    @Test func anOrdersTextIsCappedAt64MiBInAll() throws {
        // Each field makes 20 texts of 10^6 bytes (within the cap, cut to 10 characters): 20 MB a
        // field, 100 MB over five fields; an expression is at most 4,096 characters, so more text
        // needs more fields.
        let part = "truncate(\(Self.explosion(levels: 6, from: "order.x")), 10)"   // from the order: nothing folds at compile time
        let field = "concat(" + Array(repeating: part, count: 20).joined(separator: ", ") + ")"
        let names = ["Comments", "DeliveryName", "DeliveryStreetAddress", "DeliverySuburb", "DeliveryCity"]
        let rules = "version: 1\nsales_order:\n  fields:\n" + names.map { "    \($0): >-\n      \(field)\n" }.joined()
            + "transitions:\n  - otherwise: true\n    do: create\n"
        let pipeline = try Fixtures.pipeline(rules)
        let plan = pipeline.plan(try Fixtures.record(#"{"id":"o1","orderNumber":"OM1","x":"a"}"#))
        let spent = plan.problems.filter { $0.message.contains("more than 64 MiB of text for this order") }
        #expect(spent.count == 1, "said once: \(plan.problems.map(\.message))")
        #expect(plan.payload.jsonValue["Comments"]?.stringValue?.count == 200, "the first fields are made as written")
        #expect(plan.payload.jsonValue["DeliveryCity"] == nil, "the field past the budget is left empty")
    }

    @Test func joinAndConcatAreCappedToo() throws {
        let big = "replace(\"\(String(repeating: "d", count: 1_000))\", \"d\", \"\(String(repeating: "e", count: 600))\")"
        let (concatValue, concatProblems) = try Evaluate.value("concat(\(big), \(big))")
        #expect(concatValue == nil)
        #expect(concatProblems.contains { $0.message.contains("concat would make a text of 1200000 bytes") }, "\(concatProblems.map(\.message))")
    }

    @Test(arguments: ["read_file(\"/etc/passwd\")", "exec(\"id\")", "http_get(\"http://example.com\")", "env(\"UNLEASHED_API_KEY\")"])
    func noFunctionReachesOutsideTheOrder(_ expression: String) throws {
        let loaded = RuleLoader.load(files: [(path: "test.yaml", text: Evaluate.rules(expression))])
        #expect(loaded.hasErrors, "\(expression) is refused at check time")
        let name = String(expression.prefix { $0 != "(" })
        let shown = loaded.render(color: false)
        #expect(shown.contains("unknown function") && shown.contains(name), "\(shown)")
    }
}
