/// The API ID and key the sandbox accepts (sandbox credentials, never real Unleashed ones).
public struct SandboxCredentials: Sendable, Equatable {
    /// Sent by clients in `api-auth-id`.
    public var apiId: String
    /// Keys the HMAC signature; never printed after start-up.
    public var apiKey: String

    /// A fixed pair.
    public init(apiId: String, apiKey: String) {
        self.apiId = apiId
        self.apiKey = apiKey
    }

    /// A fresh random pair: the ID is a GUID, the key 32 random bytes in Base64.
    public static func generate() -> SandboxCredentials {
        var generator = SystemRandomNumberGenerator()
        let keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return SandboxCredentials(apiId: GuidMaker.random(), apiKey: base64(keyBytes))
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            let b0 = chunk[chunk.startIndex]
            let b1 = chunk.count > 1 ? chunk[chunk.startIndex + 1] : 0
            let b2 = chunk.count > 2 ? chunk[chunk.startIndex + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(chunk.count > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(chunk.count > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
