/// Working memory of `TapeParser`, reused from record to record: the tape being built and the
/// stack of open containers, as raw buffers (no array uniqueness checks in the hot loop).
final class TapeStorage {
    private(set) var tape: UnsafeMutablePointer<UInt64>
    private(set) var tapeCapacity: Int
    private(set) var stack: UnsafeMutablePointer<UInt64>
    private(set) var stackCapacity: Int

    init(tapeCapacity: Int = 4096, stackCapacity: Int = 129) {
        self.tapeCapacity = max(tapeCapacity, 16)
        self.tape = .allocate(capacity: self.tapeCapacity)
        self.stackCapacity = max(stackCapacity, 1)
        self.stack = .allocate(capacity: self.stackCapacity)
    }

    deinit {
        tape.deallocate()
        stack.deallocate()
    }

    /// Doubles the tape, keeping its first `count` entries.
    func growTape(keeping count: Int) {
        let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: tapeCapacity * 2)
        bigger.update(from: tape, count: count)
        tape.deallocate()
        tape = bigger
        tapeCapacity *= 2
    }

    /// Makes room for `depth` open containers.
    func ensureStack(_ depth: Int) {
        guard depth > stackCapacity else { return }
        stack.deallocate()
        stack = .allocate(capacity: depth)
        stackCapacity = depth
    }

    /// An exact-size copy of the first `count` tape entries.
    func copyTape(_ count: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress?.update(from: tape, count: count)
            initialized = count
        }
    }
}
