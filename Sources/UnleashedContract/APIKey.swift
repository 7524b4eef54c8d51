/// An Unleashed API key: the secret that signs every request.
///
/// It prints as `<redacted>` everywhere (`description`, `debugDescription`, `dump`, string
/// interpolation, reflection) and is deliberately not `Codable`, so it cannot be written to a file
/// or a log by accident. Only `RequestSigner` reads the secret.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret's UTF-8 bytes (module-internal: only the signer uses them).
    let bytes: [UInt8]

    /// Wraps a secret read from the environment or the credentials file.
    public init(_ secret: String) {
        self.bytes = Array(secret.utf8)
    }

    /// True when the key is the empty string (a configuration mistake worth reporting).
    public var isEmpty: Bool { bytes.isEmpty }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// A mirror with no children, so `dump` and `Mirror` show nothing but `<redacted>`.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: nil) }
}
