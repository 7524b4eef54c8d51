import Push
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C (and SIGTERM): the first asks the run to stop after the calls in flight, the second
/// quits at once (the ledger already holds every order's state; the next run settles it).
///
/// A plain `sigaction` handler, not a dispatch source: the handler runs on whichever thread the
/// signal lands on, at once, even when every queue and the cooperative pool are busy (a
/// dispatch-source handler waited behind them on a loaded two-core machine, and a Ctrl-C was
/// lost). It does only async-signal-safe things: an atomic store, `write(2)` and `_exit`.
final class InterruptHandler {
    init(stop: StopSignal) {
        // Touch the globals first: their lazy initialisation must not happen inside the handler.
        _ = interruptMessages.stopping.count + interruptMessages.quitting.count
        interruptPresses.store(0, ordering: .sequentiallyConsistent)
        interruptTarget = stop
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = onInterrupt
        #else
        action.__sigaction_u.__sa_handler = onInterrupt
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM] {
            sigaction(sig, &action, nil)
            sigaddset(&unblock, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Restores the default handling.
    func cancel() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// The run Ctrl-C stops; set before the handler is installed, only read by it.
nonisolated(unsafe) private var interruptTarget: StopSignal?
/// How many times Ctrl-C was pressed during this run.
private let interruptPresses = Atomic<Int>(0)
/// What the handler writes, prepared before it can run (it must not allocate).
private let interruptMessages = (
    stopping: Array("\nomsync: stopping after the calls in flight (Ctrl-C again to quit at once)...\n".utf8),
    quitting: Array("\nomsync: stopped at once; running the same command again resumes\n".utf8)
)

private func onInterrupt(_: Int32) {
    let presses = interruptPresses.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
    if presses >= 2 {
        interruptMessages.quitting.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
        _exit(ExitStatus.interrupted.rawValue)
    }
    interruptTarget?.request()
    interruptMessages.stopping.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
}
