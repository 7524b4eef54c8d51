#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension BatchFuzzEntry {
    /// A regular file holding `bytes` (unlinked, in /dev/shm when there is one), at offset 0: read
    /// with pread like a batch file.
    static func fileDescriptor(_ bytes: [UInt8]) -> Int32? {
        var template = Array(((access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/omsync-fuzz-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        template.withUnsafeBufferPointer { buffer in
            if fd >= 0, let name = buffer.baseAddress { _ = unlink(name) }
        }
        guard fd >= 0 else { return nil }
        guard writeAll(fd, bytes), lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// The read end of a pipe holding `bytes` (at most the pipe's capacity, 64 KiB on Linux), its write end closed:
    /// read like standard input.
    static func pipeDescriptor(_ bytes: [UInt8]) -> Int32? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        let written = writeAll(ends[1], bytes)
        close(ends[1])
        guard written else {
            close(ends[0])
            return nil
        }
        return ends[0]
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
    }
}
