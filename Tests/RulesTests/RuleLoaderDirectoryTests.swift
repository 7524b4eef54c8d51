import Foundation
import Testing
@testable import Rules

/// Loading from a directory: which files are read, settings.yaml, unreadable files.
@Suite struct RuleLoaderDirectoryTests {
    /// A fresh temporary directory with `files` (relative path → bytes).
    func directory(_ files: [String: [UInt8]]) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-rules-\(UUID().uuidString)").path
        for (name, bytes) in files {
            let path = base + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        }
        return base
    }

    static let main = Array("version: 1\nsettings: { status: { type: text, default: Parked } }\nsales_order: { fields: { OrderStatus: settings.status } }\n".utf8)

    @Test func readsYamlFilesInNameOrderAndSettingsYaml() throws {
        let dir = try directory([
            "b.yml": Array("transitions:\n  - otherwise: true\n    do: create\n".utf8),
            "a.yaml": Self.main,
            "settings.yaml": Array("status: Placed\n".utf8),
            "notes.txt": Array("not yaml: [".utf8),
            "tests/case.yaml": Array("tests: []\n".utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir + "/")
        #expect(result.diagnostics.isEmpty, "\(result.render(color: false))")
        #expect(result.ruleSet?.files == [dir + "/a.yaml", dir + "/b.yml"])
        #expect(result.settings?.values["status"] == .text("Placed"))
        #expect(result.summary == "rules OK: 2 files, 0 properties, 1 transition")
    }

    @Test func settingsFilesComeAfterTheDirectorysOwn() throws {
        let dir = try directory(["a.yaml": Self.main, "settings.yaml": Array("status: Placed\n".utf8),
                                 "extra.settings": Array("status: Completed\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir, settingsFiles: [dir + "/extra.settings"], overrides: [])
        #expect(result.settings?.values["status"] == .text("Completed"))
        let overridden = RuleLoader.load(directory: dir, settingsFiles: [dir + "/extra.settings"], overrides: ["status=Backordered"])
        #expect(overridden.settings?.values["status"] == .text("Backordered"))
    }

    @Test func unreadableThings() throws {
        let dir = try directory(["a.yaml": Self.main, "bad.yaml": [0x76, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = RuleLoader.load(directory: dir, settingsFiles: [dir + "/missing.yaml"])
        // The first byte that is not UTF-8 is 0xFF at line 1, column 4, not "1:1".
        #expect(Fixture.codes(result) == ["E001 1:4", "E001 -"])
        #expect(result.ruleSet == nil)
        #expect(Fixture.codes(RuleLoader.load(directory: dir + "/nowhere")) == ["E001 -"])
        let empty = try directory(["readme.md": []])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(Fixture.codes(RuleLoader.load(directory: empty)) == ["E008 -"])
    }

    @Test func oversizeFilesAreNotRead() throws {
        let big = Array("# ".utf8) + Array(repeating: UInt8(ascii: "x"), count: YAMLReader.maxFileBytes) + [0x0A]
        let dir = try directory(["a.yaml": Self.main, "big.yaml": big])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Fixture.codes(RuleLoader.load(directory: dir)) == ["E002 1:1"])
    }
}
