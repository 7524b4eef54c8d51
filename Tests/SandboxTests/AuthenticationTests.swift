import Batch
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

@Suite struct AuthenticationTests {
    @Test(arguments: [
        ("", "p4tlBNbI+OndFQYFf7kU23RkrcKkBlI4eSDMFG2pmSw="),
        ("customerCode=ACME", "LVgy2e59XQno0bazUwuHMIGuKTNLyPap/0RK90a7foE="),
        ("orderNumber=SO-00001234&pageSize=50", "vEZukkf1Bl7/QpxtujsbzLY03fOmpHGk/vWd6ZmL7c4="),
    ])
    func unleashedTestVectorsVerify(query: String, signature: String) {
        let verifier = SignatureVerifier(apiKey: "dummy-api-key-for-tests")
        #expect(verifier.signature(for: query) == signature)
        #expect(verifier.verify(signature: signature, rawQuery: query))
        #expect(!SignatureVerifier(apiKey: "another-key").verify(signature: signature, rawQuery: query))
    }

    @Test func signatureOverDecodedOrRawQueryIsAccepted() {
        let verifier = SignatureVerifier(apiKey: "dummy-api-key-for-tests")
        let raw = "customerCode=A%26B%20C&modifiedSince=2025-03-10T00%3A00%3A00"
        let decoded = "customerCode=A&B C&modifiedSince=2025-03-10T00:00:00"
        #expect(verifier.verify(signature: Fixture.sign(raw), rawQuery: raw))
        #expect(verifier.verify(signature: Fixture.sign(decoded), rawQuery: raw))
        #expect(verifier.verify(signature: Fixture.sign("customerCode=A B"), rawQuery: "customerCode=A+B"))
        #expect(!verifier.verify(signature: Fixture.sign("customerCode=A"), rawQuery: raw))
        #expect(!verifier.verify(signature: "not base64 at all!", rawQuery: raw))
    }

    @Test func signedRequestsPassInBothForms() async throws {
        try await Fixture.withSandbox { client, _ in
            let raw = "customerCode=AC%4D"
            let asSent = try await client.call(.get, "/Customers", query: raw)
            #expect(asSent.status == .ok)
            #expect(asSent.json["Items"]?.arrayValue?.count == 2)
            let decoded = try await client.call(.get, "/Customers", query: raw, signing: "customerCode=ACM")
            #expect(decoded.status == .ok)
            #expect(decoded.json["Items"]?[0]?["CustomerCode"]?.stringValue == "ACME")
        }
    }

    @Test func badSignatureGetsUnleashedsForbiddenBody() async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.call(.get, "/Customers", query: "customerCode=ACME", signing: "customerCode=ACMF")
            #expect(response.status == .forbidden)
            let body = try #require(response.json.objectValue)
            #expect(body.keys == ["Description", "DebugInformation"])
            #expect(body["DebugInformation"] == .null)
            let description = try #require(body["Description"]?.stringValue)
            #expect(description.hasPrefix("(403) Forbidden.: Authentication denied - signature mismatch."))
            #expect(description.hasSuffix("Url: '/Customers'"))
            #expect(!description.contains("dummy-api-key-for-tests"))
        }
    }

    @Test(arguments: [
        ("api-auth-id", "the api-auth-id header is missing."),
        ("api-auth-signature", "signature mismatch. The api-auth-signature header is missing."),
        ("client-type", "the client-type header is missing"),
    ])
    func missingHeaderIsForbidden(header: String, message: String) async throws {
        try await Fixture.withSandbox { client, _ in
            var headers = Fixture.headers(signing: "")
            headers[HTTPField.Name(header)!] = nil
            let response = try await client.call(.get, "/SalesOrders", headers: headers)
            #expect(response.status == .forbidden)
            #expect(response.errorDescription?.contains(message) == true)
        }
    }

    @Test func unknownIdAndMalformedClientTypeAreForbidden() async throws {
        try await Fixture.withSandbox { client, _ in
            let unknown = try await client.call(.get, "/Taxes", headers: Fixture.headers(signing: "", id: "someone-else"))
            #expect(unknown.status == .forbidden)
            #expect(unknown.errorDescription?.contains("unknown api-auth-id") == true)
            let shouting = try await client.call(.get, "/Taxes", headers: Fixture.headers(signing: "", clientType: "Ordermentum/OMSync"))
            #expect(shouting.status == .forbidden)
            #expect(shouting.errorDescription?.contains("is not partner/app") == true)
            let fine = try await client.call(.get, "/Taxes", headers: Fixture.headers(signing: "", clientType: "acme/sync-tool"))
            #expect(fine.status == .ok)
        }
    }

    /// "Every request counts" (UNLEASHED.md): a call naming the account is charged to its quota
    /// even when refused for its signature or its route; one with an unknown id is no account's.
    @Test func refusedCallsOfTheAccountAreChargedToItsQuota() async throws {
        try await Fixture.withSandbox { client, _ in
            _ = try await client.call(.get, "/Taxes", headers: Fixture.headers(signing: "", id: "nobody"))
            let forged = try await client.call(.get, "/Taxes", headers: Fixture.headers(signing: "pageSize=1"))
            #expect(forged.status == .forbidden)
            let unrouted = try await client.call(.get, "/NoSuchThing")
            #expect(unrouted.status == .notFound)
            _ = try await client.call(.get, "/Taxes")
            let calls = try await client.admin(.get, "calls").json
            #expect(calls["total"]?.numberValue?.int == 4)
            #expect(calls["quotaUsed"]?.numberValue?.int == 3, "the forged, the unrouted and the good call: \(calls.serialized())")
            #expect(calls["byEndpoint"]?["GET /Taxes"]?.numberValue?.int == 3)
        }
    }
}
