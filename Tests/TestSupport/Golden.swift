import Foundation
import Testing

/// Golden files: a test's whole output compared with a file kept in the repository, with a
/// readable diff when they differ.
///
/// `OMSYNC_RECORD=1 swift test --filter …` writes the output into the golden file instead, and
/// the test fails, so a recording is never a pass: review it with `git diff`, then run again
/// without `OMSYNC_RECORD`.
public enum Golden {
    /// Whether this run records golden files (`OMSYNC_RECORD=1`) instead of checking them.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["OMSYNC_RECORD"] == "1" }

    /// Compares `actual` with the golden `file` (recording it when `OMSYNC_RECORD=1`) and records
    /// an issue at `sourceLocation` unless they are the same: when they differ (with the diff),
    /// when the file is missing or unreadable, and after every recording.
    public static func check(_ actual: String, file: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        if let failure = compare(actual, file: file, record: isRecording) {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }

    /// Why `actual` does not pass against the golden `file`, or nil when it is the same text.
    /// With `record`, the file (and its folder) is written with `actual` first, and the answer
    /// is never nil: it says what was recorded.
    public static func compare(_ actual: String, file: URL, record: Bool) -> String? {
        let name = displayName(of: file)
        if record {
            do {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: file, atomically: true, encoding: .utf8)
            } catch {
                return "could not record golden file \(name): \(error)"
            }
            return "recorded golden file \(name) (OMSYNC_RECORD=1 never passes): review it with `git diff`, then run again without OMSYNC_RECORD"
        }
        guard FileManager.default.fileExists(atPath: file.path) else {
            return "missing golden file \(name): run this test with OMSYNC_RECORD=1 to record it, review it, then run again without OMSYNC_RECORD"
        }
        guard let data = try? Data(contentsOf: file) else {
            return "cannot read golden file \(name)"
        }
        guard let expected = String(data: data, encoding: .utf8) else {
            return "golden file \(name) is not UTF-8 text"
        }
        guard expected != actual else { return nil }
        return "output differs from golden file \(name) (if the change is intended, record it with OMSYNC_RECORD=1):\n"
            + diff(expected: expected, actual: actual)
    }

    /// The first `limit` differing lines, each side shown from shortly before its first differing
    /// character, then how many lines differ in all and, if so, that the line counts differ.
    public static func diff(expected: String, actual: String, limit: Int = 3) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var differing = 0
        for i in 0..<max(e.count, a.count) {
            let x = i < e.count ? String(e[i]) : "<no line>"
            let y = i < a.count ? String(a[i]) : "<no line>"
            guard x != y else { continue }
            differing += 1
            guard differing <= limit else { continue }
            let common = zip(x, y).prefix { $0 == $1 }.count
            let from = max(0, common - 60)
            out.append("line \(i + 1), from character \(common + 1):")
            out.append("  expected: …\(x.dropFirst(from).prefix(240))")
            out.append("  actual:   …\(y.dropFirst(from).prefix(240))")
        }
        if differing > limit { out.append("\(differing) lines differ in all (the first \(limit) shown)") }
        if e.count != a.count { out.append("expected \(e.count) lines, got \(a.count)") }
        return out.joined(separator: "\n")
    }

    /// `file` relative to the package root when it is under it (`Tests/…/Golden/x.ndjson`), else its path.
    static func displayName(of file: URL) -> String {
        let root = Project.root.path + "/"
        let path = file.standardizedFileURL.path
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }
}
