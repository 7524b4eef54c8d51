#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// The secret in the webhook URL (`POST /ordermentum/webhook/TOKEN`): Ordermentum documents no
/// signature, so whoever knows the URL may deliver. Read from a file only the owner can read
/// (`--webhook-token-file`); the value itself is not kept: only its SHA-256, which `matches`
/// compares in constant time (`SHA256Digest ==` is swift-crypto's `safeCompare`). The token is in
/// no message, description or log line.
public struct WebhookToken: Sendable, CustomStringConvertible {
    /// The shortest token accepted, in characters.
    public static let minimumLength = 16
    /// The longest token accepted, in characters.
    public static let maximumLength = 256

    let digest: SHA256Digest

    /// The token in `text` (surrounding whitespace trimmed): at least `minimumLength` characters of
    /// `A-Z a-z 0-9 _ -`. The error names `source` and what is wrong, never the text.
    public init(validating text: String, source: String = "the webhook token") throws(WebhookError) {
        let token = text.trimmingWhitespace()
        let allowed = token.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
        guard allowed, (Self.minimumLength...Self.maximumLength).contains(token.utf8.count) else {
            let what = !allowed ? "holds characters other than A-Z a-z 0-9 _ -"
                : "is \(token.utf8.count) characters long (\(Self.minimumLength) to \(Self.maximumLength) needed)"
            throw WebhookError("\(source): the webhook token \(what); make one with `(umask 077; openssl rand -hex 32 > FILE)`")
        }
        digest = SHA256.hash(data: Array(token.utf8))
    }

    /// Reads the token file: a regular file that only its owner may read or write (mode 0600 or
    /// stricter; refused otherwise, saying the mode and `chmod 600 FILE`), holding the token.
    public static func load(path: String) throws(WebhookError) -> WebhookToken {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw WebhookError("\(path): cannot read the webhook token file (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw WebhookError("\(path): the webhook token file is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw WebhookError("\(path): the webhook token file has mode \(String(mode, radix: 8)), so others can read it; "
                               + "the token must be private: run `chmod 600 \(path)`")
        }
        let bytes: [UInt8]
        do { bytes = try DurableFiles.read(path, limit: 4096) } catch {
            throw WebhookError("\(path): cannot read the webhook token file (\(error.reason))")
        }
        return try WebhookToken(validating: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// True when `candidate` is the token (time independent of where they differ).
    func matches(_ candidate: Substring) -> Bool {
        SHA256.hash(data: Array(candidate.utf8)) == digest
    }

    /// Never the token.
    public var description: String { "WebhookToken(redacted)" }
}

extension String {
    /// Without leading and trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

/// A receiver problem (bad token file, address not allowed, inbox not usable): what, where, what to do.
public struct WebhookError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
