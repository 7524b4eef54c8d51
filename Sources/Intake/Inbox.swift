import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch file waiting in the inbox.
public struct InboxFile: Sendable, Hashable {
    /// The file's name in the inbox (no directory).
    public let name: String
    /// The full path.
    public let path: String
    public let size: Int64
    public let modified: Date

    public init(name: String, path: String, size: Int64, modified: Date) {
        self.name = name
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// What keeps the inbox from being used: said with the path and what to do.
public struct IntakeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The watched directory of `omsync watch DIR` (docs/intake.md): which files are batches, in what
/// order, when a file is stable enough to read, where a file goes after its run (`done/`,
/// `failed/`, never over another file), and the cycle journal that makes a killed cycle run the
/// same files again first.
public final class Inbox: @unchecked Sendable {
    /// The inbox directory.
    public let directory: String
    /// A file is taken once its size and modification time were unchanged this long.
    public let settle: TimeInterval
    /// Where files go after their run: `DIR/done`, `DIR/failed`.
    public var doneDirectory: String { directory + "/done" }
    public var failedDirectory: String { directory + "/failed" }
    /// The cycle journal: the files of the cycle under way (written before its run).
    public var journalPath: String { directory + "/.omsync-cycle.json" }

    /// Size and modification time of each name when first seen with them (stability).
    private var seen: [String: (size: Int64, modified: Date, since: Date)] = [:]
    private let lock = NSLock()

    /// The inbox at `directory`, which must exist; `done/` and `failed/` are made when missing.
    public init(directory: String, settle: TimeInterval = 1) throws(IntakeError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw IntakeError("\(directory): no such directory (create it, or give the directory batch files are dropped into)")
        }
        guard isDirectory.boolValue else { throw IntakeError("\(directory): not a directory (give the directory batch files are dropped into)") }
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.settle = settle
        for sub in [doneDirectory, failedDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            } catch {
                throw IntakeError("\(sub): cannot be created (\(error.localizedDescription)); omsync watch needs to write into \(self.directory)")
            }
        }
    }

    /// Whether a name is a batch the inbox takes: `*.json`, `*.ndjson`, `*.jsonl`, not starting
    /// with `.` (hidden, or a file being written) and not `*.partial`, `*.part`, `*.tmp`.
    public static func isBatchName(_ name: String) -> Bool {
        if name.hasPrefix(".") { return false }
        let lower = name.lowercased()
        if [".partial", ".part", ".tmp"].contains(where: lower.hasSuffix) { return false }
        return [".json", ".ndjson", ".jsonl"].contains(where: lower.hasSuffix)
    }

