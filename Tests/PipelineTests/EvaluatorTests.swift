import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// The expression language at run time: operators, null tolerance, truthiness, functions.
@Suite struct EvaluatorTests {
    static let order = #"{"id":"o1","orderNumber":"OM1","status":"Placed","n":3,"price":"28.7900","zero":0,"#
        + #""text":"abc","empty":"","list":[1,2,3],"obj":{"a":{"b":"deep"}},"flag":true,"none":null,"#
        + #""lines":[{"q":2},{"q":5}],"ts":"2019-04-09T14:00:00.000Z"}"#

    @Test(arguments: [
        ("order.n + 2", "5"),
        ("order.n - 5", "-2"),
        ("order.n * decimal(order.price)", "86.3700"),
        ("10 / 4", "2.5"),
        ("1 / 3", "0.333333333333"),
        ("-order.n", "-3"),
        ("order.text + \"-\" + order.n", "\"abc-3\""),
        ("order.text + order.missing", "\"abc\""),
        ("order.n == 3", "true"),
        ("order.n == 3.00", "true"),
        ("order.n != 3", "false"),
        ("order.status == \"Placed\"", "true"),
        ("order.status != \"Placed\"", "false"),
        ("order.n < 4", "true"),
        ("order.n <= 3", "true"),
        ("order.n > 3", "false"),
        ("order.n >= 3", "true"),
        ("order.text < \"abd\"", "true"),
        ("order.flag and order.n", "true"),
        ("order.flag and order.zero", "false"),
        ("order.zero or order.text", "true"),
        ("not order.empty", "true"),
        ("not order.list", "false"),
        ("order.none ?? \"fallback\"", "\"fallback\""),
        ("order.empty ?? \"fallback\"", "\"\""),
        ("order.flag ? \"yes\" : \"no\"", "\"yes\""),
        ("order.empty ? \"yes\" : \"no\"", "\"no\""),
        ("order.obj.a.b", "\"deep\""),
        ("order.obj[\"a\"].b", "\"deep\""),
        ("order.lines[1].q", "5"),
        ("order.lines[7].q", "null"),
        ("order.missing.deeper.still", "null"),
        ("settings.label", "\"Hello\""),
        ("settings.rate * 2", "0.2"),
    ])
    func operators(_ expression: String, _ expected: String) throws {
        #expect(try Evaluate.json(expression, order: Self.order) == expected)
    }

    @Test(arguments: [
        ("order.none + 1", "null"),
        ("order.none * 2", "null"),
        ("order.none < 3", "null"),
        ("-order.none", "null"),
        ("order.none == order.missing", "true"),
        ("order.none == 0", "false"),
        ("order.none == \"\"", "false"),
    ])
    func nullTolerance(_ expression: String, _ expected: String) throws {
        let (value, problems) = try Evaluate.value(expression, order: Self.order)
        #expect((value?.serialized() ?? "null") == expected)
        #expect(problems.isEmpty)
    }

    @Test(arguments: [
        ("order.text * 2", "cannot multiply text and number"),
        ("order.flag - 1", "cannot subtract bool and number"),
        ("order.n / order.zero", "division by zero"),
        ("order.text < order.n", "cannot compare text with number"),
        ("-order.text", "cannot negate text"),
    ])
    func runtimeErrorsBecomeNullAndAProblem(_ expression: String, _ message: String) throws {
        let (value, problems) = try Evaluate.value(expression, order: Self.order)
        #expect(value == nil)
        let problem = try #require(problems.first)
        #expect(problem.code == .expression)
        #expect(problem.field == "Comments")
        #expect(problem.message.contains(message), "\(problem.message)")
        #expect(!problem.message.contains("order OM1"), "the renderer names the order: \(problem.message)")
        #expect(problem.message.contains("test.yaml:"), "names the rule location: \(problem.message)")
        let rule = try #require(problem.rule, "the problem carries the expression's location")
        #expect(rule.file == "test.yaml" && problem.message.contains("at \(rule)"), "\(rule) in \(problem.message)")
    }

