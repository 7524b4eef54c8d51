import Testing
import Foundation
import Batch

/// Our parser and writer against Python's `json` module on generated documents: the same
/// accept/reject verdict, and what we write back has the same value (numbers compared exactly).
struct DifferentialTests {
    static let script: String = {
        let path = TemporaryFile.directory + "/differential.py"
        try? DifferentialScript.source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    @Test(arguments: [1, 2, 3])
    func agreesWithPython(seed: Int) throws {
        let docs = try TemporaryFile.path("docs-\(seed).txt")
        let results = try TemporaryFile.path("results-\(seed).txt")
        defer { TemporaryFile.remove(docs); TemporaryFile.remove(results) }
        try Python.run([Self.script, "gen", String(seed), "1500", docs])
        var out = ""
        for line in try String(contentsOfFile: docs, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            let bytes = Self.bytes(fromHex: parts.count > 1 ? parts[1] : "")
            do {
                let value = try JSONValue.parse(bytes)
                let record = try JSONRecord(parsing: bytes)
                var writer = JSONWriter()
                writer.write(record, record.root)
                out += "OK\t" + Self.hex(Array(value.serialized().utf8)) + "\t" + Self.hex(writer.bytes)
                    + "\t" + Self.hex(Array(value.serialized(pretty: true).utf8)) + "\n"
            } catch {
                out += "ERR\n"
            }
        }
        try out.write(toFile: results, atomically: false, encoding: .utf8)
        let report = try Python.run([Self.script, "check", docs, results])
        #expect(report.hasPrefix("mismatches 0 "), "\(report)")
        let counts = report.split(separator: "\n")[0].split(separator: " ")
        #expect((Int(counts[3]) ?? 0) > 500 && (Int(counts[5]) ?? 0) > 200, "both verdicts are exercised: \(report)")
    }

    static func bytes(fromHex hex: Substring) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            result.append(UInt8(digit(high) << 4 | digit(low)))
        }
        return result
    }

    static func digit(_ c: UInt8) -> UInt8 {
        c >= UInt8(ascii: "a") ? c - 87 : c - 48
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
