import Foundation
import Unleashed
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Unleashed credentials: from `UNLEASHED_API_ID`, `UNLEASHED_API_KEY` and
/// `UNLEASHED_API_URL`, else from the credentials file that `omsync connect` writes
/// (`.omsync/credentials`, mode 0600, JSON `{"apiId","apiKey","apiURL"}`).
///
/// The file is refused when anyone but its owner can read or write it: the API key is a secret.
/// The key never appears in output, errors or logs (`APIKey` prints as `<redacted>`).
enum CredentialsFile {
    /// The default file, under the working directory.
    static let defaultPath = ".omsync/credentials"

    /// What went wrong, with what to do.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Credentials from the environment (all of `UNLEASHED_API_ID` and `UNLEASHED_API_KEY`
    /// set) or the file; the URL from `UNLEASHED_API_URL`, the file, or Unleashed's own.
    static func load(path: String = defaultPath, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UnleashedCredentials {
        let envURL = environment["UNLEASHED_API_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let id = environment["UNLEASHED_API_ID"], let key = environment["UNLEASHED_API_KEY"], !id.isEmpty, !key.isEmpty {
            return UnleashedCredentials(apiID: id, apiKey: APIKey(key), baseURL: envURL ?? UnleashedCredentials.defaultBaseURL)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw Problem(description: "no Unleashed credentials: set UNLEASHED_API_ID and UNLEASHED_API_KEY (and UNLEASHED_API_URL for the sandbox), or run `omsync connect` to store them in \(path)")
        }
        try checkPrivate(path)
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let id = object["apiId"] as? String, let key = object["apiKey"] as? String, !id.isEmpty, !key.isEmpty else {
            throw Problem(description: "\(path): not a credentials file omsync wrote (it needs apiId and apiKey); run `omsync connect` again")
        }
        let url = envURL ?? (object["apiURL"] as? String) ?? UnleashedCredentials.defaultBaseURL
        return UnleashedCredentials(apiID: id, apiKey: APIKey(key), baseURL: url)
    }

    /// Refuses a file that its group or others may read or write.
    static func checkPrivate(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(description: "\(path): cannot be read (\(String(cString: strerror(errno))))")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw Problem(description: "\(path): is a directory, not a credentials file; give the file `omsync connect` wrote (e.g. .omsync/credentials)")
        }
        if info.st_mode & 0o077 != 0 {
            throw Problem(description: "\(path): others can read it (mode \(String(info.st_mode & 0o777, radix: 8))); the API key must be private: run `chmod 600 \(path)`")
        }
    }

    /// Writes the credentials atomically with mode 0600 (the folder 0700 when it is created).
    static func save(_ credentials: UnleashedCredentials, secret: String, path: String = defaultPath) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let object: [String: String] = ["apiId": credentials.apiID, "apiKey": secret, "apiURL": credentials.baseURL]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        let temporary = folder.appendingPathComponent(".credentials-\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0o600)
        guard fd >= 0 else { throw Problem(description: "\(temporary): cannot be created (\(String(cString: strerror(errno))))") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Problem(description: "\(path): cannot be written (\(String(cString: strerror(errno))))")
        }
    }
}
