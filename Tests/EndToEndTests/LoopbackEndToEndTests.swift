import Batch
import Foundation
import Testing
import TestSupport

/// Local servers stay local (issue 11, docs/reliability.md): the sandbox binds to loopback unless
/// told otherwise, and even when it listens on every address its admin API (which can reset the
/// account and change faults, unsigned) answers loopback clients only.
@Suite(.serialized) struct LoopbackEndToEndTests {
    /// This machine's first address that is not loopback (e.g. 192.0.2.2), from `hostname -I`.
    static func outsideAddress() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "hostname -I 2>/dev/null || ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let address = text.split(whereSeparator: \.isWhitespace).map(String.init).first { !$0.contains(":") && !$0.hasPrefix("127.") }
        return try #require(address, "this machine has no address other than loopback: \(text)")
    }

    /// The HTTP status and body of a GET of `path` on `host`:`port`; status 0 when the connection
    /// is refused (nothing listens there). Any other failure (a timeout, a reset) throws: it is
    /// not the refusal a test may be waiting for. A raw socket on a thread of its own, not
    /// URLSession's shared session, which the many tests running at once keep busy.
    static func get(_ host: String, _ port: String, _ path: String) async throws -> (status: Int, body: String) {
        let port = try #require(Int(port), "no port: \(port)")
        return try await OffPool.run {
            do {
                let answer = try RawHTTP.request("GET", host: host, port: port, path, timeout: 30)
                return (answer.status, String(decoding: answer.body, as: UTF8.self))
            } catch let failure as RawHTTP.Failure where failure.refused {
                return (0, "")
            }
        }
    }

    @Test func theSandboxListensOnLoopbackByDefault() async throws {
        let outside = try Self.outsideAddress()
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", "a", "--api-key", "k"])
        defer { _ = sandbox.stop() }
        #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
        let port = sandbox.baseURL.split(separator: ":").last.map(String.init) ?? ""
        #expect(try await Self.get("127.0.0.1", port, "/_sandbox/faults").status == 200, "reachable on loopback")
        #expect(try await Self.get(outside, port, "/_sandbox/faults").status == 0, "not reachable from \(outside)")
    }

    @Test func onEveryAddressTheAdminAPIStillAnswersLoopbackOnly() async throws {
        let outside = try Self.outsideAddress()
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", "a", "--api-key", "k", "--host", "0.0.0.0"])
        defer { _ = sandbox.stop() }
        let port = sandbox.baseURL.split(separator: ":").last.map(String.init) ?? ""
        #expect(try await Self.get("127.0.0.1", port, "/_sandbox/faults").status == 200)
        for path in ["/_sandbox/faults", "/_sandbox/state", "/_sandbox/calls"] {
            let answer = try await Self.get(outside, port, path)
            #expect(answer.status == 403 && answer.body.contains("loopback clients only"), "\(path) from \(outside): \(answer)")
        }
        // The API itself answers there: an unsigned call is refused for its signature, not its address.
        let api = try await Self.get(outside, port, "/Warehouses")
        #expect(api.status == 403 && !api.body.contains("loopback"), "\(api)")
    }
}
