import Testing
@testable import Rules

/// The checker: every structural, declaration, field and transition diagnostic, with its place.
@Suite struct RuleCheckerTests {
    @Test func theFixtureIsClean() {
        let result = Fixture.load(Fixture.rules(""))
        #expect(Fixture.codes(result) == [])
        #expect(result.ruleSet?.settings.map(\.name) == ["timezone", "status", "rate"])
    }

    @Test(arguments: [
        // sections and keys
        ("sale_order: {}\n", ["E101 11:1"]),
        ("transitions:\n  - when: state.pushed\n    doo: skip\n    do: skip\n  - otherwise: true\n    do: create\n", ["E101 13:5"]),
        ("transitions:\n  - when: state.pushed\n", ["W604 12:3", "E102 12:5"]),
        ("transitions: {a: 1}\n", ["E103 11:14"]),
        ("conditions:\n  1bad: order.x\n", ["E105 12:3"]),
        ("conditions:\n  order: order.x == 1\n", ["E106 12:3"]),
        ("conditions:\n  a: b\n  b: c\n  c: a\n", ["E413 12:3", "E413 13:3", "E413 14:3"]),
        ("conditions:\n  a: not a\n", ["E413 12:3"]),
        ("tables:\n  regions: [a, b]\n", ["E103 12:12"]),
        // transitions
        ("transitions:\n  - when: state.pushed\n    do: skp\n  - otherwise: true\n    do: create\n", ["E601 13:9"]),
        ("transitions:\n  - otherwise: true\n    do: create\n  - when: state.pushed\n    do: skip\n", ["E602 14:5"]),
        ("transitions:\n  - when: state.pushed\n    do: skip\n  - when: state . pushed\n    do: create\n  - otherwise: true\n    do: skip\n",
         ["E603 14:11"]),
        ("transitions:\n  - when: order.s == \"on hold\"\n    do: skip\n  - when: order.s == \"onhold\"\n    do: skip\n  - otherwise: true\n    do: create\n",
         []),
        ("transitions:\n  - when: state.pushed\n    do: skip\n", ["W604 12:3"]),
        ("transitions: []\n", ["W604 11:14"]),
        ("transitions:\n  - when: state.pushed\n    otherwise: true\n    do: skip\n", ["W604 12:3", "E605 12:5"]),
        ("transitions:\n  - do: skip\n", ["W604 12:3", "E605 12:5"]),
        ("transitions:\n  - otherwise: false\n    do: skip\n", ["W604 12:3", "E606 12:16"]),
        ("transitions:\n  - otherwise: false\n    do: skip\n  - when: state.pushed\n    do: skip\n  - otherwise: true\n    do: create\n",
         ["E606 12:16"]),
        // supersede
        ("supersede:\n  - when: original.OrderStatus == \"Parked\"\n    set: { OrderStatus: \"Deleted\" }\n  - otherwise: true\n    set: { CustomrRef: original.CustomerRef }\n",
         ["E501 15:12"]),
        ("supersede:\n  - when: line.x\n    set: {}\n  - otherwise: true\n    set: {}\n", ["E406 12:11"]),
        ("supersede:\n  - when: order.x\n    set: {}\n", ["W604 12:3"]),
    ] as [(String, [String])])
    func diagnoses(extra: String, expected: [String]) {
        #expect(Fixture.codes(Fixture.load(Fixture.rules(extra))) == expected)
    }

    /// Conditions on conditions: any depth is accepted unless, written out, the condition would
    /// nest deeper than 256 levels or hold more than 100,000 parts (each c_i uses c_(i-1) twice).
    @Test func aConditionTooLargeWrittenOutIsRefusedAtItsPlace() {
        let doubling = "conditions:\n  c0: order.x == 1\n" + (1...16).map { "  c\($0): c\($0 - 1) or c\($0 - 1)\n" }.joined()
        // c_i has 2^(i+2) - 1 parts: c15 is the first over 100,000.
        #expect(Fixture.codes(Fixture.load(Fixture.rules(doubling))) == ["E418 27:3", "E418 28:3"])
        let chain = "conditions:\n  c0: order.x == 1\n" + (1...2_000).map { "  c\($0): c\($0 - 1)\n" }.joined()
        #expect(Fixture.codes(Fixture.load(Fixture.rules(chain))) == [], "a long chain of plain uses is fine")
    }

