import Dispatch

/// The `--state` file, written as Unleashed keeps its data: a change the API acknowledged is on
/// disk before the answer leaves (group commit: the handlers that changed something wait for the
/// next write, and one write carries every change made meanwhile). Other changes (the call
/// meter) are written within about 100 ms.
extension SandboxStore {
    /// Notes a change; when there is a state file, a save follows within about 100 ms.
    func markDirty() {
        guard stateFile != nil else { return }
        dirty = true
        changeCount &+= 1
        guard !saveScheduled else { return }
        saveScheduled = true
        Task { await self.saveLoop() }
    }

    /// Returns once every change made so far is in the state file (at once without one). The API
    /// calls that change records wait here before they answer, so a crash of the sandbox never
    /// loses an acknowledged write.
    func durable() async {
        guard stateFile != nil, savedCount < changeCount else { return }
        let target = changeCount
        urgentSave = true
        if !saveScheduled {
            saveScheduled = true
            Task { await self.writeWhileDirty() }
        }
        await withCheckedContinuation { continuation in
            durabilityWaiters.append((target, continuation))
        }
    }

    private func saveLoop() async {
        // Waits up to 100 ms to gather changes, less when a handler is waiting for its write.
        for _ in 0..<20 where !urgentSave {
            try? await Task.sleep(for: .milliseconds(5))
        }
        await writeWhileDirty()
    }

    /// Writes snapshots until no change is pending. `saveScheduled` stays set throughout, so two
    /// writes never share the temporary file (one could rename the other's half-written file).
    private func writeWhileDirty() async {
        saveScheduled = true
        while dirty {
            dirty = false
            urgentSave = false
            let covered = changeCount
            await write(state)
            savedCount = covered
            releaseWaiters()
        }
        saveScheduled = false
        releaseWaiters()
    }

    /// Resumes every handler whose change is now written.
    private func releaseWaiters() {
        var waiting: [(UInt64, CheckedContinuation<Void, Never>)] = []
        for (target, continuation) in durabilityWaiters {
            if target <= savedCount { continuation.resume() } else { waiting.append((target, continuation)) }
        }
        durabilityWaiters = waiting
        if !waiting.isEmpty, !saveScheduled {
            saveScheduled = true
            Task { await self.writeWhileDirty() }
        }
    }

    /// Serialises a snapshot and writes it off the actor, so calls keep flowing during a save.
    /// The write (and its fsync) runs on a serial queue of its own, never on Swift's cooperative
    /// pool: a thread of that pool blocked in the disk would hold up the HTTP handlers, and a
    /// busy pool would hold up the write. A write that fails is logged; the handlers waiting for
    /// it are answered all the same (the sandbox keeps serving from memory).
    private func write(_ snapshot: SandboxState) async {
        guard let stateFile else { return }
        let failure: SandboxSetupError? = await withCheckedContinuation { continuation in
            Self.writer.async {
                do throws(SandboxSetupError) {
                    try stateFile.write(snapshot.documentBytes())
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
        if let failure { logger.error("sandbox state not saved: \(failure.message)") }
    }

    /// Where state files are written: one at a time (each store writes one snapshot at a time
    /// anyway), on a thread of its own (a serial queue made here is not bound by the width of the
    /// global queues).
    private static let writer = DispatchQueue(label: "omsync.sandbox.state-writer", qos: .utility)

    /// Writes any pending change now (waits for a save in flight first); used at shutdown.
    public func flush() async {
        while saveScheduled { try? await Task.sleep(for: .milliseconds(10)) }
        await writeWhileDirty()
    }
}
