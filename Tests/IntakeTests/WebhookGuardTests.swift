import Batch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Intake
import Logging
import NIOCore
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The receiver's guards: body size, the token file, the token kept out of logs, the journal's bound.
@Suite struct WebhookGuardTests {
    typealias F = WebhookFixture

    @Test func aBodyOver10MBIs413BeforeItIsRead() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver { server in
            // Only the head is sent: the answer must come without the 11 MB behind it.
            let port = server.port
            let status = try await OffPool.run {
                try Self.statusOfHeadOnly(port: port, "POST /ordermentum/webhook/\(F.secret) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(11 << 20)\r\n\r\n")
            }
            #expect(status == 413)
            // At the limit itself is accepted (padding after the order is whitespace).
            let order = F.order("o-1")
            let exact = Array((order + String(repeating: " ", count: (10 << 20) - order.utf8.count)).utf8)
            #expect(try await server.send("POST", "/ordermentum/webhook/\(F.secret)", body: exact).status == 200)
        }
        #expect(try fixture.batchFiles().count == 1)
        #expect(!fixture.entries().contains("refused"))
    }

    @Test func aBodyWithoutALengthIsCutAtTheLimit() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let receiver = WebhookReceiver(inbox: fixture.inbox, token: try WebhookToken.load(path: fixture.tokenFile),
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let inbox = try WebhookInbox(directory: fixture.inbox.path, journalCapacity: 10, logger: receiver.logger)
        let app = receiver.application(inbox: inbox, host: "127.0.0.1", port: 0)
        try await app.test(.router) { client in
            // The router test client sends the buffer as the body with no Content-Length.
            let big = ByteBuffer(repeating: UInt8(ascii: " "), count: 11 << 20)
            let status = try await client.execute(uri: "/ordermentum/webhook/\(F.secret)", method: .post, body: big) { $0.status }
            #expect(status == .contentTooLarge)
        }
        #expect(try fixture.batchFiles().isEmpty)
    }

    @Test func theLimitIsConfigurable() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver(maxBody: 64) { server in
            let answer = try await server.post(F.order("o-1"))
            #expect(answer.status == 413)
            #expect(answer.body == "{\"error\":\"the body is larger than 64 bytes\"}\n")
        }
    }

    @Test func aTokenFileOthersCanReadIsRefused() throws {
        let fixture = try F()
        defer { fixture.remove() }
        for mode: mode_t in [0o644, 0o640, 0o604, 0o660] {
            chmod(fixture.tokenFile, mode)
            let error = #expect(throws: WebhookError.self) { try WebhookToken.load(path: fixture.tokenFile) }
            let message = error?.message ?? ""
            #expect(message.contains(fixture.tokenFile))
            #expect(message.contains("mode \(String(mode, radix: 8))"))
            #expect(message.contains("chmod 600 \(fixture.tokenFile)"))
            #expect(!message.contains(F.secret))
        }
        for mode: mode_t in [0o600, 0o400] {
            chmod(fixture.tokenFile, mode)
            #expect(throws: Never.self) { try WebhookToken.load(path: fixture.tokenFile) }
        }
        let missing = fixture.folder.appendingPathComponent("none").path
        let error = #expect(throws: WebhookError.self) { try WebhookToken.load(path: missing) }
        #expect(error?.message.contains(missing) == true)
    }

    @Test func theTokenIsTrimmedAndMustBeLongAndPlain() throws {
        let fixture = try F()
        defer { fixture.remove() }
        try F.writeToken("  \t\(F.secret)\r\n\n", to: fixture.tokenFile, mode: 0o600)
        let token = try WebhookToken.load(path: fixture.tokenFile)
        #expect(token.matches(Substring(F.secret)))
        #expect(!token.matches(Substring(F.secret + " ")))
        #expect(!"\(token)".contains(F.secret) && !String(reflecting: token).contains(F.secret))
        for bad in ["short_token_15c", "with space inside the token", "percent%2Fslash/token/abc", "ünïcødé-token-0123456789", ""] {
            try F.writeToken(bad + "\n", to: fixture.tokenFile, mode: 0o600)
            let error = #expect(throws: WebhookError.self) { try WebhookToken.load(path: fixture.tokenFile) }
            #expect(error?.message.contains(fixture.tokenFile) == true)
            #expect(bad.isEmpty || error?.message.contains(bad) == false)
        }
        #expect(throws: Never.self) { try WebhookToken(validating: "abcdefghijklmnop") }
    }

    @Test func theTokenNeverReachesTheLogs() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let logs = CapturedLogs()
        try await fixture.withReceiver(logger: logs.logger()) { server in
            let port = server.port
            #expect(try await server.post(F.order("o-1")).status == 200)
            #expect(try await server.post(F.order("o-1")).status == 200)
            #expect(try await server.post("not json").status == 400)
            #expect(try await server.post("{}").status == 400)
            #expect(try await server.send("GET", "/ordermentum/webhook/\(F.secret)?x=\(F.secret)").status == 405)
            #expect(try await server.post(F.order("o-2"), token: F.secret + "0").status == 404)
            let status = try await OffPool.run {
                try Self.statusOfHeadOnly(port: port, "POST /ordermentum/webhook/\(F.secret) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(11 << 20)\r\n\r\n")
            }
            #expect(status == 413)
            // A request line that does not parse.
            _ = try? await OffPool.run {
                try Self.statusOfHeadOnly(port: port, "POST /ordermentum/webhook/\(F.secret) HTTP/9.9 \(F.secret)\r\n\r\n")
            }
        }
        let text = logs.text
        #expect(text.contains("delivery written"))
        #expect(text.contains("duplicate delivery dropped"))
        #expect(text.contains("delivery refused"))
        #expect(text.contains("wrong token"))
        #expect(!text.contains(F.secret), "\(text)")
        #expect(!text.contains(String(F.secret.prefix(12))))
    }

    @Test func theJournalIsBoundedAndForgetsTheOldest() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver(journalCapacity: 2) { server in
            for n in 1...5 {
                let reply1 = try await server.post(F.order("o-\(n)"))
                #expect(reply1.body.hasPrefix("{\"accepted\":1"))
                #expect(fixture.journal().count <= 4)
            }
        }
        #expect(fixture.journal().count == 2)
        try await fixture.withReceiver(journalCapacity: 2) { server in
            let reply2 = try await server.post(F.order("o-5"))
            #expect(reply2.body.contains("\"duplicate\""))
            let reply3 = try await server.post(F.order("o-4"))
            #expect(reply3.body.contains("\"duplicate\""))
            // Forgotten: written again (the import then skips it as the same version).
            let reply4 = try await server.post(F.order("o-1"))
            #expect(reply4.body.hasPrefix("{\"accepted\":1"))
        }
        #expect(try fixture.batchFiles().count == 6)
    }

    @Test func aTornJournalLineIsDroppedAtStart() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver { server in
            _ = try await server.post(F.order("o-1"))
        }
        let journal = fixture.inbox.appendingPathComponent(".webhook-seen")
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("0123abc".utf8))
        try handle.close()
        try await fixture.withReceiver { server in
            let reply5 = try await server.post(F.order("o-1"))
            #expect(reply5.body.contains("\"duplicate\""))
            _ = try await server.post(F.order("o-2"))
        }
        let lines = fixture.journal()
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.count == 64 })
    }

    /// Sends `head` only and returns the answer's status (the server may keep the connection open).
    static func statusOfHeadOnly(port: Int, _ head: String) throws -> Int {
        let connection = try RawConnection(port: port)
        try connection.send(head)
        return try connection.status()
    }
}
