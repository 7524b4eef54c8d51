import Batch
import Foundation
import Testing
@testable import Unleashed

@Suite struct ContractTests {
    static let key = APIKey("dummy-api-key-for-tests")

    @Test(arguments: [
        ("", "p4tlBNbI+OndFQYFf7kU23RkrcKkBlI4eSDMFG2pmSw="),
        ("customerCode=ACME", "LVgy2e59XQno0bazUwuHMIGuKTNLyPap/0RK90a7foE="),
        ("orderNumber=SO-00001234&pageSize=50", "vEZukkf1Bl7/QpxtujsbzLY03fOmpHGk/vWd6ZmL7c4="),
    ])
    func signingVectorsOfUnleashedMD(query: String, signature: String) {
        #expect(RequestSigner.signature(query: query, key: Self.key) == signature)
        #expect(RequestSigner.isValid(signature: signature, query: query, key: Self.key))
        #expect(!RequestSigner.isValid(signature: signature, query: query + "x", key: Self.key))
    }

    @Test func theSignedQueryIsDecodedInURLOrderWhileTheSentOneIsEncoded() {
        let call = APICall(method: .GET, path: "/Customers", query: [("customerCode", "A&B C"), ("pageSize", "50")])
        #expect(call.signedQuery == "customerCode=A&B C&pageSize=50")
        #expect(call.encodedQuery == "customerCode=A%26B%20C&pageSize=50")
    }

