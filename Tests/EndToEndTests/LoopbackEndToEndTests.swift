import Batch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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

    /// The HTTP status and body of a GET (status 0 when the connection is refused).
    static func get(_ url: String) -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer = (0, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            answer = ((response as? HTTPURLResponse)?.statusCode ?? 0, data.map { String(decoding: $0, as: UTF8.self) } ?? "")
            done.signal()
        }.resume()
        done.wait()
        return answer
    }

    static func status(_ url: String) -> Int { get(url).status }

    @Test func theSandboxListensOnLoopbackByDefault() async throws {
        let outside = try Self.outsideAddress()
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", "a", "--api-key", "k"])
        defer { _ = sandbox.stop() }
        #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
        let port = sandbox.baseURL.split(separator: ":").last.map(String.init) ?? ""
        #expect(Self.status(sandbox.baseURL + "/_sandbox/faults") == 200, "reachable on loopback")
        #expect(Self.status("http://\(outside):\(port)/_sandbox/faults") == 0, "not reachable from \(outside)")
    }

    @Test func onEveryAddressTheAdminAPIStillAnswersLoopbackOnly() async throws {
        let outside = try Self.outsideAddress()
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", "a", "--api-key", "k", "--host", "0.0.0.0"])
        defer { _ = sandbox.stop() }
        let port = sandbox.baseURL.split(separator: ":").last.map(String.init) ?? ""
        #expect(Self.status("http://127.0.0.1:\(port)/_sandbox/faults") == 200)
        for path in ["/_sandbox/faults", "/_sandbox/state", "/_sandbox/calls"] {
            let answer = Self.get("http://\(outside):\(port)\(path)")
            #expect(answer.status == 403 && answer.body.contains("loopback clients only"), "\(path) from \(outside): \(answer)")
        }
        // The API itself answers there: an unsigned call is refused for its signature, not its address.
        let api = Self.get("http://\(outside):\(port)/Warehouses")
        #expect(api.status == 403 && !api.body.contains("loopback"), "\(api)")
    }
}
