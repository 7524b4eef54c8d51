import Batch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing
import TestSupport

/// Issue 21, item 11: the admin API has `omsync serve`'s guards (`LoopbackRequestGuard`), so a
/// web page in the user's browser can neither change a running sandbox nor read it, while the
/// signed Unleashed API (no `Origin`) works as before.
@Suite struct AdminGuardTests {
    /// One order in the sandbox, to see that a refused reset left it there.
    func seedOneOrder(_ client: any TestClientProtocol) async throws {
        let guid = Fixture.guid(1)
        let created = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
        #expect(created.status == .created)
    }

    func orderCount(_ client: any TestClientProtocol) async throws -> Int? {
        try await client.admin(.get, "state").json["salesOrders"]?.arrayValue?.count
    }

    @Test func aCrossSiteFormPostCannotResetOrEdit() async throws {
        try await Fixture.withSandbox { client, _ in
            try await seedOneOrder(client)
            // What an HTML form on another site sends: its origin, a form body, `cross-site`.
            var form = HTTPFields()
            form[.contentType] = "application/x-www-form-urlencoded"
            form[.origin] = "https://evil.example"
            form[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let reset = try await client.admin(.post, "reset", headers: form)
            #expect(reset.status == .forbidden)
            #expect(reset.errorDescription?.contains("another origin (https://evil.example)") == true, "\(reset.errorDescription ?? "")")
            // The same form without Origin (an old browser, a redirect): the form type alone is refused.
            let typed = try await client.admin(.post, "reset", headers: [.contentType: "text/plain"])
            #expect(typed.status == .unsupportedMediaType)
            #expect(typed.errorDescription?.contains("application/json") == true)
            let none = try await client.admin(.post, "edit/SalesOrders/\(Fixture.guid(1))", body: ["set": ["OrderStatus": "Completed"]], headers: [:])
            #expect(none.status == .unsupportedMediaType)
            // A page of another local server (same site, another port) is another origin too.
            var local = HTTPFields()
            local[.contentType] = "application/json"
            local[.origin] = "http://localhost:3000"
            #expect(try await client.admin(.put, "faults", body: ["errorRate": 1], headers: local).status == .forbidden)
            var site = HTTPFields()
            site[.contentType] = "application/json"
            site[HTTPField.Name("Sec-Fetch-Site")!] = "same-site"
            #expect(try await client.admin(.post, "reset", headers: site).status == .forbidden)
            #expect(try await orderCount(client) == 1, "nothing was reset")
            #expect(try await client.admin(.get, "faults").json["errorRate"] == Fixture.number("0.0"), "no fault was set")
            // The signed API still works, and a local tool's JSON reset still resets.
            #expect(try await client.call(.get, "/SalesOrders/\(Fixture.guid(1))").status == .ok)
            #expect(try await client.admin(.post, "reset").status == .ok)
            #expect(try await orderCount(client) == 0)
        }
    }

    @Test func aForeignHostCannotReadTheState() async throws {
        try await Fixture.withSandbox { client, _ in
            try await seedOneOrder(client)
            for host in ["evil.example", "evil.example:80", "localhost.evil.example", "127.0.0.1.nip.io", ""] {
                var fields = HTTPFields()
                fields[HTTPField.Name("Host")!] = host
                let read = try await client.admin(.get, "state", headers: fields)
                #expect(read.status == .misdirectedRequest, "Host \(host)")
                #expect(read.json["salesOrders"] == nil, "no state under a foreign Host")
                #expect(read.errorDescription?.contains("is not this server's") == true)
            }
            // The signed API is not the admin API: a rebinding page cannot sign, and clients send any Host.
            var signed = Fixture.headers(signing: "")
            signed[HTTPField.Name("Host")!] = "api.unleashedsoftware.com"
            #expect(try await client.call(.get, "/SalesOrders/\(Fixture.guid(1))", headers: signed).status == .ok)
            #expect(try await orderCount(client) == 1)
        }
    }

    /// Over a real socket the guard knows the port: a `Host` naming another port is refused, and a
    /// page of `localhost` on this port may write.
    @Test func overASocketTheHostAndOriginMustNameThisPort() async throws {
        try await Fixture.withSandbox(.live) { client, _ in
            let port = try #require(client.port)
            let json = ["Content-Type": "application/json"]
            let wrongPort = try RawHTTP.request("GET", port: port, "/_sandbox/state", headers: ["Host": "127.0.0.1:\(port + 1)"])
            #expect(wrongPort.status == 421)
            let foreign = try RawHTTP.request("GET", port: port, "/_sandbox/state", headers: ["Host": "evil.example:\(port)"])
            #expect(foreign.status == 421)
            #expect(try RawHTTP.request("GET", port: port, "/_sandbox/calls").status == 200)
            let fromLocalhost = try RawHTTP.request("PUT", port: port, "/_sandbox/faults", headers: json.merging(["Origin": "http://localhost:\(port)"]) { $1 },
                                                    body: Array(#"{"latencyMs":0}"#.utf8))
            #expect(fromLocalhost.status == 200, "\(String(decoding: fromLocalhost.body, as: UTF8.self))")
            let otherPort = try RawHTTP.request("POST", port: port, "/_sandbox/reset", headers: json.merging(["Origin": "http://127.0.0.1:\(port + 1)"]) { $1 })
            #expect(otherPort.status == 403)
        }
    }
}
