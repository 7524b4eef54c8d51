import Testing
@testable import Rules

/// The expression grammar: precedence, associativity, every operator and literal, and paths.
@Suite struct ExpressionParserTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("10 - 4 - 3", "(- (- 10 4) 3)"),
        ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
        ("-2 * 3", "(* -2 3)"),
        ("- order.x * 3", "(* (- order.x) 3)"),
        ("1 + 2 == 3", "(== (+ 1 2) 3)"),
        ("not order.a == 1", "(not (== order.a 1))"),
        ("not not order.a", "(not (not order.a))"),
        ("order.a and order.b or order.c", "(or (and order.a order.b) order.c)"),
        ("order.a or order.b and order.c", "(or order.a (and order.b order.c))"),
        ("order.a ?? order.b or order.c", "(?? order.a (or order.b order.c))"),
        ("order.a ?? order.b ?? 1", "(?? (?? order.a order.b) 1)"),
        ("order.c ? order.a ?? 1 : omit", "(? order.c (?? order.a 1) omit)"),
        ("order.a ? 1 : order.b ? 2 : 3", "(? order.a 1 (? order.b 2 3))"),
        ("order.a ? order.b ? 1 : 2 : 3", "(? order.a (? order.b 1 2) 3)"),
        ("order.x != 1", "(!= order.x 1)"),
        ("order.x < 1", "(< order.x 1)"),
        ("order.x <= 1", "(<= order.x 1)"),
        ("order.x > 1", "(> order.x 1)"),
        ("order.x >= 1", "(>= order.x 1)"),
        ("\"a\" + 'b'", "(+ \"a\" \"b\")"),
        ("true", "true"), ("false", "false"), ("null", "null"), ("omit", "omit"),
        ("28.7900", "28.7900"),
        ("'it\\'s'", "\"it's\""),
        ("order.lineItems[0].product[\"SKU\"]", "order.lineItems[0].product.SKU"),
        ("customer.retailerAddress.street1", "customer.retailerAddress.street1"),
        ("prop.warehouse", "prop.warehouse"),
        ("settings.timezone", "settings.timezone"),
        ("state.changed_in_unleashed", "state.changed_in_unleashed"),
        ("cancelled and not state.pushed", "(and @cancelled (not state.pushed))"),
        ("local_date(order.deliveryDate, settings.timezone)", "local_date(order.deliveryDate, settings.timezone)"),
        ("concat(order.a, \"-\", order.b)", "concat(order.a, \"-\", order.b)"),
        ("lookup(\"regions\", order.state, \"NSW\")", "lookup(\"regions\", order.state, \"NSW\")"),
        ("round(decimal(order.total) * settings.tax_rate, 2)", "round((* decimal(order.total) settings.tax_rate), 2)"),
    ])
    func parsesTo(text: String, tree: String) {
        #expect(Fixture.tree(text) == tree, "\(Fixture.problems(text))")
    }

    @Test func nodesKeepTheirColumns() throws {
        let (parsed, problems) = ExpressionParser.parse("order.a + 12", location: Fixture.at, scope: Fixture.scope)
        #expect(problems.isEmpty)
        let e = try #require(parsed)
        #expect(e.location.column == 18)  // '+' at offset 8, the expression at column 10
        guard case .binary(_, let left, let right) = e.kind else {
            Issue.record("not a binary node: \(ExpressionDump.dump(e))")
            return
        }
        #expect(left.location.column == 10)
        #expect(right.location.column == 20)
        #expect(right.text == "order.a + 12")
    }

    @Test(arguments: [
        ("order.a +", "E401@19"),
        ("(order.a", "E401@18"),
        ("order.a = 1", "E401@18"),
        ("order.a ! 1", "E401@18"),
        ("1 < 2 < 3", "E401@16"),
        ("order.a ? 1", "E401@21"),
        ("\"open", "E401@10"),
        ("'bad \\q'", "E401@15"),
        ("12abc", "E401@12"),
        ("order.a b", "E401@18"),
        ("order.[0]", "E401@16"),
        ("lower(\"a\").x", "E401@20"),
        ("order[-1]", "E401@16"),
        ("and", "E401@10"),
        ("", "E414@10"),
        ("   ", "E414@10"),
    ])
    func syntaxErrorsPointAtTheirColumn(text: String, expected: String) {
        #expect(Fixture.problems(text) == [expected])
    }

    @Test(arguments: [
        ("ordr.x", "E402@10"),
        ("frobnicate(1)", "E403@10"),
        ("round(1)", "E404@10"),
        ("lookup(\"regions\")", "E404@10"),
        ("prop.warehose", "E407@15"),
        ("prop", "E407@10"),
        ("settings.timezon", "E408@19"),
        ("state.pushd", "E409@16"),
        ("line.SKU", "E406@10"),
        ("original.CustomerRef", "E406@10"),
        ("lookup(\"region\", 1)", "E410@17"),
        ("local_date(order.x, \"Mars/Olympus\")", "E204@30"),
        ("99999999999999999999999999999999999999999999", "E415@10"),
    ])
    func nameErrors(text: String, expected: String) {
        #expect(Fixture.problems(text) == [expected])
    }

    @Test func suggestionsNameTheClosestCandidate() {
        let (_, problems) = ExpressionParser.parse("prop.warehose ?? ordr.x ?? roud(1, 2)", location: Fixture.at, scope: Fixture.scope)
        #expect(problems.map(\.hint) == ["did you mean 'warehouse'?", "did you mean 'order'?", "did you mean 'round'?"])
    }

    @Test func namesThatAreSomethingElseGetAPointer() {
        let (_, problems) = ExpressionParser.parse("pushed or warehouse or timezone", location: Fixture.at, scope: Fixture.scope)
        #expect(problems.map(\.hint) == ["did you mean 'state.pushed'?", "did you mean 'prop.warehouse'?", "did you mean 'settings.timezone'?"])
    }

    @Test func lineAndOriginalAreAllowedWhereTheScopeSaysSo() {
        #expect(Fixture.tree("line.SKU", scope: Fixture.scope.allowing(.line)) == "line.SKU")
        #expect(Fixture.tree("original.CustomerRef + \" DELETED\"", scope: Fixture.scope.allowing(.original))
                == "(+ original.CustomerRef \" DELETED\")")
    }

    @Test func everyUnknownNameIsReportedInOnePass() {
        #expect(Fixture.problems("ordr.a + custmer.b + prop.x") == ["E402@10", "E402@19", "E407@36"])
    }

    @Test func limits() {
        let long = String(repeating: "1 + ", count: 1100) + "1"
        #expect(Fixture.problems(long) == ["E411@10"])
        let deep = String(repeating: "(", count: 70) + "1" + String(repeating: ")", count: 70)
        #expect(Fixture.problems(deep).first?.hasPrefix("E412") == true)
        let nested = String(repeating: "(", count: 60) + "1" + String(repeating: ")", count: 60)
        #expect(Fixture.tree(nested) == "1")
    }
}
