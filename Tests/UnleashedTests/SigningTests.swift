import Testing
import Unleashed

@Suite struct SigningTests {
    static let key = APIKey("dummy-api-key-for-tests")

    @Test(arguments: [
        ("", "p4tlBNbI+OndFQYFf7kU23RkrcKkBlI4eSDMFG2pmSw="),
        ("customerCode=ACME", "LVgy2e59XQno0bazUwuHMIGuKTNLyPap/0RK90a7foE="),
        ("orderNumber=SO-00001234&pageSize=50", "vEZukkf1Bl7/QpxtujsbzLY03fOmpHGk/vWd6ZmL7c4="),
    ])
    func unleashedVectors(query: String, signature: String) {
        #expect(RequestSigner.signature(query: query, key: Self.key) == signature)
    }

    @Test func theKeyNeverPrints() {
        let credentials = UnleashedCredentials(apiID: "id", apiKey: Self.key, baseURL: "http://127.0.0.1:1")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [String(describing: Self.key), String(reflecting: Self.key), "\(credentials)", dumped] {
            #expect(!text.contains("dummy-api-key-for-tests"))
        }
    }

    @Test(arguments: ["http://api.unleashedsoftware.com", "http://10.0.0.5:8080", "ftp://127.0.0.1", "not a url"])
    func plainHTTPOnlyToLoopback(url: String) {
        let configuration = UnleashedConfiguration(credentials: UnleashedCredentials(apiID: "id", apiKey: Self.key, baseURL: url))
        #expect(throws: UnleashedError.self) { _ = try UnleashedClient(configuration: configuration) }
    }

    @Test(arguments: ["http://127.0.0.1:8080", "http://localhost:1", "https://api.unleashedsoftware.com"])
    func loopbackAndHTTPSAreAccepted(url: String) async throws {
        let configuration = UnleashedConfiguration(credentials: UnleashedCredentials(apiID: "id", apiKey: Self.key, baseURL: url))
        let client = try UnleashedClient(configuration: configuration)
        await client.shutdown()
    }

    @Test func clientTypeMustBePartnerSlashApp() {
        var configuration = UnleashedConfiguration(credentials: UnleashedCredentials(apiID: "id", apiKey: Self.key, baseURL: "http://127.0.0.1:1"))
        configuration.clientType = "Ordermentum omsync"
        #expect(throws: UnleashedError.self) { _ = try UnleashedClient(configuration: configuration) }
    }
}
