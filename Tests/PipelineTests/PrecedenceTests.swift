import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// Property precedence with the shipped rules: order beats customer beats settings beats literal.
@Suite struct PrecedenceTests {
    static let customer = #"{"id":"c1","properties":{"unleashed_warehouse":"CUSTWH","unleashed_freight_product_id":"CUSTFR"}}"#

    func warehouse(_ plan: OrderPlan) -> String? { plan.payload.jsonValue[path: "Warehouse.WarehouseCode"]?.stringValue }

    @Test func orderBeatsCustomer() throws {
        let plan = try Orders.plan(Orders.order(properties: #"{"unleashed_customer_code":"C1","unleashed_warehouse":"ORDWH"}"#,
                                                purchaser: Self.customer))
        #expect(warehouse(plan) == "ORDWH")
    }

    @Test func customerBeatsSettings() throws {
        let plan = try Orders.plan(Orders.order(purchaser: Self.customer), overrides: ["default_warehouse=SETWH"])
        #expect(warehouse(plan) == "CUSTWH")
    }

    @Test func settingsApplyWhenOrderAndCustomerHaveNothing() throws {
        let plan = try Orders.plan(Orders.order(), overrides: ["default_warehouse=SETWH"])
        #expect(warehouse(plan) == "SETWH")
    }

    @Test func literalIsTheLastLevel() throws {
        // freight_product: [order, customer, settings.freight_product_code, "OM_FREIGHT"]
        let order = Orders.order(lines: [Orders.line("A", price: "1.0000")], extra: #""totalFreight":5"#)
        let viaSetting = try Orders.plan(order, overrides: ["freight_product_code=SETFR"])
        let viaLiteral = try Orders.plan(order, overrides: ["freight_product_code=null"])
        #expect(viaSetting.payload.jsonValue[path: "SalesOrderLines[1].Product.ProductCode"]?.stringValue == "SETFR")
        #expect(viaLiteral.payload.jsonValue[path: "SalesOrderLines[1].Product.ProductCode"]?.stringValue == "OM_FREIGHT")
    }

    @Test func tagsListCountsAsTheOrderLevel() throws {
        let plan = try Orders.plan(Orders.order(properties: "{}", tags: #"[{"key":"other","value":"x"},{"key":"unleashed_customer_code","value":"TAGGED"}]"#,
                                                purchaser: #"{"properties":{"unleashed_customer_code":"CUST"}}"#,
                                                lines: [Orders.line("A", price: "1.0000")]))
        #expect(plan.payload.jsonValue[path: "Customer.CustomerCode"]?.stringValue == "TAGGED")
        #expect(plan.action == .create)
    }

    @Test func emptyStringIsSkipped() throws {
        let plan = try Orders.plan(Orders.order(properties: #"{"unleashed_customer_code":""}"#,
                                                tags: #"[{"key":"unleashed_customer_code","value":""}]"#,
                                                purchaser: #"{"properties":{"unleashed_customer_code":"CUST"}}"#))
        #expect(plan.payload.jsonValue[path: "Customer.CustomerCode"]?.stringValue == "CUST")
    }

    @Test func joinedExportCustomerIsUsedWithoutAnEmbeddedPurchaser() throws {
        let plan = try Orders.plan(Orders.order(properties: "{}", purchaser: "{}"),
                                   customer: #"{"id":"c9","properties":{"unleashed_customer_code":"JOINED"}}"#)
        #expect(plan.payload.jsonValue[path: "Customer.CustomerCode"]?.stringValue == "JOINED")
    }

    @Test func missingRequiredPropertyNamesTagLevelsAndOrder() throws {
        let plan = try Orders.plan(Orders.order(number: "OM104", properties: "{}", lines: [Orders.line("A", price: "1.0000")]))
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .propertyRequired })
        #expect(problem.severity == .error)
        #expect(problem.field == "Customer.CustomerCode")
        #expect(problem.message == "required property unleashed_customer_code (customer_code) has no value; "
                + "looked at order.properties, order.tags, customer.properties. Set it on the order or the customer in Ordermentum.")
        #expect(plan.label == "order OM104 (index 0)")
        #expect(plan.message == "order OM104 (index 0): " + problem.message, "the plan's message is rendered for people")
        #expect(problem.rule?.file.hasSuffix("rules/omsync.yaml") == true && problem.rule?.line == 69,
                "located at the property's declaration: \(String(describing: problem.rule))")
    }

    @Test func missingWarehouseMentionsTheSetting() throws {
        let plan = try Orders.plan(Orders.order(), overrides: ["default_warehouse=null"])
        let problem = try #require(plan.problems.first { $0.code == .propertyRequired })
        #expect(problem.message.contains("settings.default_warehouse"))
        #expect(problem.message.contains("--set default_warehouse=VALUE"))
    }
}
