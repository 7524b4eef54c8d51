import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes the watcher when something may have arrived in the inbox: inotify on Linux (a file
/// closed after writing, or moved in), else nothing but the polling interval, which stays as a
/// safety net either way; `wake()` for whoever writes into the inbox itself (the webhook receiver).
public final class InboxSignal: Sendable {
    /// The inotify descriptor, -1 when not available (other systems, or the limit reached).
    private let descriptor: Int32
    private let woken = Atomic<Bool>(false)

    /// Watches `directory` (inotify where available).
    public init(directory: String) {
        #if canImport(Glibc)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)) < 0 {
            close(fd)
            descriptor = -1
        } else {
            descriptor = fd
        }
        #else
        descriptor = -1
        #endif
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Whether inotify watches the directory (else only the interval does).
    public var usesInotify: Bool { descriptor >= 0 }

    /// Ends the current (or next) `wait` at once.
    public func wake() { woken.store(true, ordering: .sequentiallyConsistent) }

    /// Waits until the inbox changed, `wake()` was called, `stop()` says so, or `atMost` passed
    /// (whichever first; checked every `tick`). Returns true when woken by a change or `wake()`.
    @discardableResult
    public func wait(atMost: Duration, tick: Duration = .milliseconds(100), stop: @Sendable () -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + atMost
        while clock.now < deadline {
            if woken.exchange(false, ordering: .sequentiallyConsistent) || drainEvents() { return true }
            if stop() || Task.isCancelled { return false }
            try? await Task.sleep(for: min(tick, deadline - clock.now))
        }
        return woken.exchange(false, ordering: .sequentiallyConsistent) || drainEvents()
    }

    /// Reads every pending inotify event; true when there was one.
    private func drainEvents() -> Bool {
        guard descriptor >= 0 else { return false }
        var any = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return any }
            any = true
        }
    }
}
