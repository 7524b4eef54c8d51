import Crypto
import Foundation

/// What identifies a batch for resuming: hex SHA-256 over the files' contents in order (each
/// preceded by its length, so two files cannot pass for one). The files are streamed in 1 MiB
/// pieces, so memory does not grow with them.
enum BatchFingerprint {
    /// The fingerprint of `paths`; throws the path and reason of a file that cannot be read.
    static func of(_ paths: [String]) throws(PushError) -> String {
        var hasher = SHA256()
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw .unreadableBatch(path: path, reason: "cannot be opened (missing, a directory, or no permission)")
            }
            defer { try? handle.close() }
            var length: UInt64 = 0
            var digest = SHA256()
            while true {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                } catch {
                    throw .unreadableBatch(path: path, reason: "cannot be read (\(error.localizedDescription))")
                }
                if chunk.isEmpty { break }
                length += UInt64(chunk.count)
                digest.update(data: chunk)
            }
            hasher.update(data: Data(String(length).utf8))
            hasher.update(data: Data(digest.finalize()))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
