import Foundation
import Rules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rules folder the page edits: its rule files and settings file, read as text, checked in
/// memory with edits laid over them, and written back atomically.
///
/// A file is named by its plain name (`omsync.yaml`), never by a path: a name with a `/`, `..`,
/// a leading dot or a NUL, a name that is not `*.yaml`/`*.yml`, and an entry that is a symbolic
/// link (or resolves outside the folder) are refused. Checked paths and diagnostics use
/// `directory + "/" + name`, as `omsync check --rules directory` prints them.
public struct RuleWorkspace: Sendable {
    /// The rules folder as given (`rules`).
    public let directory: String

    /// Why a file name or a save was refused.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        /// The HTTP status that says it (400, 403, 404, 409, 413, 422).
        public var status: Int
        public var message: String
        public var description: String { message }
    }

    /// A workspace on `directory`.
    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The path of `name` as the checker names it.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// The names of the files the page edits: rule files, then `settings.yaml`, as the loader reads them.
    public func names() -> [String] {
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let yaml = listed.filter { Self.isRuleFileName($0) && !isLink($0) }.sorted()
        return yaml.filter { !Self.isSettings($0) } + yaml.filter(Self.isSettings)
    }

    /// Every editable file with its text.
    public func files() -> [(name: String, text: String)] {
        names().compactMap { name in (try? String(contentsOfFile: path(name), encoding: .utf8)).map { (name, $0) } }
    }

    /// Loads and checks the rule set with `edits` (name → text) laid over the files on disk;
    /// a name in `edits` that is not a file yet is checked as a new rule file.
    public func check(_ edits: [String: String] = [:], settingsFiles: [String] = [], overrides: [String] = []) throws(Refusal) -> RuleLoadResult {
        for name in edits.keys { try validate(name) }
        var texts = Dictionary(files().map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        texts.merge(edits) { _, edited in edited }
        let ordered = texts.keys.sorted()
        let rules = ordered.filter { !Self.isSettings($0) }.map { (path: path($0), text: texts[$0] ?? "") }
        var settings = ordered.filter(Self.isSettings).map { (path: path($0), text: texts[$0] ?? "") }
        for file in settingsFiles {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) { settings.append((file, text)) }
        }
        return RuleLoader.load(files: rules, settingsFiles: settings, overrides: overrides)
    }

    /// Refuses a name that is not a plain rule file name directly in the folder.
    public func validate(_ name: String) throws(Refusal) {
        guard !name.isEmpty, name.utf8.count <= 255, !name.contains("/"), !name.contains("\\"), !name.contains("\0"),
              !name.hasPrefix("."), name != "..", !name.contains("..") else {
            throw Refusal(status: 403, message: "'\(name)' is not a file name inside the rules folder: give a plain name such as omsync.yaml")
        }
        guard Self.isRuleFileName(name) else {
            throw Refusal(status: 403, message: "'\(name)' is not a rule file: only *.yaml and *.yml files directly in \(directory) can be edited")
        }
        if isLink(name) {
            throw Refusal(status: 403, message: "\(path(name)) is a symbolic link: the page only writes regular files inside \(directory)")
        }
        var info = stat()
        if lstat(path(name), &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw Refusal(status: 403, message: "\(path(name)) is not a regular file")
        }
        // The folder itself may be a link (rules -> elsewhere); the file must resolve inside it.
        let folder = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: path(name)).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(folder + "/") else {
            throw Refusal(status: 403, message: "\(path(name)) resolves outside the rules folder")
        }
    }

    /// Writes `text` to `name` atomically (a temporary file in the folder with the file's mode,
    /// fsync, rename, fsync of the folder), only when the whole rule set with this text checks
    /// without errors. Returns the check.
    ///
    /// Saves are serialised (a lock in this process, and `flock` on the folder against another
    /// `omsync serve` on it), and each is checked under that lock against the files as they are
    /// then: the rule set exactly as it will be after this write. Two saves that are each fine
    /// against the other file's old text, but not together, cannot both land.
    public func save(_ name: String, text: String) throws(Refusal) -> RuleLoadResult {
        try validate(name)
        return try Self.saving.withLock { () throws(Refusal) -> RuleLoadResult in
            let folder = open(directory, O_RDONLY | O_CLOEXEC)
            if folder >= 0 {
                while flock(folder, LOCK_EX) != 0 && errno == EINTR {}
            }
            defer { if folder >= 0 { close(folder) } }
            let result = try check([name: text])
            guard !result.hasErrors else {
                throw Refusal(status: 422, message: "not saved: the rules would have errors (\(result.summary)); the file in use is unchanged")
            }
            try replace(name, text: text, folder: folder)
            return result
        }
    }

    /// The lock that serialises saves in this process (`flock` alone would too, but only where the
    /// file system supports it).
    private static let saving = SaveLock()

    /// Replaces `name` with `text`: a temporary file beside it with the file's permission bits
    /// (a new file: 0644 less the umask), fsync, rename over it, fsync of the folder.
    private func replace(_ name: String, text: String, folder: Int32) throws(Refusal) {
        var info = stat()
        let existingMode = lstat(path(name), &info) == 0 ? info.st_mode & 0o7777 : nil
        let temporary = path(".\(name).omsync-\(UUID().uuidString).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Refusal(status: 409, message: "cannot write in \(directory): \(String(cString: strerror(errno)))")
        }
        var bytes = Array(text.utf8)
        let written = bytes.withUnsafeMutableBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        let moded = existingMode.map { fchmod(descriptor, $0) == 0 } ?? true
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written, moded, synced, rename(temporary, path(name)) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Refusal(status: 409, message: "cannot write \(path(name)): \(reason); the file in use is unchanged")
        }
        if folder >= 0 { _ = fsync(folder) }
    }

    static func isRuleFileName(_ name: String) -> Bool {
        (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasPrefix(".")
    }

    static func isSettings(_ name: String) -> Bool { name == "settings.yaml" || name == "settings.yml" }

    func isLink(_ name: String) -> Bool {
        var info = stat()
        return lstat(path(name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}

/// A lock usable from a `Sendable` value.
private final class SaveLock: @unchecked Sendable {
    private let lock = NSLock()

    func withLock<T>(_ body: () throws(RuleWorkspace.Refusal) -> T) throws(RuleWorkspace.Refusal) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
