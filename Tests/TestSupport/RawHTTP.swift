import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 GET over a blocking loopback socket, for tests that watch a server while a
/// child process works: it shares no queue with URLSession (whose shared session the many tests
/// running at once keep busy), so a watch loop sees the server as it is now.
public enum RawHTTP {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// Nothing listens at the address (ECONNREFUSED): the connection was refused, not lost.
        public var refused = false
    }

    /// The body of `GET path` on 127.0.0.1:`port` (throws unless the status is 200).
    public static func get(port: Int, _ path: String) throws -> [UInt8] {
        let answer = try request("GET", port: port, path)
        guard answer.status == 200 else { throw Failure(description: "GET \(path): HTTP \(answer.status)") }
        return answer.body
    }

    /// One request to `host`:`port` (an IPv4 address, loopback unless given; `path` with its
    /// query), answered whatever its status; throws on a socket error (`refused` when nothing
    /// listens there), a malformed answer, or no answer within `timeout` seconds.
    public static func request(_ method: String, host: String = "127.0.0.1", port: Int, _ path: String,
                               headers: [String: String] = [:], body: [UInt8] = [],
                               timeout: Int = 10) throws -> (status: Int, body: [UInt8]) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            throw Failure(description: "connect to \(host):\(port): \(String(cString: strerror(code)))", refused: code == ECONNREFUSED)
        }
        // A `Host` among `headers` replaces the one naming the address (a test of a foreign Host).
        let ownHost = headers.keys.contains { $0.lowercased() == "host" } ? "" : "Host: \(host):\(port)\r\n"
        var head = "\(method) \(path) HTTP/1.1\r\n\(ownHost)Connection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method != "GET" { head += "Content-Length: \(body.count)\r\n" }
        let message = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < message.count {
            let count = message[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 { if errno == EINTR { continue }; throw Failure(description: "send: \(errno)") }
            sent += count
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: errno == EAGAIN || errno == EWOULDBLOCK ? "\(method) \(path): no answer within \(timeout) s" : "recv: \(errno)")
            }
            if count == 0 { break }
            answer += chunk[0..<count]
        }
        guard let end = answer.firstRange(of: Array("\r\n\r\n".utf8)) else { throw Failure(description: "no HTTP header in the answer") }
        let header = String(decoding: answer[..<end.lowerBound], as: UTF8.self)
        let parts = header.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "\(method) \(path): not an HTTP answer: \(header.prefix(80))")
        }
        let payload = Array(answer[end.upperBound...])
        return (status, header.lowercased().contains("transfer-encoding: chunked") ? dechunked(payload) : payload)
    }

    /// The port and the path (with its query) of a loopback `http://` URL, or nil.
    public static func loopback(_ url: String) -> (port: Int, path: String)? {
        guard let parts = URLComponents(string: url), parts.scheme == "http",
              parts.host == "127.0.0.1" || parts.host == "localhost", let port = parts.port else { return nil }
        let path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
        return (port, path + (parts.percentEncodedQuery.map { "?" + $0 } ?? ""))
    }

    /// A chunked body put back together.
    static func dechunked(_ body: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < body.count {
            guard let lineEnd = body[index...].firstRange(of: Array("\r\n".utf8)) else { break }
            let size = Int(String(decoding: body[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? "", radix: 16) ?? 0
            if size == 0 { break }
            let start = lineEnd.upperBound
            result += body[start..<min(body.count, start + size)]
            index = start + size + 2
        }
        return result
    }
}