    @Test(arguments: [
        ("properties: { warehouse: { tag: w, from: [order, custmer] } }", "E301", "did you mean 'customer'?"),
        ("properties: { warehouse: { tag: w, from: [order, settings.timezon] } }", "E408", "did you mean 'timezone'?"),
        ("properties: { warehouse: { tag: w, from: [] } }", "E302", "write e.g. from: [order, customer]"),
        ("properties: { warehouse: { tag: w, from: [order, order] } }", "W303", nil),
        ("properties: { warehouse: { from: [order] } }", "E102", nil),
        ("properties: { warehouse: { tag: w, from: [order], required: maybe } }", "E103", nil),
    ] as [(String, String, String?)])
    func properties(line: String, code: String, hint: String?) {
        let text = """
        version: 1
        settings: { timezone: { type: timezone, default: UTC } }
        \(line)
        sales_order: { fields: { OrderStatus: "Parked" } }
        """
        let result = Fixture.load(text)
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.diagnostics.first?.hint == hint)
    }

    @Test func onlyConditionsOnACycleAreReported() {
        let uses = ["a": ["b"], "b": ["c", "a"], "c": [], "d": ["a", "d"], "e": ["d"], "f": ["undeclared"]]
        #expect(RuleChecker.onCycles(["a", "b", "c", "d", "e", "f"], uses: uses) == ["a", "b", "d"])
        // A long chain is no cycle; a long cycle is reported at each member, its path shortened.
        let chain = (0..<5000).map { "  c\($0): c\($0 + 1)\n" }.joined() + "  c5000: true\n"
        #expect(Fixture.codes(Fixture.load(Fixture.rules("conditions:\n" + chain))) == [])
        let loop = (0..<40).map { "  c\($0): c\(($0 + 1) % 40)\n" }.joined()
        let result = Fixture.load(Fixture.rules("conditions:\n" + loop))
        #expect(result.diagnostics.count == 40)
        #expect(result.diagnostics.allSatisfy { $0.code == "E413" })
        #expect(result.diagnostics.first?.message
                == "condition 'c0' depends on itself: c0 → c1 → c2 → c3 → c4 → c5 → c6 → c7 → … → c39 → c0")
    }

    @Test func propertyLevelsKeepTheirKinds() throws {
        let text = """
        version: 1
        settings: { fallback: { type: text, default: X } }
        properties: { p: { tag: t, from: [order, customer, settings.fallback, "LIT", 'LIT2'], required: true } }
        sales_order: { fields: { OrderStatus: prop.p } }
        """
        let property = try #require(Fixture.load(text).ruleSet?.properties.first)
        #expect(property.levels == [.order, .customer, .setting("fallback"), .literal("LIT"), .literal("LIT2")])
        #expect(property.required)
        #expect(property.tag == "t")
    }

    @Test(arguments: [
        ("Custmer.CustomerCode: order.x", "E501", "did you mean 'Customer.CustomerCode'?"),
        ("Customer: order.x", "E501", "did you mean 'Customer.CustomerCode'?"),
        ("Total: 1", "E502", nil),
        ("SubTotal: 1", "E502", nil),
        ("SalesOrderLines: 1", "E502", nil),
        ("OrderQuantity: 1", "E501", "'OrderQuantity' is a sales order line field"),
        ("Comments: { a: 1 }", "E103", "nested fields are written with dots on one level: `Customer.CustomerCode: …`"),
        ("Comments:", "E414", "write `null` or `omit` to leave the field out, or a quoted \"\" for empty text"),
    ] as [(String, String, String?)])
    func headerFields(field: String, code: String, hint: String?) {
        let result = Fixture.load("version: 1\nsales_order:\n  fields:\n    \(field)\n")
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.diagnostics.first?.hint == hint)
        #expect(result.diagnostics.first?.location?.line == 4)
    }

    @Test func linesFreightAndTotals() throws {
        let text = """
        version: 1
        sales_order:
          fields: { OrderStatus: "Parked" }
          lines:
            each: order.lineItems
            when: line.quantity > 0
            fields:
              Product.ProductCode: line.SKU
              OrderQuantity: line.quantity
              LineTotal: 1
            tax_rate: 0.1
            required: [Product.ProductCode, UnitPrice, Bogus]
          freight:
            when: line.x > 0
            fields: { UnitPrice: order.freight }
            tax_rate: 0.1
          totals: { places: 9, rounding: half_uup, compare_to: decimal(order.total) }
        """
        let result = Fixture.load(text)
        #expect(Fixture.codes(result) == ["E502 10:7", "E503 12:37", "E501 12:48", "E406 14:11", "W505 17:21", "W505 17:34"])
        #expect(result.diagnostics.last?.message.contains("to the cent, rounding half-up") == true)
        #expect(result.diagnostics.last?.hint?.hasPrefix("remove `rounding`") == true)
    }

    @Test func aCompleteSalesOrderBuildsTheAST() throws {
        let text = """
        version: 1
        sales_order:
          fields: { OrderStatus: "Parked", Customer.CustomerCode: order.code }
          lines:
            each: order.lineItems
            fields: { Product.ProductCode: line.SKU, OrderQuantity: line.quantity, UnitPrice: decimal(line.price) }
            tax_rate: >-
              line.taxable == false ? 0 : 0.1
            required: [Product.ProductCode]
          freight: { when: order.freight > 0, fields: { UnitPrice: order.freight }, tax_rate: 0.1 }
          totals: { compare_to: decimal(order.total) }
        """
        let result = Fixture.load(text)
        #expect(result.diagnostics.isEmpty, "\(result.render(color: false))")
        let order = try #require(result.ruleSet?.salesOrder)
        #expect(order.fields.map(\.dottedPath) == ["OrderStatus", "Customer.CustomerCode"])
        #expect(order.fields.first.map { ExpressionDump.dump($0.expression) } == "\"Parked\"")
        #expect(order.lines?.required == ["Product.ProductCode"])
        #expect(order.lines.map { ExpressionDump.dump($0.taxRate) } == "(? (== line.taxable false) 0 0.1)")
        #expect(order.lines?.taxRate.location.line == 8)
        #expect(order.freight != nil)
        #expect(order.totals.compareTo != nil)
    }

    @Test func sectionsMayBeSplitAcrossFilesButNotRepeated() {
        let a = ("a.yaml", "version: 1\nsales_order: { fields: { OrderStatus: \"Parked\" } }\n")
        let b = ("b.yaml", "transitions:\n  - otherwise: true\n    do: create\n")
        let c = ("c.yaml", "transitions:\n  - otherwise: true\n    do: skip\n")
        let ok = RuleLoader.load(files: [a, b])
        #expect(ok.diagnostics.isEmpty)
        #expect(ok.ruleSet?.transitions.map(\.action) == [.create])
        #expect(ok.ruleSet?.files == ["a.yaml", "b.yaml"])
        let repeated = RuleLoader.load(files: [a, b, c])
        #expect(repeated.diagnostics.map { "\($0.code) \($0.location?.description ?? "")" } == ["E009 c.yaml:1:1"])
    }

    @Test func versionAndEmptyRules() {
        #expect(Fixture.codes(Fixture.load("version: 2\nsales_order: { fields: {} }\n")) == ["E104 1:10"])
        #expect(Fixture.codes(Fixture.load("sales_order: { fields: {} }\n")) == ["E104 1:1"])
        #expect(Fixture.codes(Fixture.load("version: 1\n")) == ["E102 1:1"])
        #expect(Fixture.codes(RuleLoader.load(files: [])) == ["E008 -"])
    }

    @Test func malformedFilesDoNotCascade() {
        let result = Fixture.load("version: 1\nsales_order:\n  fields:\n    OrderNumber: a ? b : c\n", settings: [("s.yaml", "unknown: 1\n")])
        #expect(result.diagnostics.map(\.code) == ["E003"])
    }

    @Test func diagnosticsComeInFileOrder() {
        let a = ("a.yaml", "version: 1\nsales_order:\n  fields:\n    Bad1: 1\n    OrderStatus: ordr\n")
        let b = ("b.yaml", "transitions:\n  - when: nope\n    do: skip\n")
        let result = RuleLoader.load(files: [a, b])
        #expect(result.diagnostics.map { "\($0.code) \($0.location?.description ?? "")" }
                == ["E501 a.yaml:4:5", "E402 a.yaml:5:18", "W604 b.yaml:2:3", "E402 b.yaml:2:11"])
        #expect(result.summary == "3 errors, 1 warning")
    }
}

