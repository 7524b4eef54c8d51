/// Which hosts count as this machine: the one answer for every place that relaxes a guard for a
/// local peer (plain `http://` to the sandbox, a PostgreSQL ledger without TLS, `serve` and the
/// metrics endpoint bound without a warning, the sandbox's admin API).
///
/// Loopback is exactly:
/// - `localhost`, in any case. Not `localhost.` (the fully qualified form) and no other name:
///   a name is only as local as whoever answers for it, and a resolver that sends `localhost.`
///   to DNS, or a name such as `127.db.example.com` or `127.0.0.1.nip.io`, can point anywhere.
/// - an IPv4 address in 127.0.0.0/8 written as four decimal octets (`127.0.0.1`,
///   `127.255.255.254`), each 0-255 with no leading zero: `127.1`, `0177.0.0.1`, `0x7f.0.0.1`
///   and `127.0.0.01` are refused, because resolvers read those shorthand, octal and hex forms
///   differently (or hand them to DNS as names).
/// - the IPv6 address `::1` in any valid spelling (`0:0:0:0:0:0:0:1`, `0::1`), or an IPv4-mapped
///   address in 127.0.0.0/8 (`::ffff:127.0.0.1`, which is how a dual-stack socket reports an IPv4
///   loopback peer), with or without brackets (`[::1]`), in any case; no zone (`::1%lo0`).
public enum HostPolicy {
    /// Whether `host` (a name or a literal address, as written in a URL or a `--host` option, or
    /// a socket's peer address) is this machine; see the type for the rule.
    public static func isLoopback(_ host: String) -> Bool {
        var text = Substring(host)
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count > 2 else { return false }
            text = text.dropFirst().dropLast()
            return loopbackIPv6(text)
        }
        if text.contains(":") { return loopbackIPv6(text) }
        if text.utf8.count == 9, text.lowercased() == "localhost" { return true }
        return ipv4(text).map { $0 >> 24 == 127 } ?? false
    }

    /// The address of strict dotted-decimal IPv4 text (four octets 0-255, no leading zeros), or nil.
    static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ (0x30...0x39).contains($0) }),
                  part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            let value = part.reduce(0) { $0 * 10 + UInt32($1 - 0x30) }
            guard value <= 255 else { return nil }
            address = address << 8 | value
        }
        return address
    }

    /// `::1`, or `::ffff:` with an IPv4 address in 127.0.0.0/8 (hex or dotted), in any valid spelling.
    static func loopbackIPv6(_ text: Substring) -> Bool {
        guard let groups = ipv6(text) else { return false }
        if groups == [0, 0, 0, 0, 0, 0, 0, 1] { return true }
        return groups[0..<5].allSatisfy { $0 == 0 } && groups[5] == 0xFFFF && groups[6] >> 8 == 127
    }

    /// The eight 16-bit groups of IPv6 text (RFC 4291 section 2.2: groups of 1-4 hex digits, at
    /// most one `::`, optionally ending in a dotted IPv4 address), or nil.
    static func ipv6(_ text: Substring) -> [UInt16]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ half: Substring, last: Bool) -> [UInt16]? {
            if half.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (n, piece) in pieces.enumerated() {
                if last, n == pieces.count - 1, piece.contains(".") {
                    guard let v4 = ipv4(piece) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    guard (1...4).contains(piece.utf8.count), let value = UInt16(piece, radix: 16),
                          piece.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        guard let head = groups(halves[0], last: halves.count == 1) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1], last: true), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
