import Batch
import Foundation
import Testing
import TestSupport
@testable import Serve

/// Every guard of `POST /api/save` (and of the API as a whole): a save writes atomically and
/// only a clean rule set, only inside the rules folder, only with the run's token, only from the
/// page's own origin and host, and never a body over the limit.
@Suite struct SaveGuardTests {
    func saveBody(_ name: String, _ text: String) -> JSONValue {
        object(["name": .string(name), "text": .string(text)])
    }

    @Test func aCleanRuleSetIsSavedAtomically() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let edited = fixture.shippedRules.replacingOccurrences(of: "    DeliveryCountry: nonempty(order.retailerAddress.country) ?? settings.default_country",
                                                               with: "    DeliveryCountry: \"New Zealand\"")
        try await fixture.test { client in
            let reply = try await client.post("/api/save", saveBody("omsync.yaml", edited), origin: "http://localhost")
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply.json["saved"]?.string == fixture.rules.path + "/omsync.yaml")
            #expect(reply.json["ok"] == .bool(true))
            #expect(try fixture.text("omsync.yaml") == edited)
            let left = try FileManager.default.contentsOfDirectory(atPath: fixture.rules.path).sorted()
            #expect(left == ["omsync.yaml", "settings.yaml"], "no temporary file left behind")
        }
    }

    @Test func aFileThatWouldLeaveTheRulesWithErrorsIsNotSaved() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let broken = fixture.shippedRules.replacingOccurrences(of: "do: block", with: "do: blok")
            let reply = try await client.post("/api/save", saveBody("omsync.yaml", broken))
            #expect(reply.status == .unprocessableContent)
            #expect(reply.json["error"]?.string?.contains("not saved: the rules would have errors") == true)
            #expect(try fixture.text("omsync.yaml") == fixture.shippedRules)
            // A settings value that does not fit its declaration breaks the set as well.
            let settings = try await client.post("/api/save", saveBody("settings.yaml", "tax_rate: ten percent\n"))
            #expect(settings.status == .unprocessableContent)
            #expect(try fixture.text("settings.yaml") == (try String(contentsOf: Project.url("rules/settings.yaml"), encoding: .utf8)))
        }
    }

    @Test(arguments: ["../omsync.yaml", "../../etc/passwd.yaml", "/tmp/x.yaml", "sub/x.yaml", ".hidden.yaml", "notes.txt", "", "omsync.yaml/..", "a\\b.yaml"])
    func aNameOutsideTheRulesFolderIsRefused(_ name: String) async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let reply = try await client.post("/api/save", saveBody(name, fixture.shippedRules))
            #expect(reply.status == .forbidden, "\(name): \(reply.status)")
            #expect(reply.json["error"]?.string?.isEmpty == false)
            let listed = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).sorted()
            #expect(listed == ["rules"], "nothing written beside the rules folder")
        }
    }

    @Test func aSymbolicLinkInTheFolderIsNeverWrittenThrough() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        let outside = fixture.folder.appendingPathComponent("outside.yaml")
        try Data("# not a rule file\n".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(atPath: fixture.rules.appendingPathComponent("linked.yaml").path, withDestinationPath: outside.path)
        try await fixture.test { client in
            let reply = try await client.post("/api/save", saveBody("linked.yaml", "version: 1\n"))
            #expect(reply.status == .forbidden)
            #expect(reply.json["error"]?.string?.contains("symbolic link") == true)
            #expect(try String(contentsOf: outside, encoding: .utf8) == "# not a rule file\n")
            // The link is not offered for editing either.
            let state = try await client.get("/api/state").json
            #expect(state["files"]?.arrayValue?.compactMap { $0["name"]?.string } == ["omsync.yaml", "settings.yaml"])
        }
    }

    @Test func aMissingOrWrongTokenIsRefusedOnEveryAPIRequest() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            for token in [nil, "", "wrong", String(ServeFixture.token.dropLast()) + "0"] as [String?] {
                let save = try await client.post("/api/save", saveBody("omsync.yaml", "version: 1\n"), token: token)
                #expect(save.status == .unauthorized, "token \(token ?? "none")")
                #expect(save.json["error"]?.string?.contains("X-OMSync-Token") == true)
                #expect(try await client.get("/api/state", token: token).status == .unauthorized)
                #expect(try await client.post("/api/preview", object([:]), token: token).status == .unauthorized)
                #expect(try await client.post("/api/customers", object([:]), token: token).status == .unauthorized)
            }
            #expect(try fixture.text("omsync.yaml") == fixture.shippedRules)
        }
    }

    @Test func anotherOriginOrHostIsRefused() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let body = saveBody("omsync.yaml", fixture.shippedRules)
            for origin in ["http://evil.example", "null", "http://localhost.evil.example", "https://localhost"] {
                let reply = try await client.post("/api/save", body, origin: origin)
                #expect(reply.status == .forbidden, "\(origin)")
            }
            let site = try await client.post("/api/save", body, headers: ["Sec-Fetch-Site": "cross-site"])
            #expect(site.status == .forbidden)
            // DNS rebinding: a foreign name that resolves to this machine.
            let rebound = try await client.post("/api/save", body, headers: ["Host": "evil.example"])
            #expect(rebound.status == .forbidden || rebound.status == .misdirectedRequest)
            let same = try await client.post("/api/check", object([:]), origin: "http://localhost", headers: ["Sec-Fetch-Site": "same-origin"])
            #expect(same.status == .ok)
        }
    }

    @Test func aBodyOverTheLimitOrNotJSONIsRefused() async throws {
        let fixture = try ServeFixture(maxBodyBytes: 64 << 10)
        defer { fixture.remove() }
        try await fixture.test { client in
            let big = fixture.shippedRules + "\n#" + String(repeating: "x", count: 80 << 10) + "\n"
            let reply = try await client.post("/api/save", saveBody("omsync.yaml", big))
            #expect(reply.status == .contentTooLarge)
            #expect(try fixture.text("omsync.yaml") == fixture.shippedRules)
            let form = try await client.send(.post, "/api/save", token: ServeFixture.token, headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(form.status == .unsupportedMediaType)
        }
    }

    @Test func theWorkspaceRefusesNamesBeforeTouchingTheDisk() throws {
        let workspace = RuleWorkspace(directory: "/nonexistent/rules")
        for name in ["..", "../a.yaml", "a/b.yaml", "a.json", ".a.yaml"] {
            #expect(throws: RuleWorkspace.Refusal.self) { try workspace.validate(name) }
        }
    }
}
