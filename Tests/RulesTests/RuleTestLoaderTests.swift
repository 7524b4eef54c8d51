import Batch
import TestSupport
import Testing
@testable import Rules

/// Rule test files: base inputs merged into each case, expectations, and their diagnostics.
@Suite struct RuleTestLoaderTests {
    static let file = """
    base:
      order:
        id: o-1
        total: 95.01
        price: "28.7900"
        properties: { unleashed_customer_code: ACME, unleashed_warehouse: SYD }
        lineItems: [ { SKU: A, quantity: 3 } ]
      settings: { sync_order_number: true }
    tests:
      - name: inherits the base
        expect: { action: create, no_problems: true }
      - name: merges objects deeply and replaces lists
        order:
          properties: { unleashed_warehouse: null }
          lineItems: []
        customer: { name: Cafe }
        settings: { sync_order_number: false, default_warehouse: null }
        state: { pushed: true, changed: false }
        warehouses: [OM_DELETE]
        original: { CustomerRef: OM1 }
        expect:
          action: block
          message: Existing Order not in valid Status for Modification
          payload:
            SalesOrderLines[0].UnitPrice: 28.79
            DeliveryPostCode: "2042"
            OrderNumber: null
          supersede: { OrderStatus: Deleted }
          problems:
            - { severity: warning, message: "95.01" }
            - { code: P101, field: Customer.CustomerCode }
    """

    @Test func casesInheritAndMergeTheBase() throws {
        let (cases, diagnostics) = RuleTestLoader.load(files: [("t.yaml", Self.file)])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        try #require(cases.count == 2)
        let first = cases[0]
        #expect(first.name == "inherits the base")
        #expect(first.order["total"] == .number(try #require(JSONNumber(text: "95.01"))))
        #expect(first.order["price"] == .string("28.7900"))
        #expect(first.settings == ["sync_order_number=true"])
        #expect(first.expectAction == .create)
        #expect(first.expectNoProblems)
        #expect(first.location.line == 10)

        let second = cases[1]
        #expect(second.order["id"] == .string("o-1"))
        #expect(second.order["properties"]?["unleashed_customer_code"] == .string("ACME"))
        #expect(second.order["properties"]?["unleashed_warehouse"] == .null)
        #expect(second.order["lineItems"] == .array([]))
        #expect(second.customer?["name"] == .string("Cafe"))
        #expect(second.settings == ["sync_order_number=true", "sync_order_number=false", "default_warehouse=null"])
        #expect(second.state == [.pushed: true, .changed: false])
        #expect(second.warehouses == ["OM_DELETE"])
        #expect(second.original?["CustomerRef"] == .string("OM1"))
        #expect(second.expectAction == .block)
        #expect(second.expectMessage == "Existing Order not in valid Status for Modification")
        #expect(second.expectPayload.map(\.path) == ["SalesOrderLines[0].UnitPrice", "DeliveryPostCode", "OrderNumber"])
        let price = try #require(JSONNumber(text: "28.79"))
        let values = second.expectPayload.map(\.value)
        #expect(values == [.number(price), .string("2042"), nil])
        #expect(second.expectSupersede.first?.value == .string("Deleted"))
        #expect(second.expectProblems.map(\.severity) == [.warning, nil])
        #expect(second.expectProblems.map(\.messageContains) == ["95.01", nil])
        #expect(second.expectProblems.last?.field == "Customer.CustomerCode")
    }

    @Test(arguments: [
        ("tests:\n  - name: x\n    order: {}\n    expect: { action: blocked }\n", "E601 4:23", "did you mean 'block'?"),
        ("tests:\n  - name: x\n    order: {}\n    expect: { payload: { \"Lines[\": 1 } }\n", "E701 4:26",
         "write dotted names with indexes, like SalesOrderLines[0].Product.ProductCode"),
        ("tests:\n  - name: x\n    order: {}\n    expect: { problems: [ {} ] }\n", "E702 4:27", nil),
        ("tests:\n  - name: x\n    order: {}\n    state: { pushd: true }\n    expect: {}\n", "E409 4:14", "did you mean 'pushed'?"),
        ("tests:\n  - name: x\n    expect: {}\n", "E102 2:5", nil),
        ("tests:\n  - name: x\n    ordr: {}\n    order: {}\n    expect: {}\n", "E101 3:5", "did you mean 'order'?"),
        ("tset: []\n", "E101 1:1", "allowed here: base, tests"),
        ("tests: []\nbsae: {}\n", "E101 2:1", "did you mean 'base'?"),
    ] as [(String, String, String?)])
    func problems(text: String, expected: String, hint: String?) {
        let (_, diagnostics) = RuleTestLoader.load(files: [("t.yaml", text)])
        let codes = diagnostics.map { "\($0.code) \($0.location.map { "\($0.line):\($0.column)" } ?? "-")" }
        #expect(codes.first == expected, "\(codes)")
        #expect(diagnostics.first?.hint == hint)
    }

    @Test func payloadPaths() {
        #expect(PayloadPath.parse("SalesOrderLines[0].Product.ProductCode")
                == [.key("SalesOrderLines"), .index(0), .key("Product"), .key("ProductCode")])
        #expect(PayloadPath.parse("Total") == [.key("Total")])
        #expect(PayloadPath.parse("a[1][2]") == [.key("a"), .index(1), .index(2)])
        for bad in ["", "a.", ".a", "a[", "a[x]", "a[-1]", "a]b", "a b"] {
            #expect(PayloadPath.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func shippedRuleTestsLoadClean() {
        let (cases, diagnostics) = RuleTestLoader.load(directory: Project.path("rules"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(cases.count > 10)
    }

    @Test func aMissingTestsDirectoryIsNoCases() {
        let (cases, diagnostics) = RuleTestLoader.load(directory: "/nonexistent-omsync-rules")
        #expect(cases.isEmpty)
        #expect(diagnostics.isEmpty)
    }
}
