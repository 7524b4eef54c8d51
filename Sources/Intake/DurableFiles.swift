#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Intake's file operations (the webhook receiver's deliveries and journal, the inbox's cycle
/// journal and summaries), on POSIX calls so each step's durability is explicit: a file is
/// written under a hidden temporary name, fsynced, renamed into place, then its directory is
/// fsynced (the rename itself survives a power cut only once the directory is on disk).
enum DurableFiles {
    /// Why an operation failed (`strerror` text, with the path).
    struct Failure: Error {
        let reason: String

        init(_ what: String, _ path: String, _ code: Int32 = errno) {
            reason = "\(what) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// The whole file, refused when larger than `limit` bytes.
    static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot open", path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot read", path)
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            guard bytes.count <= limit else { throw Failure("cannot read", path, EFBIG) }
        }
    }

    /// True when something exists at `path` (a dangling link counts).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// True when `path` is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Creates the directory (mode 0700) unless it exists.
    static func makeDirectory(_ path: String) throws(Failure) {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw Failure("cannot create", path) }
    }

    /// Writes `bytes` as `directory/name`, durably: `.name.tmp` (mode `mode`, a leftover of a
    /// crash replaced) written, fsynced, renamed to `name`, then the directory fsynced. On failure
    /// the temporary file is removed and `name` is as it was.
    static func writeDurably(_ bytes: [UInt8], directory: String, name: String, mode: mode_t = 0o600) throws(Failure) {
        let temporary = "\(directory)/.\(name).tmp"
        let path = "\(directory)/\(name)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("cannot create", temporary) }
        if let failure = writeAll(fd, bytes, temporary) ?? (fsync(fd) == 0 ? nil : Failure("cannot fsync", temporary)) {
            close(fd)
            unlink(temporary)
            throw failure
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = Failure("cannot rename into", path)
            unlink(temporary)
            throw failure
        }
        try syncDirectory(directory)
    }

    /// Appends `bytes` to `path` (created with mode 0600) and fsyncs it.
    static func appendDurably(_ bytes: [UInt8], to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("cannot open", path) }
        defer { close(fd) }
        if let failure = writeAll(fd, bytes, path) { throw failure }
        guard fsync(fd) == 0 else { throw Failure("cannot fsync", path) }
    }

    /// Fsyncs a directory, so the names created or renamed in it are on disk.
    static func syncDirectory(_ directory: String) throws(Failure) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot open", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure("cannot fsync", directory) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) -> Failure? {
        bytes.withUnsafeBytes { buffer -> Failure? in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return Failure("cannot write", path)
                }
                offset += n
            }
            return nil
        }
    }
}

/// `read(2)` (the name is taken by `DurableFiles.read` inside the enum).
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
