import Foundation

/// The package being tested, on disk: the one place the tests find the package root
/// (the folder holding Package.swift) and the files under it (rules/, samples/, docs/, Tests/…).
public enum Project {
    /// The package root, computed once from this file's path (`Tests/TestSupport/Project.swift`),
    /// symbolic links resolved.
    public static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `relative` (such as `"rules"` or `"samples/orders.ndjson"`) under the package root, as a URL.
    public static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }

    /// `relative` under the package root, as a path.
    public static func path(_ relative: String) -> String {
        url(relative).path
    }
}
