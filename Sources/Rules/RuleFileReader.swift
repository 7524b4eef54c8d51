import Batch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one rule, settings or rule test file from disk, and says exactly why when it cannot:
/// missing, a broken symbolic link, a directory, not a regular file (a FIFO is never opened for
/// a blocking read), unreadable (errno), larger than 1 MiB, or not UTF-8 (at the first bad byte,
/// with its line, column and value). Nothing is ever skipped silently.
enum RuleFileReader {
    /// What the file is for, in messages and hints.
    enum Role {
        case rule, settings, test

        var name: String {
            switch self {
            case .rule: return "rule file"
            case .settings: return "settings file"
            case .test: return "rule test file"
            }
        }
    }

    /// The file's text, or why there is none.
    enum Outcome {
        case text(String)
        /// Not usable. `shown` is the file's text decoded with replacement characters, to show
        /// the source line of a located diagnostic (a file that is not UTF-8); nil otherwise.
        case failed(Diagnostic, shown: String?)
    }

    /// Reads `path` (at most `YAMLReader.maxFileBytes` bytes, UTF-8).
    static func contents(of path: String, role: Role) -> Outcome {
        let what = "\(role.name) '\(path)'"
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failed(openFailure(path, what: what, errno), shown: nil) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failed(unreadable("cannot read the \(what): \(errorText(errno))", hint: "check the path and its permissions"), shown: nil)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            return .failed(unreadable("the \(what) is a directory, not a file", hint: directoryHint(role)), shown: nil)
        default:
            return .failed(unreadable("the \(what) is not a regular file (\(kind(info.st_mode)))",
                                      hint: "point at a regular file; omsync does not read rules from pipes or devices"), shown: nil)
        }
        if Int(info.st_size) > YAMLReader.maxFileBytes {
            return .failed(YAMLReader.tooLarge(Int(info.st_size), file: path), shown: nil)
        }
        // Read one byte more than allowed, so a file that grows while being read is still refused.
        var bytes = [UInt8](repeating: 0, count: YAMLReader.maxFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(unreadable("cannot read the \(what): \(errorText(errno))", hint: "check the file and the disk it is on"),
                               shown: nil)
            }
            count += n
        }
        if count > YAMLReader.maxFileBytes { return .failed(YAMLReader.tooLarge(count, file: path), shown: nil) }
        bytes.removeSubrange(count...)
        if let bad = UTF8Check.firstInvalid(bytes) {
            return .failed(notUTF8(path, bytes, bad, role: role), shown: String(decoding: bytes, as: UTF8.self))
        }
        return .text(String(decoding: bytes, as: UTF8.self))
    }

    private static func unreadable(_ message: String, hint: String) -> Diagnostic {
        Diagnostic(.fileUnreadable, message, at: nil, hint: hint)
    }

    private static func openFailure(_ path: String, what: String, _ code: Int32) -> Diagnostic {
        if code == ENOENT {
            var link = stat()
            if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { " '\($0)'" } ?? ""
                return unreadable("the \(what) is a symbolic link to\(target), which does not exist",
                                  hint: "fix or remove the link")
            }
            return unreadable("the \(what) does not exist", hint: "check the path (it is relative to the current directory)")
        }
        if code == EACCES || code == EPERM {
            return unreadable("cannot open the \(what): \(errorText(code))",
                              hint: "make it readable by the user running omsync (e.g. chmod a+r), or run as a user who can read it")
        }
        return unreadable("cannot open the \(what): \(errorText(code))", hint: "check the path and its permissions")
    }

    private static func directoryHint(_ role: Role) -> String {
        switch role {
        case .settings:
            return "settings must be a file of `name: value` lines; remove or rename the directory and put the settings in a file"
        case .rule, .test:
            return "rule files must be regular files; rename the directory so its name does not end in .yaml or .yml, or remove it"
        }
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a named pipe"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The diagnostic for a file whose first invalid UTF-8 byte is at `bad.offset`.
    private static func notUTF8(_ path: String, _ bytes: [UInt8], _ bad: (offset: Int, count: Int), role: Role) -> Diagnostic {
        let location = UTF8Check.location(of: bad.offset, in: bytes, file: path)
        let more = bad.count > 1 ? " (\(bad.count - 1) more byte\(bad.count == 2 ? "" : "s") further on \(bad.count == 2 ? "is" : "are") not UTF-8 either)" : ""
        return Diagnostic(.fileUnreadable,
                          "\(UTF8Check.describe(bytes[bad.offset])) is not valid UTF-8; a \(role.name) must be UTF-8 text\(more)",
                          at: location,
                          hint: "re-save the file as UTF-8 (it may have been saved as Latin-1 or Windows-1252), or retype the character at the caret")
    }
}

/// UTF-8 validation (`Batch.UTF8Validation`) and byte-offset → line:column, counted like libyaml: lines end at `\n`,
/// columns count characters (Unicode scalars) from 1, and a leading byte order mark is not counted.
enum UTF8Check {
    /// The offset of the first byte that is not part of well-formed UTF-8, and how many such
    /// bytes there are (each bad byte is counted once, reading on after it); nil when all is well.
    static func firstInvalid(_ b: [UInt8]) -> (offset: Int, count: Int)? {
        UTF8Validation.firstProblem(in: b).map { ($0.offset, $0.badBytes) }
    }

    /// Where byte `offset` of `bytes` is; the bytes before it must be valid UTF-8.
    static func location(of offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        if line == 1, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { column -= 1 }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// "byte 0xFF".
    static func describe(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// "U+0007 (byte 0x07)" or "U+FFFE (bytes 0xEF 0xBF 0xBE)".
    static func describe(_ scalar: Unicode.Scalar) -> String {
        var code = String(scalar.value, radix: 16, uppercase: true)
        while code.count < 4 { code = "0" + code }
        let bytes = Array(String(scalar).utf8)
        let listed = bytes.map { describe($0).dropFirst("byte ".count) }.joined(separator: " ")
        return "U+\(code) (\(bytes.count == 1 ? "byte" : "bytes") \(listed))"
    }
}
