import Crypto
import UnleashedContract

/// GUIDs in Unleashed's form (`8-4-4-4-12` lowercase hex), made by the sandbox (the form itself
/// is the contract's `UnleashedGuid`).
public enum GuidMaker {
    /// A stable GUID derived from a name (a SHA-256 of it, laid out as a version-5-style GUID),
    /// so seeded records and generated line GUIDs are the same on every run.
    public static func derived(from name: String) -> String {
        let digest = Array(SHA256.hash(data: Array(name.utf8)))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return format(bytes)
    }

    /// A random GUID (version 4).
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return format(bytes)
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