    @Test func moneyIsHalfUpToTheCentAndExact() throws {
        func d(_ text: String) throws -> ExactDecimal { try #require(ExactDecimal(text)) }
        let total = try #require(SalesOrderMoney.lineTotal(quantity: ExactDecimal(3), unitPrice: d("0.125"), discountRate: .zero))
        #expect(total.description == "0.38")
        let tax = try #require(SalesOrderMoney.lineTax(lineTotal: d("57.58"), rate: d("0.1")))
        #expect(tax.description == "5.76")
        #expect(SalesOrderMoney.matches(try d("5.760"), tax))
        #expect(!SalesOrderMoney.matches(try d("5.75"), tax))
        #expect(!SalesOrderMoney.matches(try d("5.755"), tax), "an amount not rounded to the cent is a mismatch")
        let huge = ExactDecimal(significand: Int128.max / 10, scale: 0)
        #expect(SalesOrderMoney.lineTotal(quantity: huge, unitPrice: huge, discountRate: .zero) == nil)
        var totals = SalesOrderTotals()
        let added = totals.add(lineTotal: total, lineTax: tax)
        #expect(added)
        #expect(totals.total?.description == "6.14")
        let first = totals.add(lineTotal: huge, lineTax: huge)
        let second = totals.add(lineTotal: huge, lineTax: huge)
        #expect(!first || !second)
        #expect(totals.total == nil)
    }

    @Test func fieldLimitsAreTheSandboxs() {
        #expect(UnleashedFieldCatalogue.maxLength(salesOrderField: "OrderNumber") == 20)
        #expect(UnleashedFieldCatalogue.maxLength(salesOrderField: "SalesOrderLines[].Comments") == 2048)
        #expect(UnleashedFieldCatalogue.maxLength(salesOrderField: "DeliveryName") == nil)
        #expect(UnleashedFieldCatalogue.maxLength(customerField: "CustomerName") == 200)
        #expect(UnleashedFieldCatalogue.maxLength(productField: "ProductCode") == 100)
        #expect(UnleashedFieldCatalogue.warehouseCodeMaxLength == 15)
    }

    @Test(arguments: [
        ("/Date(1528329600000)/", Int64(1_528_329_600_000)), ("\\/Date(1528329600000)\\/", 1_528_329_600_000),
        ("/Date(1528329600000+1000)/", 1_528_329_600_000), ("2018-06-07T01:02:03", 1_528_333_323_000),
    ])
    func datesParse(text: String, ms: Int64) {
        #expect(DotNetDate.parse(text) == ms)
        #expect(DotNetDate.parse(DotNetDate.format(milliseconds: ms)) == ms)
    }

    @Test func requestDatesHaveNoZone() {
        #expect(DotNetDate.requestDate(milliseconds: 1_741_564_800_000) == "2025-03-10T00:00:00")
        #expect(DotNetDate.parse("2025-02-30") == nil)
    }

    @Test func theKeyIsRedactedEverywhere() {
        let secret = "dummy-api-key-for-tests"
        let credentials = UnleashedCredentials(apiID: "id", apiKey: APIKey(secret))
        var dumped = ""
        dump(credentials, to: &dumped)
        dump(credentials.apiKey, to: &dumped)
        let texts = [String(describing: credentials), String(reflecting: credentials), "\(credentials.apiKey)",
                     String(reflecting: credentials.apiKey), dumped, String(describing: Mirror(reflecting: credentials.apiKey).children.map(\.value))]
        for text in texts { #expect(!text.contains(secret), "\(text)") }
        #expect(dumped.contains("<redacted>"))
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080", true), ("http://127.9.8.7", true), ("http://localhost:1", true), ("http://[::1]:9", true),
        ("https://api.unleashedsoftware.com", true), ("http://api.unleashedsoftware.com", false), ("http://128.0.0.1", false),
        ("http://127.0.0.1.evil.example", false), ("ftp://127.0.0.1", false), ("api.unleashedsoftware.com", false),
        ("http://localhost.evil.example", false),
    ])
    func plainHTTPOnlyForLoopback(url: String, accepted: Bool) async throws {
        let configuration = UnleashedConfiguration(credentials: UnleashedCredentials(apiID: "id", apiKey: APIKey("k"), baseURL: url))
        do {
            let client = try UnleashedClient(configuration: configuration)
            await client.shutdown()
            #expect(accepted, "\(url) should be refused")
        } catch {
            #expect(!accepted, "\(url) should be accepted: \(error)")
            #expect(!error.description.contains("k\""))
        }
    }

    @Test(arguments: ["Ordermentum/omsync", "ordermentum", "a/b/c", "ordermentum/ om"])
    func clientTypeMustBePartnerSlashApp(clientType: String) {
        let configuration = UnleashedConfiguration(credentials: UnleashedCredentials(apiID: "id", apiKey: APIKey("k"), baseURL: "http://127.0.0.1:1"),
                                                   clientType: clientType)
        #expect(throws: UnleashedError.self) { try UnleashedClient(configuration: configuration) }
    }

    @Test func backoffIsFullJitterUnderADoublingCeiling() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .milliseconds(350))
        #expect(policy.ceiling(beforeRetry: 1) == .milliseconds(100))
        #expect(policy.ceiling(beforeRetry: 2) == .milliseconds(200))
        #expect(policy.ceiling(beforeRetry: 5) == .milliseconds(350))
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<200).map { _ in policy.delay(beforeRetry: 3, using: &generator) }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .milliseconds(350) })
        #expect(Set(delays).count > 1)
    }

    @Test func updateBodyDropsReadOnlyFieldsReducesReferencesAndAppliesChanges() throws {
        let json = try JSONValue.parse("""
            {"Guid":"g","OrderDate":"/Date(1741564800000)/","CreatedOn":"/Date(1)/","LastModifiedOn":"/Date(2)/","CompletedDate":null,
             "Customer":{"Guid":"c","CustomerCode":"ACME","CustomerName":"Acme"},"Warehouse":{"Guid":"w","WarehouseCode":"MAIN"},
             "Tax":{"Guid":"t","TaxCode":"G.S.T.","TaxRate":0.1,"Description":"GST"},
             "SalesOrderLines":[{"LineNumber":1,"Product":{"Guid":"p","ProductCode":"COF"},"LastModifiedOn":"/Date(3)/"}]}
            """)
        let order = try #require(SalesOrder(json: json))
        let body = try JSONValue.parse(order.updateBody(applying: [("Warehouse.WarehouseCode", "OM_DELETE"), ("CustomerRef", "DELETED")]))
        #expect(body == (try JSONValue.parse("""
            {"Guid":"g","OrderDate":"2025-03-10T00:00:00","Customer":{"CustomerCode":"ACME"},"Warehouse":{"WarehouseCode":"OM_DELETE"},
             "Tax":{"TaxCode":"G.S.T.","TaxRate":0.1},"SalesOrderLines":[{"LineNumber":1,"Product":{"ProductCode":"COF"}}],"CustomerRef":"DELETED"}
            """)))
    }
}
