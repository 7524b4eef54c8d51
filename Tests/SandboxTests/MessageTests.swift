import Batch
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

/// Issue 7, item 16: the sandbox's messages name the right thing, and its call meter stays bounded.
@Suite struct MessageTests {
    static let prefix = Array(#"{"CustomerCode":"ab"#.utf8)  // 19 bytes: the bad bytes start at offset 19

    @Test(arguments: [
        ([0xFF], "byte 0xFF at offset 19 (never used in UTF-8)"),
        ([0xC3, 0x28], "byte 0xC3 at offset 19 (starts a 2-byte sequence, but byte 0x28 follows at offset 20)"),
        ([0x80], "byte 0x80 at offset 19 (a continuation byte with no lead byte before it)"),
        ([0xED, 0xA0, 0x80], "byte 0xED at offset 19 (followed by byte 0xA0: an encoded surrogate, which UTF-8 does not allow)"),
        ([0xC0, 0xAF], "byte 0xC0 at offset 19 (never used in UTF-8)"),
        ([0xE2, 0x82, 0x41], "byte 0xE2 at offset 19 (starts a 3-byte sequence, but byte 0x41 follows at offset 21)"),
    ] as [([UInt8], String)])
    func anInvalidUTF8BodyNamesTheByteAndItsOffset(bad: [UInt8], problem: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let body = Self.prefix + bad + Array(#"","CustomerName":"X"}"#.utf8)
            let response = try await client.execute(uri: "/Customers/\(Fixture.guid(1))", method: .post,
                                                    headers: Fixture.headers(signing: ""), body: ByteBuffer(bytes: body))
            #expect(response.status == .internalServerError)
            #expect(response.errorDescription == "The request body could not be parsed as JSON: it is not valid UTF-8: \(problem).")
        }
    }

    @Test func aBodyCutInsideACharacterSaysSo() async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.execute(uri: "/Customers/\(Fixture.guid(1))", method: .post,
                                                    headers: Fixture.headers(signing: ""), body: ByteBuffer(bytes: Self.prefix + [0xE2, 0x82]))
            #expect(response.errorDescription == "The request body could not be parsed as JSON: it is not valid UTF-8: "
                + "byte 0xE2 at offset 19 (starts a 3-byte sequence, but the body ends after 2 bytes).")
        }
    }

    @Test func aValidUTF8BodyThatIsNotJSONKeepsTheJSONMessage() async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.execute(uri: "/Customers/\(Fixture.guid(1))", method: .post,
                                                    headers: Fixture.headers(signing: ""), body: ByteBuffer(string: #"{"CustomerCode": é}"#))
            #expect(response.status == .internalServerError)
            let description = try #require(response.errorDescription)
            #expect(description.hasPrefix("The request body could not be parsed as JSON: line 1, column 18 (byte 17)"), "\(description)")
            #expect(!description.contains("UTF-8:"))
        }
    }

    /// The locator agrees with the standard library on what is UTF-8, byte for byte.
    @Test func theUTF8LocatorAgreesWithTheStandardLibrary() {
        var generator = SplitMix64(seed: 7)
        let pieces: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0x9F, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF]]
        for _ in 0..<5000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 6) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 2 == 0, !bytes.isEmpty {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((UTF8Check.firstProblem(bytes) == nil) == valid, "\(bytes.map { String($0, radix: 16) })")
        }
    }

    // MARK: The call meter (item 16d)

    @Test func everyUnknownPathAndMethodIsCountedUnderOneKey() async throws {
        try await Fixture.withSandbox { client, _ in
            for n in 0..<20 {
                _ = try await client.call(.get, "/Nowhere/\(Fixture.guid(n))")
                _ = try await client.call(.post, "/SalesOrders/\(Fixture.guid(n))/Explode")
                _ = try await client.call(.get, "/Customers/\(Fixture.guid(n))/a/b/c")
            }
            _ = try await client.call(HTTPRequest.Method("BREW")!, "/SalesOrders")
            _ = try await client.call(.get, "/SalesOrders/\(Fixture.guid(1))")
            _ = try await client.call(.get, "/SalesOrders/\(Fixture.guid(2))")
            _ = try await client.call(.post, "/salesorders/\(Fixture.guid(3))/complete")
            let calls = try await client.admin(.get, "calls").json
            #expect(calls["byEndpoint"] == [
                "(unknown endpoint)": 61, "GET /SalesOrders/{guid}": 2, "POST /SalesOrders/{guid}/Complete": 1,
            ])
        }
    }

    /// A state file written before the fix (a key per raw unknown path) is folded when read back.
    @Test func rawKeysFromAnOlderStateFileAreFolded() throws {
        let old: JSONValue = ["total": 9, "quotaUsed": 9, "month": "2026-11", "byEndpoint": [
            "GET /Nowhere": 1, "GET /Nowhere/1": 2, "POST /SalesOrders/\(Fixture.guid(1))": 1, "POST /SalesOrders/{guid}": 3,
            "GET /SalesOrders/{page}": 1, "GET /SalesOrders/7": 1,
        ]]
        let meter = CallMeter(document: old)
        #expect(meter.byEndpoint == ["(unknown endpoint)": 3, "POST /SalesOrders/{guid}": 4, "GET /SalesOrders/{page}": 2])
        #expect(meter.total == 9)
        // And what is written is read back unchanged.
        #expect(CallMeter(document: meter.document()).byEndpoint == meter.byEndpoint)
    }

    // MARK: Paging (item 16c): lists only; writes keep their answers

    @Test func writesToAPageNumberKeepTheirAnswers() async throws {
        try await Fixture.withSandbox { client, _ in
            #expect(try await client.call(.post, "/SalesOrders/5").status == .methodNotAllowed)
            #expect(try await client.call(.post, "/SalesOrders/0").status == .methodNotAllowed)
            let long = try await client.call(.put, "/SalesOrders/12345678901234567890123")
            #expect(long.status == .badRequest)
            #expect(long.errorDescription?.hasSuffix("is not a valid Guid (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).") == true)
            #expect(try await client.call(.get, "/SalesOrders/0/Complete").status == .notFound)
        }
    }
}
