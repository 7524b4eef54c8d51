import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 GET over a blocking loopback socket, for tests that watch a server while a
/// child process works: it shares no queue with URLSession (whose shared session the many tests
/// running at once keep busy), so a watch loop sees the server as it is now.
public enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The body of `GET path` on 127.0.0.1:`port` (throws unless the status is 200).
    public static func get(port: Int, _ path: String) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to port \(port): \(errno)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw Failure(description: "send: \(errno)")
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 { if errno == EINTR { continue }; throw Failure(description: "recv: \(errno)") }
            if count == 0 { break }
            answer += chunk[0..<count]
        }
        guard let end = answer.firstRange(of: Array("\r\n\r\n".utf8)) else { throw Failure(description: "no HTTP header in the answer") }
        let head = String(decoding: answer[..<end.lowerBound], as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 200") else { throw Failure(description: "GET \(path): \(head.prefix(80))") }
        let body = Array(answer[end.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { return dechunked(body) }
        return body
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