    /// Every batch file in the inbox now (directories and other names left out), oldest first:
    /// modification time, then name.
    public func listing() throws(IntakeError) -> [InboxFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw IntakeError("\(directory): cannot be listed (\(error.localizedDescription))")
        }
        var files: [InboxFile] = []
        for name in names where Self.isBatchName(name) {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            files.append(InboxFile(name: name, path: path, size: Int64(info.st_size), modified: Self.modified(info)))
        }
        return files.sorted { ($0.modified, $0.name) < ($1.modified, $1.name) }
    }

    /// The batch files that are stable at `now` (size and modification time unchanged for
    /// `settle`: seen unchanged that long, or last modified that long ago), oldest first; the
    /// others are left for a later call.
    public func stable(now: Date = Date()) throws(IntakeError) -> [InboxFile] {
        let files = try listing()
        return lock.withLock {
            var stable: [InboxFile] = []
            var next: [String: (size: Int64, modified: Date, since: Date)] = [:]
            for file in files {
                var since = now
                if let before = seen[file.name], before.size == file.size, before.modified == file.modified { since = before.since }
                next[file.name] = (file.size, file.modified, since)
                if now.timeIntervalSince(since) >= settle || now.timeIntervalSince(file.modified) >= settle { stable.append(file) }
            }
            seen = next
            return stable
        }
    }

    /// Whether some batch file is waiting but not yet stable.
    public func hasUnsettled(now: Date = Date()) throws(IntakeError) -> Bool {
        try stable(now: now).count < listing().count
    }

    // MARK: The cycle journal

    /// Records the files of the cycle about to run, durably (temporary file, fsync, rename,
    /// fsync of the directory), before its run.
    public func beginCycle(_ files: [InboxFile]) throws(IntakeError) {
        let journal = CycleJournal(files: files.map(\.name), startedAt: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try Self.writeDurably(try encoder.encode(journal), to: journalPath)
        } catch let error as IntakeError {
            throw error
        } catch {
            throw IntakeError("\(journalPath): cannot be written (\(error))")
        }
    }

    /// The files of a cycle that did not finish (a crash, `kill -9`, a stop), in the order they
    /// were run, those still in the inbox; nil when no cycle is under way.
    public func unfinishedCycle() throws(IntakeError) -> [InboxFile]? {
        guard let data = FileManager.default.contents(atPath: journalPath) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let journal = try? decoder.decode(CycleJournal.self, from: data) else {
            throw IntakeError("\(journalPath): not a cycle journal omsync wrote; move it away if it is not omsync's")
        }
        let present = Dictionary(try listing().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return journal.files.compactMap { present[$0] }
    }

    /// Removes the journal once every file of the cycle moved.
    public func endCycle() {
        unlink(journalPath)
        Self.syncDirectory(directory)
    }

    // MARK: Moving files after their run

    /// Moves `file` to `done/` (under a name no other file there has) with the run's JSON
    /// summary beside it as `NAME.summary.json`; returns the new path.
    @discardableResult
    public func moveDone(_ file: InboxFile, summary: Data) throws(IntakeError) -> String {
        try move(file, into: doneDirectory, note: summary, suffix: ".summary.json")
    }

    /// Moves `file` to `failed/` (under a name no other file there has) with why it cannot be
    /// read beside it as `NAME.error.txt`; returns the new path.
    @discardableResult
    public func moveFailed(_ file: InboxFile, error: String) throws(IntakeError) -> String {
        try move(file, into: failedDirectory, note: Data((error.hasSuffix("\n") ? error : error + "\n").utf8), suffix: ".error.txt")
    }

    /// `a.json`, then `a-2.json`, `a-3.json`, …: the first name in `directory` free both for the
    /// file and for its note (`NAME` + `noteSuffix`).
    public static func freeName(for name: String, in directory: String, noteSuffix: String) -> String {
        let fileManager = FileManager.default
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        let stem = name[..<dot], ext = name[dot...]
        var candidate = name
        var number = 1
        while fileManager.fileExists(atPath: directory + "/" + candidate) || fileManager.fileExists(atPath: directory + "/" + candidate + noteSuffix) {
            number += 1
            candidate = "\(stem)-\(number)\(ext)"
        }
        return candidate
    }

    private func move(_ file: InboxFile, into target: String, note: Data, suffix: String) throws(IntakeError) -> String {
        let name = Self.freeName(for: file.name, in: target, noteSuffix: suffix)
        let destination = target + "/" + name
        do {
            try Self.writeDurably(note, to: destination + suffix)
        } catch {
            throw IntakeError("\(destination + suffix): cannot be written (\(error)); \(file.path) stays in the inbox")
        }
        guard rename(file.path, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            throw IntakeError("\(file.path): cannot be moved to \(destination) (\(reason))")
        }
        Self.syncDirectory(target)
        Self.syncDirectory(directory)
        return destination
    }

    // MARK: Durable writes

    /// Writes `data` to `path` so that a crash leaves either the old file or the whole new one
    /// (`DurableFiles.writeDurably`: hidden temporary, fsync, rename, fsync of the directory).
    static func writeDurably(_ data: Data, to path: String) throws(IntakeError) {
        let url = URL(fileURLWithPath: path)
        do throws(DurableFiles.Failure) {
            try DurableFiles.writeDurably(Array(data), directory: url.deletingLastPathComponent().path, name: url.lastPathComponent, mode: 0o644)
        } catch {
            throw IntakeError("\(path): cannot be written (\(error.reason))")
        }
    }

    /// Fsyncs a directory, best effort (a move already happened; the next sync makes it durable).
    static func syncDirectory(_ path: String) {
        try? DurableFiles.syncDirectory(path.isEmpty ? "." : path)
    }

    static func modified(_ info: stat) -> Date {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }
}

/// What `DIR/.omsync-cycle.json` holds.
struct CycleJournal: Codable {
    /// The names of the cycle's files, in the order run.
    var files: [String]
    var startedAt: Date
}
