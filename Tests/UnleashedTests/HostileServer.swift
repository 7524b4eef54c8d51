import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scripted HTTP server on a free loopback port, plain sockets, one thread per connection:
/// what a slow, silent, redirecting or lying server does to the client (issue 21). Each
/// connection runs `script`, then is closed.
final class HostileServer: Sendable {
    let port: Int
    private let listener: Int32
    private let accepted = Atomic<Int>(0)

    /// Connections accepted so far.
    var connections: Int { accepted.load(ordering: .sequentiallyConsistent) }

    init(_ script: @escaping @Sendable (HostileConnection) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let counter = self
        Thread.detachNewThread {
            while true {
                let connection = accept(fd, nil, nil)
                if connection < 0 { return }
                counter.accepted.wrappingAdd(1, ordering: .sequentiallyConsistent)
                Thread.detachNewThread {
                    script(HostileConnection(fd: connection))
                    close(connection)
                }
            }
        }
    }

    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }

    /// Stops accepting (connections already open end with their scripts).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// One accepted connection, read and written with blocking calls.
struct HostileConnection: Sendable {
    let fd: Int32

    /// One request: its head (request line and headers) and its body (by `Content-Length`); nil when the client closed.
    func readRequest() -> (head: String, body: [UInt8])? {
        var buffer: [UInt8] = []
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = buffer.firstRange(of: end) {
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                var body = Array(buffer[range.upperBound...])
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                while body.count < length {
                    guard let more = readSome() else { return nil }
                    body += more
                }
                return (head, body)
            }
            guard let more = readSome() else { return nil }
            buffer += more
        }
    }

    /// Whatever bytes arrive next; nil when the client closed.
    func readSome() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(chunk[..<count]) : nil
    }

    /// Writes `text`; false once the client is gone.
    @discardableResult
    func write(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return sent == bytes.count
    }

    /// A whole answer with a JSON body.
    @discardableResult
    func answer(_ status: String, json: String, headers: String = "") -> Bool {
        write("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\(headers)\r\n\(json)")
    }

    /// Waits until the client closes, at most `seconds`.
    func waitForClose(seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while Date() < until {
            var byte: UInt8 = 0
            let count = recv(fd, &byte, 1, 0)
            if count == 0 { return }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK { return }
        }
    }
}
