import Batch
import Foundation
@testable import Intake
import Logging
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A temporary inbox with a token file, and receivers on 127.0.0.1 port 0 over it, reached with
/// real HTTP (`RawHTTP`, off the cooperative pool).
struct WebhookFixture {
    static let secret = "test_Token-0123456789abcdefXYZ"
    let folder: URL
    let inbox: URL
    let tokenFile: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)")
        inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        tokenFile = folder.appendingPathComponent("token").path
        try Self.writeToken(Self.secret + "\n", to: tokenFile, mode: 0o600)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    static func writeToken(_ text: String, to path: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    /// A receiver over the inbox, listening; `body` gets it, and it is stopped after.
    func withReceiver(host: String = "127.0.0.1", logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, maxBody: Int = 10 << 20,
                                   journalCapacity: Int = 100_000, onAccepted: @escaping @Sendable () -> Void = {},
                                   _ body: (Running) async throws -> Void) async throws {
        let receiver = WebhookReceiver(inbox: inbox, token: try WebhookToken.load(path: tokenFile), maxBody: maxBody,
                                       journalCapacity: journalCapacity, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await receiver.run(host: host, port: 0, onListening: { continuation.yield($0) }, onAccepted: onAccepted)
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw WebhookError("the receiver stopped before listening")
        }
        defer { task.cancel() }
        try await body(Running(port: port))
        task.cancel()
        _ = await task.result
    }

    struct Running: Sendable {
        let port: Int

        /// POSTs `body` to the webhook path with `token` (the fixture's unless given).
        func post(_ body: String, token: String = WebhookFixture.secret) async throws -> (status: Int, body: String) {
            try await send("POST", "/ordermentum/webhook/\(token)", body: Array(body.utf8))
        }

        func send(_ method: String, _ path: String, body: [UInt8] = [], headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
            let port = port
            let answer = try await OffPool.run { try RawHTTP.request(method, port: port, path, headers: headers, body: body) }
            return (answer.status, String(decoding: answer.body, as: UTF8.self))
        }
    }

    /// The batch files in the inbox (`*.json`, not hidden), sorted.
    func batchFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    /// Everything in the inbox, hidden names included.
    func entries(_ sub: String? = nil) -> [String] {
        let path = sub.map { inbox.appendingPathComponent($0).path } ?? inbox.path
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// The orders of a batch file, read the way the import reads it: (id, exact bytes).
    func orders(in name: String) throws -> [(id: String, bytes: String)] {
        let reader = try BatchReader(path: inbox.appendingPathComponent(name).path)
        var result: [(id: String, bytes: String)] = []
        for item in reader {
            switch item {
            case .record(let record):
                let order = record.order
                let id = order.member(order.root, JSONKey("id")).flatMap { order.string($0) ?? order.number($0)?.text } ?? "?"
                result.append((id, String(decoding: order.sourceBytes, as: UTF8.self)))
            case .problem(let problem):
                throw WebhookError("\(name): \(problem)")
            }
        }
        return result
    }

    /// The journal's lines.
    func journal() -> [String] {
        let text = (try? String(contentsOf: inbox.appendingPathComponent(".webhook-seen"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// An order object's JSON.
    static func order(_ id: String, updatedAt: String? = "2026-12-08T01:00:00.000Z", comment: String = "c", event: String? = nil) -> String {
        var members: [String] = []
        if let event { members.append("\"event\":\"\(event)\"") }
        members.append("\"id\":\"\(id)\"")
        if let updatedAt { members.append("\"updatedAt\":\"\(updatedAt)\"") }
        members.append("\"comment\":\"\(comment)\"")
        members.append("\"lines\":[{\"productId\":\"p1\",\"quantity\":2.50}]")
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// Every log line, rendered with its metadata, for checking what reaches the logs.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    /// A logger at trace level writing here.
    func logger() -> Logger {
        var logger = Logger(label: "webhook-test") { label in Handler(label: label, sink: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let label: String
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.append("\(event.level) [\(label)] \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}

/// One blocking loopback connection, written in pieces (`RawHTTP` sends a request whole).
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebhookError("socket: \(errno)") }
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw WebhookError("connect: \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw WebhookError("send: \(errno)") }
    }

    /// Reads until the answer's head is complete and returns its status.
    func status() throws -> Int {
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while answer.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw WebhookError("no answer (recv \(count), errno \(errno))") }
            answer += chunk[0..<count]
        }
        let line = String(decoding: answer.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
        guard line.count >= 2, let status = Int(line[1]) else { throw WebhookError("not an HTTP answer") }
        return status
    }
}
