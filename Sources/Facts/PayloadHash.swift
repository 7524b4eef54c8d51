import Crypto

/// The hash that tells whether an order changed since it was last pushed: hex SHA-256 of the
/// payload bytes the pipeline wrote (its output is deterministic: same order, rules and settings,
/// same bytes).
public enum PayloadHash {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func of(_ bytes: some Collection<UInt8>) -> String {
        let digest = SHA256.hash(data: Array(bytes))
        return digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