    @Test(arguments: [
        ("text(order.n)", "\"3\""),
        ("text(decimal(order.price))", "\"28.7900\""),
        ("lower(\"AbC\")", "\"abc\""),
        ("upper(order.text)", "\"ABC\""),
        ("trim(\"  x y \")", "\"x y\""),
        ("concat(order.text, order.none, 1)", "\"abc1\""),
        ("substr(\"abcdef\", 1, 3)", "\"bcd\""),
        ("substr(\"abc\", 2, 10)", "\"c\""),
        ("substr(\"abc\", 1, 9223372036854775807)", "\"bc\""),
        ("substr(\"abc\", 9223372036854775807, 9223372036854775807)", "\"\""),
        ("truncate(\"abcdef\", 4)", "\"abcd\""),
        ("truncate(order.text, 10)", "\"abc\""),
        ("replace(\"a-b-c\", \"-\", \"+\")", "\"a+b+c\""),
        ("length(order.text)", "3"),
        ("length(order.list)", "3"),
        ("length(order.obj)", "1"),
        ("nonempty(order.empty) ?? \"x\"", "\"x\""),
        ("nonempty(order.text)", "\"abc\""),
        ("join(order.list, \"/\")", "\"1/2/3\""),
        ("decimal(order.price)", "28.7900"),
        ("decimal(order.text)", "null"),
        ("round(2.345, 2)", "2.35"),
        ("round(-2.345, 2)", "-2.35"),
        ("round_even(2.345, 2)", "2.34"),
        ("abs(-4.5)", "4.5"),
        ("min(3, 1, 2)", "1"),
        ("max(order.list)", "3"),
        ("sum(order.list)", "6"),
        ("local_date(order.ts, settings.zone)", "\"2019-04-10T00:00:00\""),
        ("local_date(\"TBA\", settings.zone)", "null"),
        ("local_date(order.none, settings.zone)", "null"),
        ("local_date(\"\", settings.zone)", "null"),
        ("date(order.ts)", "\"2019-04-09\""),
        ("lookup(\"codes\", \"a\")", "\"A1\""),
        ("lookup(\"codes\", \"z\", \"none\")", "\"none\""),
        ("exists(order.none)", "false"),
        ("exists(order.empty)", "true"),
        ("empty(order.empty)", "true"),
        ("empty(order.list)", "false"),
        ("contains(order.text, \"bc\")", "true"),
        ("contains(order.list, 2)", "true"),
        ("contains(order.list, 9)", "false"),
        ("starts_with(order.text, \"ab\")", "true"),
        ("warehouse_exists(\"OM_DELETE\")", "false"),
        ("coalesce(order.none, order.missing, \"third\")", "\"third\""),
    ])
    func functions(_ expression: String, _ expected: String) throws {
        let (value, problems) = try Evaluate.value(expression, order: Self.order)
        #expect((value?.serialized() ?? "null") == expected)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func unreadableTimestampIsNullWithAWarning() throws {
        let (value, problems) = try Evaluate.value("local_date(order.ts, settings.zone)", order: #"{"id":"o9","orderNumber":"OM9","ts":"next tuesday"}"#)
        #expect(value == nil)
        let problem = try #require(problems.first)
        #expect(problem.severity == .warning)
        #expect(problem.code == .badDate)
        #expect(problem.message.contains("next tuesday"))
    }

    // Issue 7, item 5: a count argument that has a value but is not a whole number ≥ 0 gives
    // null and an E-EXPR problem naming the function, the argument, the value and the rule line,
    // the same for every function that takes one.
    @Test(arguments: [
        ("truncate(order.text, order.minus)", "argument 2 of truncate is -1, but a length must be a whole number ≥ 0"),
        ("truncate(order.text, order.half)", "argument 2 of truncate is 2.5, but a length must be a whole number ≥ 0"),
        ("truncate(order.text, order.word)", "argument 2 of truncate is \"ten\", but a length must be a whole number ≥ 0"),
        ("substr(order.text, order.minus, 2)", "argument 2 of substr is -1, but a start must be a whole number ≥ 0"),
        ("substr(order.text, 0, order.half)", "argument 3 of substr is 2.5, but a length must be a whole number ≥ 0"),
        ("round(order.price, order.minus)", "argument 2 of round is -1, but decimal places must be a whole number from 0 to 38"),
        ("round_even(order.price, order.big)", "argument 2 of round_even is 99, but decimal places must be a whole number from 0 to 38"),
    ])
    func aBadCountArgumentIsNullAndAProblemNamingTheRule(_ expression: String, _ message: String) throws {
        let order = #"{"id":"o9","orderNumber":"OM9","text":"abcdef","price":"2.345","minus":-1,"half":2.5,"word":"ten","big":99}"#
        let (value, problems) = try Evaluate.value(expression, order: order)
        #expect(value == nil, "bad input gives null, never the whole text")
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.code == .expression)
        #expect(problem.severity == .error)
        #expect(problem.field == "Comments")
        #expect(problem.message.contains(message), "\(problem.message)")
        #expect(problem.message.contains("at test.yaml:"), "names the rule line: \(problem.message)")
    }

    @Test func aNullCountArgumentIsNullQuietly() throws {
        let (value, problems) = try Evaluate.value("truncate(order.text, order.none)", order: #"{"id":"o9","orderNumber":"OM9","text":"abc"}"#)
        #expect(value == nil)
        #expect(problems.isEmpty, "null in, null out: \(problems)")
    }

    // Issue 7, item 6: Unleashed's dates run from 0001-01-01 to 9999-12-31, after the zone shift.
    @Test(arguments: [
        ("local_date(order.ts, settings.zone)", #""9999-12-31T20:00:00Z""#, "the date 10000-01-01 in Australia/Sydney is outside"),
        ("local_date(order.ts, \"America/New_York\")", #""0001-01-01T02:00:00Z""#, "the date 0000-12-31 in America/New_York is outside"),
        ("date(order.ts)", #""+10000-01-01T00:00:00Z""#, nil),
    ] as [(String, String, String?)])
    func aDateOutsideUnleashedsRangeIsFlagged(_ expression: String, _ ts: String, _ message: String?) throws {
        let (value, problems) = try Evaluate.value(expression, order: #"{"id":"o9","orderNumber":"OM9","ts":\#(ts)}"#)
        #expect(value == nil, "no 10000-01-01 or 0000-12-31 reaches the payload")
        let problem = try #require(problems.first)
        #expect(problem.code == .badDate)
        if let message { #expect(problem.message.contains(message), "\(problem.message)") }
    }

    @Test func theLastAndFirstDatesUnleashedAcceptsPass() throws {
        let (last, p1) = try Evaluate.value("local_date(order.ts, settings.zone)", order: #"{"id":"o9","orderNumber":"OM9","ts":"9999-12-31T10:00:00Z"}"#)
        #expect(last?.stringValue == "9999-12-31T00:00:00")
        #expect(p1.isEmpty)
        let (first, p2) = try Evaluate.value("date(order.ts)", order: #"{"id":"o9","orderNumber":"OM9","ts":"0001-01-01T00:00:00Z"}"#)
        #expect(first?.stringValue == "0001-01-01")
        #expect(p2.isEmpty)
    }

    @Test func omitLeavesTheFieldOut() throws {
        let (value, problems) = try Evaluate.value("order.flag ? omit : \"kept\"", order: Self.order)
        #expect(value == nil)
        #expect(problems.isEmpty)
    }
}
