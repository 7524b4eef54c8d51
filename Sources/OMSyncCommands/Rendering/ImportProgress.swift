import Foundation
import Push
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows how an import goes, on standard error: on a terminal a live bar redrawn in place
/// (orders done of total, rate, ETA, API calls, problems); otherwise a plain line every few
/// seconds, so logs of scheduled runs stay readable.
final class ImportProgress: Sendable {
    private struct State {
        var lastDraw: TimeInterval = 0
        var drewBar = false
    }

    private let terminal: Bool
    private let quiet: Bool
    private let state = Mutex(State())
    private let interval: TimeInterval

    /// Progress for standard error; `quiet` shows nothing.
    init(quiet: Bool = false) {
        terminal = isatty(2) == 1
        self.quiet = quiet
        interval = terminal ? 0.1 : 5
    }

    /// Shows `progress` (at most every 0.1 s on a terminal, every 5 s otherwise).
    func update(_ progress: PushProgress) {
        guard !quiet else { return }
        let now = ProcessInfo.processInfo.systemUptime
        let line: String? = state.withLock { state in
            guard now - state.lastDraw >= interval || progress.done == progress.total else { return nil }
            state.lastDraw = now
            state.drewBar = terminal
            return terminal ? "\r\u{1B}[2K" + Self.bar(progress) : Self.plain(progress) + "\n"
        }
        if let line { StandardError.write(line) }
    }

    /// Ends the bar's line before anything else is printed.
    func finish() {
        let drew = state.withLock { $0.drewBar }
        if drew { StandardError.write("\n") }
    }

    /// `[████████░░░░] 1,204/2,000  312/s  ETA 3s  calls 1,230  problems 4`.
    static func bar(_ p: PushProgress) -> String {
        let width = 28
        let fraction = p.total > 0 ? min(1, Double(p.done) / Double(p.total)) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "[\(bar)] \(figures(p))"
    }

    /// `import: 1,204/2,000 orders (60%), 312/s, ETA 3s, 1,230 API calls, 4 problems`.
    static func plain(_ p: PushProgress) -> String {
        let percent = p.total > 0 ? " (\(p.done * 100 / p.total)%)" : ""
        return "import: \(p.done)/\(p.total) orders\(percent), " + figures(p, separator: ", ", words: true)
    }

    private static func figures(_ p: PushProgress, separator: String = "  ", words: Bool = false) -> String {
        let rate = p.elapsed > 0 ? Double(p.handledHere) / p.elapsed : 0
        let remaining = max(0, p.total - p.done)
        let eta = rate > 0 ? "ETA \(duration(Double(remaining) / rate))" : "ETA –"
        var parts = words ? [] : ["\(p.done)/\(p.total)"]
        parts += [String(format: "%.0f/s", rate), eta, words ? "\(p.calls) API calls" : "calls \(p.calls)",
                  words ? "\(p.problems) problems" : "problems \(p.problems)"]
        return parts.joined(separator: separator)
    }

    /// `42s`, `3m05s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
