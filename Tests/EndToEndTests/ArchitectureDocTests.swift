import Foundation
import Testing
import TestSupport

/// `docs/architecture.md` pins the APIs between modules in its Swift blocks: every type and
/// method it names there must exist in `Sources/`, so the map cannot drift from the territory
/// (it once pinned a `SalesOrderMoney.equalToTheCent` that did not exist).
@Suite struct ArchitectureDocTests {
    /// The Swift fenced blocks of a Markdown text.
    static func swiftBlocks(_ text: String) -> [String] {
        var blocks: [String] = [], current: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("```swift") { current = [] } else if current != nil, line.hasPrefix("```") {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil { current!.append(line) }
        }
        return blocks
    }

    /// Every `.swift` file under `Sources/`, as one text.
    static func sources() throws -> String {
        let root = Project.root.appendingPathComponent("Sources")
        var text = ""
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if file.pathExtension == "swift" { text += try String(contentsOf: file, encoding: .utf8) + "\n" }
        }
        return text
    }

    @Test func everyTypeAndMethodTheArchitectureNamesExists() throws {
        let doc = try String(contentsOf: Project.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let code = try Self.sources()
        let blocks = Self.swiftBlocks(doc).joined(separator: "\n")
        #expect(blocks.count > 1000, "the Swift blocks were found")
        var missing: [String] = []
        for match in blocks.matches(of: /\b(struct|enum|class|protocol|actor|typealias|func)\s+([A-Za-z_][A-Za-z0-9_]*)/) {
            let (kind, name) = (String(match.1), String(match.2))
            let declared = kind == "func"
                ? code.contains("func \(name)(") || code.contains("func \(name)<")
                : ["struct", "enum", "class", "protocol", "actor", "typealias"].contains { code.contains("\($0) \(name)") }
            if !declared { missing.append("\(kind) \(name)") }
        }
        #expect(missing.isEmpty, "docs/architecture.md names what Sources/ does not declare: \(Set(missing).sorted())")
    }
}
