import Batch
import Foundation
import Testing
import TestSupport

/// `omsync serve` as a user runs it: the built binary on a free loopback port, the page with its
/// token, the API over real HTTP, SIGTERM. (scripts/browser-test.py drives the page itself.)
@Suite(.serialized) struct ServeEndToEndTests {
    @Test func servesThePageOnAFreeLoopbackPortAndStopsOnSIGTERM() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("serve-e2e-\(UUID().uuidString)")
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: Project.url("rules/omsync.yaml"), to: rules.appendingPathComponent("omsync.yaml"))
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
        process.arguments = ["serve", "--port", "0", "--rules", rules.path, "--ledger", scratch.appendingPathComponent("none.sqlite").path]
        process.currentDirectoryURL = Project.root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        let deadline = ContinuousClock.now + .seconds(60)
        var base = ""
        while base.isEmpty, process.isRunning, ContinuousClock.now < deadline {
            let printed = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
            if let line = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first(where: { $0.hasPrefix("listening on ") }) {
                base = String(line.dropFirst("listening on ".count))
            }
            usleep(20_000)
        }
        #expect(base.hasPrefix("http://127.0.0.1:"), "\(String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))")
        #expect((Int(base.split(separator: ":").last ?? "") ?? 0) > 0, "--port 0 picks a free port")
        let page = String(decoding: try BlockingHTTP.get(base + "/"), as: UTF8.self)
        let marker = "<meta name=\"omsync-token\" content=\""
        let start = try #require(page.range(of: marker)).upperBound
        let token = String(page[start...].prefix { $0 != "\"" })
        #expect(page.contains("<meta name=\"omsync-token\" content=\"\(token)\">") && token.count == 64)
        let state = try JSONValue.parse(Array(try BlockingHTTP.get(base + "/api/state", headers: ["X-OMSync-Token": token])))
        #expect(state["files"]?.arrayValue?.count == 1)
        #expect(state["samples"]?[0]?["orders"]?.numberValue?.int == 7, "the default sample is samples/orders-envelope.json")
        let refused = String(decoding: try BlockingHTTP.get(base + "/api/state"), as: UTF8.self)
        #expect(refused.contains("missing X-OMSync-Token"))
        process.terminate()
        let stopBy = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < stopBy { usleep(20_000) }
        #expect(!process.isRunning, "omsync serve stops on SIGTERM")
    }

    @Test func aRulesFolderThatIsNotOneIsAUsageError() async throws {
        let run = try await OMSyncBinary.run(["serve", "--rules", "no-such-folder"])
        #expect(run.status == 2)
        #expect(run.errors.contains("--rules no-such-folder is not a directory"))
    }
}

/// Issue 21 over real HTTP: the page may be opened at any loopback name of the port served.
@Suite(.serialized) struct ServeOriginEndToEndTests {
    @Test func aPageOpenedAtLocalhostSavesAndAnotherPortCannot() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("serve-origin-\(UUID().uuidString)")
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: Project.url("rules/omsync.yaml"), to: rules.appendingPathComponent("omsync.yaml"))
        let text = try String(contentsOf: rules.appendingPathComponent("omsync.yaml"), encoding: .utf8) + "# saved from localhost\n"
        let body = Array(JSONValue.object(JSONObject([("name", .string("omsync.yaml")), ("text", .string(text))])).serialized().utf8)
        try ServeProcess.with(["--rules", rules.path, "--ledger", scratch.appendingPathComponent("none.sqlite").path]) { base, token in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            func save(_ headers: [String: String]) throws -> (status: Int, body: String) {
                let answer = try RawHTTP.request("POST", port: port, "/api/save", headers: headers.merging(
                    ["X-OMSync-Token": token, "Content-Type": "application/json"]) { $1 }, body: body)
                return (answer.status, String(decoding: answer.body, as: UTF8.self))
            }
            // Opened at localhost: the browser sends Host and Origin localhost:PORT, or (a
            // resolver's choice) reaches 127.0.0.1 with the localhost origin.
            let viaName = try save(["Host": "localhost:\(port)", "Origin": "http://localhost:\(port)", "Sec-Fetch-Site": "same-origin"])
            #expect(viaName.status == 200, "\(viaName.body)")
            let mixed = try save(["Origin": "http://localhost:\(port)"])
            #expect(mixed.status == 200, "\(mixed.body)")
            #expect(try String(contentsOf: rules.appendingPathComponent("omsync.yaml"), encoding: .utf8) == text)
            let otherPort = try save(["Origin": "http://localhost:\(port + 1)"])
            #expect(otherPort.status == 403, "\(otherPort.body)")
            let otherHostPort = try save(["Host": "localhost:\(port + 1)"])
            #expect(otherHostPort.status == 421, "\(otherHostPort.body)")
            let rebound = try save(["Host": "evil.example:\(port)"])
            #expect(rebound.status == 421, "\(rebound.body)")
        }
    }
}