/// Mistakes that are legal YAML and legal expressions but almost surely not what was meant.
@Suite struct RuleCheckerWarningTests {
    @Test func quotedConditionsAreLiteralText() {
        let result = Fixture.load(Fixture.rules("transitions:\n  - when: \"state.pushed\"\n    do: skip\n  - otherwise: true\n    do: create\n"))
        #expect(Fixture.codes(result) == ["W416 12:11"])
        #expect(result.ruleSet != nil)
        #expect(result.summary == "rules OK: 1 file, 1 property, 2 transitions (1 warning)")
    }

    @Test func longOperatorChainsCountAsNesting() {
        let chain = Array(repeating: "order.a", count: 70).joined(separator: " + ")
        #expect(Fixture.problems(chain) == ["E412@10"])
        let fine = Array(repeating: "order.a", count: 30).joined(separator: " + ")
        #expect(Fixture.problems(fine).isEmpty)
    }
}

/// What can be known about field values before any order is read.
@Suite struct FieldValueTests {
    @Test(arguments: [
        ("ExchangeRate: \"1\"", "E405", "remove the quotes to write a number"),
        ("TaxRate: settings.status", "E405", "convert text with decimal(…)"),
        ("Tax.TaxRate: state.pushed", "E405", nil),
        ("OrderStatus: \"Parkd\"", "W417", "did you mean 'Parked'?"),
        ("OrderStatus: \"Shipped\"", "W417", "statuses: Parked, Placed, Backordered, Completed, Deleted (custom statuses extend Parked)"),
    ] as [(String, String, String?)])
    func headerValues(field: String, code: String, hint: String?) {
        let text = Fixture.rules("").replacingOccurrences(of: "    Customer.CustomerCode: order.code\n", with: "    \(field)\n")
        let result = Fixture.load(text)
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.diagnostics.first?.hint == hint)
    }

    @Test func rateAndListChecks() {
        let text = """
        version: 1
        sales_order:
          fields: { OrderStatus: "Parked", ExchangeRate: 1, TaxRate: decimal(order.rate) }
          lines:
            each: order.number + "x"
            fields: { OrderQuantity: line.quantity, UnitPrice: "ten" }
            tax_rate: "0.1"
          freight: { when: true, fields: { UnitPrice: 1 }, tax_rate: true }
          totals: { compare_to: "total" }
        """
        #expect(Fixture.codes(Fixture.load(text)) == ["E405 5:24", "E405 6:56", "E405 7:15", "E405 8:62", "E405 9:25"])
    }
}
