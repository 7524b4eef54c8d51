import TestSupport
import Testing
@testable import Rules

/// `customer:` and `freight_product:`: the records created in Unleashed before an order.
@Suite struct RecordMappingTests {
    @Test func aCustomerMappingBuildsTheAST() throws {
        let result = Fixture.load(Fixture.rules("""
            customer:
              fields:
                CustomerCode: prop.warehouse
                Email: customer.retailerBillingEmail
              required:
                - CustomerCode
                - { field: Email, message: "no billing email" }
            freight_product:
              when: order.totalFreight > 0
              fields:
                ProductCode: '"FREIGHT"'
                NeverDiminishing: true

            """))
        #expect(Fixture.codes(result) == [])
        let customer = try #require(result.ruleSet?.customer)
        #expect(customer.fields.map(\.dottedPath) == ["CustomerCode", "Email"])
        #expect(customer.required.map(\.path) == ["CustomerCode", "Email"])
        #expect(customer.required.map(\.message) == [nil, "no billing email"])
        #expect(customer.required[1].location.line == 17)
        let product = try #require(result.ruleSet?.freightProduct)
        #expect(product.when != nil)
        #expect(product.fields.map(\.dottedPath) == ["ProductCode", "NeverDiminishing"])
    }

    @Test(arguments: [
        // a typo in a customer field, with the suggestion
        ("customer:\n  fields:\n    Emial: order.x\n", ["E501 13:5"], "did you mean 'Email'?"),
        // a sales order line field in the product mapping
        ("freight_product:\n  fields:\n    OrderQuantity: 1\n", ["E501 13:5"], "'OrderQuantity' is a sales order line field"),
        // required but not mapped
        ("customer:\n  fields:\n    CustomerCode: order.x\n  required: [Email]\n", ["E503 14:14"], "map it under fields, or remove it from required"),
        // unknown key in the section
        ("customer:\n  fields: {}\n  requried: []\n", ["E101 13:3"], "did you mean 'required'?"),
        // the Guid is omsync's
        ("customer:\n  fields:\n    Guid: order.id\n", ["E502 13:5"], nil),
    ] as [(String, [String], String?)])
    func diagnoses(extra: String, expected: [String], hint: String?) {
        let result = Fixture.load(Fixture.rules(extra))
        #expect(Fixture.codes(result) == expected)
        if let hint { #expect(result.diagnostics.first?.hint == hint) }
    }

    @Test func theShippedRulesPlanCustomersAndFreightProducts() throws {
        let result = RuleLoader.load(directory: Project.path("rules"))
        #expect(!result.hasErrors)
        let customer = try #require(result.ruleSet?.customer)
        #expect(customer.required.map(\.path) == ["CustomerCode", "Email"])
        #expect(customer.required[1].message?.contains("billing email") == true)
        #expect(result.ruleSet?.freightProduct?.fields.contains { $0.dottedPath == "NeverDiminishing" } == true)
    }
}
