import Batch
import Foundation
import Rules
import Testing
import TestSupport
@testable import Serve

/// Issue 19, item 7: the page is real files (`Sources/Serve/Page/`) compiled into the binary, and
/// its lists of actions and states are written from the Swift enums, so they cannot drift.
@Suite struct ServePageTests {
    /// The served script's `const NAME = …;` line, after the server filled it in.
    static func constant(_ name: String, in script: String) throws -> String {
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("const \(name) = ") }, "const \(name) in app.js")
        #expect(line.hasSuffix(";"))
        return String(line.dropFirst("const \(name) = ".count).dropLast())
    }

    /// The keys and values of a filled-in `{ key: "value", … }` (keys bare or quoted).
    static func pairs(_ literal: String) throws -> [(String, String)] {
        let pattern = try NSRegularExpression(pattern: #"(?:^\{ |, )([A-Za-z_][A-Za-z0-9_]*|"[^"]*"): ("(?:[^"\\]|\\.)*")"#)
        let text = literal as NSString
        return try pattern.matches(in: literal, range: NSRange(location: 0, length: text.length)).map { match in
            let key = text.substring(with: match.range(at: 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let value = try #require(try JSONValue.parse(text.substring(with: match.range(at: 2))).stringValue)
            return (key, value)
        }
    }

    @Test func theScriptsActionsAndStatesAreTheSwiftEnums() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        try await fixture.test { client in
            let script = try await client.get("/app.js", token: nil).body
            let actions = try JSONValue.parse(try Self.constant("ACTIONS", in: script)).arrayValue?.compactMap(\.stringValue)
            #expect(actions == Action.allCases.map(\.rawValue))
            let states = PreviewEngine.StateChoice.allCases
            for name in ["STATE_LABELS", "STATE_TITLES"] {
                let literal = try Self.constant(name, in: script)
                let pairs = try Self.pairs(literal)
                #expect(pairs.map(\.0) == states.map(\.rawValue), "\(name): \(literal)")
                #expect(pairs.allSatisfy { !$0.1.isEmpty }, "\(name): \(literal)")
            }
            #expect(try Self.pairs(Self.constant("STATE_LABELS", in: script)).map(\.1) == states.map(\.label))
            #expect(!script.contains("/*{{"), "every marker of app.js is filled in")
        }
    }

    @Test func thePageIsTheFilesInSourcesServePage() async throws {
        let fixture = try ServeFixture()
        defer { fixture.remove() }
        var files: [String: String] = [:]
        for name in ["index.html", "style.css", "app.js"] {
            files[name] = try String(contentsOf: Project.url("Sources/Serve/Page/\(name)"), encoding: .utf8)
        }
        let page = try #require(files["index.html"]), style = try #require(files["style.css"]), source = try #require(files["app.js"])
        try await fixture.test { client in
            let served = (page: try await client.get("/", token: nil).body, style: try await client.get("/app.css", token: nil).body,
                          script: try await client.get("/app.js", token: nil).body)
            #expect(served.page == page.replacingOccurrences(of: "{{TOKEN}}", with: ServeFixture.token))
            #expect(served.style == style)
            #expect(served.script == ServePage.fill(source, ServePage.constants))
            for name in ServePage.constants.keys { #expect(source.contains("/*{{\(name)}}*/"), "app.js has the marker for \(name)") }
        }
    }

    @Test func aConstantIsWrittenAsJavaScript() {
        #expect(ServePage.object([("new", "New"), ("changed_in_unleashed", "A \"quoted\" word"), ("two-words", "x")])
            == #"{ new: "New", changed_in_unleashed: "A \"quoted\" word", "two-words": "x" }"#)
        #expect(ServePage.fill("const A = /*{{A}}*/[]; const B = /*{{B}}*/{};", ["A": "[1]", "B": "{ b: 2 }"]) == "const A = [1]; const B = { b: 2 };")
    }
}
