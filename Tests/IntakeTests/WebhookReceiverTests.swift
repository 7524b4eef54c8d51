import Batch
import Foundation
@testable import Intake
import Logging
import TestSupport
import Testing

/// The receiver end to end: real HTTP on 127.0.0.1, files read back as the import reads them.
@Suite struct WebhookReceiverTests {
    typealias F = WebhookFixture

    @Test func eachBodyFormIsWrittenAsABatchBeforeTheAnswer() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let single = F.order("o-1", event: "order_created")
        let wrapped = F.order("o-2")
        let listed = [F.order("o-3"), F.order("o-4", updatedAt: nil)]
        let cases: [(body: String, ids: [String], orders: [String])] = [
            (single, ["o-1"], [single]),
            ("{\"event\":\"order_updated\",\"data\":\(wrapped)}", ["o-2"], [wrapped]),
            ("{\"data\":[\(listed.joined(separator: ","))]}", ["o-3", "o-4"], listed),
        ]
        try await fixture.withReceiver { server in
            var known: Set<String> = []
            for (body, ids, orders) in cases {
                let answer = try await server.post(body)
                // Read at once: the file must be in the inbox when the 2xx arrives.
                let files = Set(try fixture.batchFiles())
                #expect(answer.status == 200)
                #expect(answer.body == "{\"accepted\":\(ids.count),\"duplicates\":0}\n")
                let new = files.subtracting(known)
                #expect(new.count == 1)
                known = files
                guard let file = new.first else { continue }
                #expect(file.hasPrefix("webhook-") && file.hasSuffix(".json"))
                let read = try fixture.orders(in: file)
                #expect(read.map(\.id) == ids)
                // Each order's bytes as received (the `event` member Ordermentum adds included).
                #expect(read.map(\.bytes) == orders)
            }
            #expect(!fixture.entries().contains { $0.hasSuffix(".tmp") })
        }
    }

    @Test func aDeliveryRepeatedIsAnsweredAndDropped() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let body = F.order("o-1", event: "order_updated")
        try await fixture.withReceiver { server in
            #expect(try await server.post(body).status == 200)
            let again = try await server.post(body)
            #expect(again.status == 200)
            #expect(again.body == "{\"accepted\":0,\"duplicates\":1,\"status\":\"duplicate\"}\n")
            // The same version under another envelope is the same version.
            let wrapped = try await server.post("{\"data\":[\(F.order("o-1"))]}")
            #expect(wrapped.body.contains("\"duplicate\""))
        }
        #expect(try fixture.batchFiles().count == 1)
        #expect(fixture.journal().count == 1)
    }

    @Test func deDuplicationSurvivesARestartAndANewerVersionIsWritten() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let body = F.order("o-1")
        try await fixture.withReceiver { server in
            let first = try await server.post(body)
            #expect(first.status == 200)
        }
        try await fixture.withReceiver { server in
            let again = try await server.post(body)
            #expect(again.status == 200)
            #expect(again.body.contains("\"duplicate\""))
            #expect(try fixture.batchFiles().count == 1)
            let newer = try await server.post(F.order("o-1", updatedAt: "2026-12-08T02:00:00.000Z", comment: "newer"))
            #expect(newer.body == "{\"accepted\":1,\"duplicates\":0}\n")
        }
        let files = try fixture.batchFiles()
        #expect(files.count == 2)
        #expect(try files.flatMap { try fixture.orders(in: $0).map(\.bytes) }.contains { $0.contains("newer") })
    }

    @Test func aListWritesOnlyItsUnseenOrders() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver { server in
            _ = try await server.post(F.order("o-1"))
            let answer = try await server.post("{\"data\":[\(F.order("o-1")),\(F.order("o-2")),\(F.order("o-2"))]}")
            #expect(answer.body == "{\"accepted\":1,\"duplicates\":2}\n")
        }
        let files = try fixture.batchFiles()
        #expect(files.count == 2)
        #expect(Set(try files.map { try fixture.orders(in: $0).map(\.id) }) == [["o-1"], ["o-2"]])
    }

    @Test func theSameVersionDeliveredConcurrentlyIsWrittenOnce() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let body = F.order("o-1")
        try await fixture.withReceiver { server in
            let answers = try await withThrowingTaskGroup(of: (status: Int, body: String).self) { group in
                for _ in 0..<8 { group.addTask { try await server.post(body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 200 })
            #expect(answers.filter { $0.body.hasPrefix("{\"accepted\":1") }.count == 1)
        }
        #expect(try fixture.batchFiles().count == 1)
    }

    @Test func aDeliveryInFlightWhenTheRunIsCancelledIsWrittenAndAnswered() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let receiver = WebhookReceiver(inbox: fixture.inbox, token: try WebhookToken.load(path: fixture.tokenFile),
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await receiver.run(host: "127.0.0.1", port: 0, onListening: { continuation.yield($0) })
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let body = F.order("o-1")
        let half = body.utf8.count / 2
        let connection = try RawConnection(port: port)
        try connection.send("POST /ordermentum/webhook/\(F.secret) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                            + String(body.prefix(half)))
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        try await Task.sleep(for: .milliseconds(200))
        try connection.send(String(body.dropFirst(half)))
        let status = try await OffPool.run { try connection.status() }
        #expect(status == 200)
        _ = try await task.value
        #expect(try fixture.batchFiles().count == 1)
        // Stopped: nothing listens any more.
        await #expect(throws: (any Error).self) { try await OffPool.run { _ = try RawConnection(port: port) } }
    }

    @Test func aBracketedIPv6LoopbackIsListenedOn() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver(host: "[::1]") { server in
            #expect(server.port > 0)
        }
    }

    @Test func anOrderWithoutUpdatedAtIsKeyedByItsBytes() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver { server in
            _ = try await server.post(F.order("o-1", updatedAt: nil, comment: "a"))
            let reply1 = try await server.post(F.order("o-1", updatedAt: nil, comment: "a"))
            #expect(reply1.body.contains("\"duplicate\""))
            let reply2 = try await server.post(F.order("o-1", updatedAt: nil, comment: "b"))
            #expect(reply2.body.hasPrefix("{\"accepted\":1"))
        }
        #expect(try fixture.batchFiles().count == 2)
    }

    @Test func aWrongOrMissingTokenIs404WithNoDetailAndNothingWritten() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let calls = AcceptCounter()
        try await fixture.withReceiver(onAccepted: { calls.bump() }) { server in
            for token in ["wrong_token-0123456789abcdefXYZ", String(F.secret.dropLast()), F.secret + "x", ""] {
                let answer = try await server.post(F.order("o-1"), token: token)
                #expect(answer.status == 404)
                #expect(answer.body.isEmpty)
            }
            #expect(try await server.send("POST", "/elsewhere", body: Array(F.order("o-1").utf8)).status == 404)
            #expect(try await server.send("POST", "/ordermentum/webhook/\(F.secret)/", body: Array(F.order("o-1").utf8)).status == 404)
            let get = try await server.send("GET", "/ordermentum/webhook/\(F.secret)")
            #expect(get.status == 405)
            #expect(try await server.send("GET", "/").status == 404)
            #expect(calls.count == 0)
            #expect(try await server.post(F.order("o-1")).status == 200)
            #expect(calls.count == 1)
        }
        #expect(try fixture.batchFiles().count == 1)
        #expect(!fixture.entries().contains("refused"))
    }

    @Test func aBodyThatIsNotJSONIs400AndKeptInRefused() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let body = "order_created id=o-1 {"
        try await fixture.withReceiver { server in
            let answer = try await server.post(body)
            #expect(answer.status == 400)
            #expect(answer.body.hasPrefix("{\"error\":\"not JSON: line 1, column 1"))
        }
        #expect(try fixture.batchFiles().isEmpty)
        let refused = fixture.entries("refused").filter { !$0.hasPrefix(".") }
        #expect(refused.count == 2)
        let kept = try #require(refused.first { $0.hasSuffix(".body") })
        #expect(refused.contains(String(kept.dropLast(".body".count)) + ".reason.txt"))
        let folder = fixture.inbox.appendingPathComponent("refused")
        #expect(try String(contentsOf: folder.appendingPathComponent(kept), encoding: .utf8) == body)
        let reason = try String(contentsOf: folder.appendingPathComponent(String(kept.dropLast(".body".count)) + ".reason.txt"), encoding: .utf8)
        #expect(reason.hasPrefix("not JSON: "))
        #expect(fixture.journal().isEmpty)
    }

    @Test(arguments: [
        ("{\"hello\":1}", "no \"id\" and no \"data\""),
        ("[\(WebhookFixture.order("o-1"))]", "the body is an array"),
        ("{\"id\":\"\"}", "the \"id\" of the order is a string"),
        ("{\"id\":null,\"event\":\"order_created\"}", "is null"),
        ("{\"data\":[\(WebhookFixture.order("o-1")),{\"comment\":\"x\"}]}", "\"data\"[1] has no \"id\""),
        ("{\"event\":\"order_created\",\"data\":\"o-1\"}", "\"data\" is a string"),
        ("{\"data\":[]}", "empty list"),
        ("", "the body is empty"),
    ])
    func jsonThatIsNotAnOrderIs400(body: String, reason: String) async throws {
        let fixture = try F()
        defer { fixture.remove() }
        try await fixture.withReceiver { server in
            let answer = try await server.post(body)
            #expect(answer.status == 400)
            #expect(answer.body.contains(reason.replacingOccurrences(of: "\"", with: "\\\"")), "\(answer.body)")
        }
        #expect(try fixture.batchFiles().isEmpty)
        #expect(fixture.entries("refused").contains { $0.hasSuffix(".reason.txt") })
    }

    @Test func theListenAddressMustBeLoopbackUnlessAllowed() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let receiver = WebhookReceiver(inbox: fixture.inbox, token: try WebhookToken.load(path: fixture.tokenFile),
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        for host in ["0.0.0.0", "::", "192.168.1.10", "localhost.", "example.com"] {
            await #expect(throws: WebhookError.self) { try await receiver.run(host: host, port: 0) }
        }
        #expect(throws: Never.self) { try WebhookReceiver.checkListenAddress("0.0.0.0", allowNonLoopback: true) }
        for host in ["127.0.0.1", "::1", "localhost"] {
            #expect(throws: Never.self) { try WebhookReceiver.checkListenAddress(host, allowNonLoopback: false) }
        }
    }

    @Test func anInboxThatIsNotADirectoryIsRefusedBeforeListening() async throws {
        let fixture = try F()
        defer { fixture.remove() }
        let missing = fixture.folder.appendingPathComponent("nowhere")
        let receiver = WebhookReceiver(inbox: missing, token: try WebhookToken.load(path: fixture.tokenFile),
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let error = await #expect(throws: WebhookError.self) { try await receiver.run(host: "127.0.0.1", port: 0) }
        #expect(error?.message.contains(missing.path) == true)
    }
}

/// Counts `onAccepted` calls.
final class AcceptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var count: Int { lock.withLock { value } }
    func bump() { lock.withLock { value += 1 } }
}
