import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// `--explain`: where each payload field came from.
@Suite struct ExplainTests {
    func entries(_ plan: OrderPlan) -> [String: ExplainEntry] {
        Dictionary((plan.explain ?? []).map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func noExplanationUnlessAsked() throws {
        #expect(try Orders.plan(Orders.order()).explain == nil)
    }

    @Test func propertyFieldsNameTheLevelThatSuppliedTheValue() throws {
        let plan = try Orders.plan(Orders.order(purchaser: #"{"properties":{"unleashed_warehouse":"CUSTWH"}}"#), explain: true)
        let warehouse = try #require(entries(plan)["Warehouse.WarehouseCode"])
        #expect(warehouse.rule?.file.hasSuffix("rules/omsync.yaml") == true)
        #expect(warehouse.expression == "prop.warehouse")
        #expect(warehouse.sources == [#"prop.warehouse = "CUSTWH" from customer (customer.properties.unleashed_warehouse)"#])
        let code = try #require(entries(plan)["Customer.CustomerCode"])
        #expect(code.sources.first?.contains("from order") == true)
    }

    @Test func settingFieldsNameTheSettingsSource() throws {
        let plan = try Orders.plan(Orders.order(), overrides: ["sales_order_status=Placed"], explain: true)
        let status = try #require(entries(plan)["OrderStatus"])
        #expect(status.sources == [#"settings.sales_order_status = "Placed" (--set sales_order_status=Placed)"#])
        let currency = try #require(entries(plan)["Currency.CurrencyCode"])
        #expect(currency.sources.first?.contains("default at") == true)
    }

    @Test func settingsFromTheDefaultLevelOfAProperty() throws {
        let plan = try Orders.plan(Orders.order(), overrides: ["default_warehouse=SETWH"], explain: true)
        let warehouse = try #require(entries(plan)["Warehouse.WarehouseCode"])
        #expect(warehouse.sources == [#"prop.warehouse = "SETWH" from settings.default_warehouse"#])
    }

    @Test func lineAndComputedFieldsAreExplained() throws {
        let plan = try Orders.plan(Orders.order(lines: [Orders.line("A", price: "1.0000")]), explain: true)
        let all = entries(plan)
        #expect(all["SalesOrderLines[].UnitPrice"]?.expression == "decimal(line.price)")
        #expect(all["SalesOrderLines[].LineTotal"]?.expression.hasPrefix("computed: OrderQuantity × UnitPrice") == true)
        #expect(all["Total"]?.expression == "computed: SubTotal + TaxTotal")
    }

    @Test func explanationIsWrittenIntoThePreviewRecord() throws {
        let plan = try Orders.plan(Orders.order(), explain: true)
        let record = plan.jsonValue
        #expect(record[path: "explain.OrderStatus.expression"]?.stringValue == "settings.sales_order_status")
    }
}
