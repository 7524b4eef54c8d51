import Batch
import Foundation

/// The answers recorded from the real Unleashed API, in `../shared/data/unleashed-real/` next to the
/// package root (not part of the repository: tests that read them run only where that folder exists,
/// and say they skipped otherwise). Its `SOURCES.md` says where each file comes from.
public enum RecordedAnswers {
    /// The folder, `../shared/data/unleashed-real` relative to the package root.
    public static let folder: URL = Project.root.deletingLastPathComponent().appendingPathComponent("shared/data/unleashed-real")

    /// True when the recordings are on this machine.
    public static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("SOURCES.md").path) }

    /// What a recorded JSON file holds.
    public enum Kind: String, Sendable, CaseIterable {
        case salesOrders, customers, products, warehouses, other
    }

    /// One recorded JSON file.
    public struct File: Sendable, CustomStringConvertible {
        public var name: String
        public var kind: Kind
        /// Tier C files (edited by a test author) are good for field names only, never for types or values.
        public var edited: Bool
        public var description: String { name }

        /// The file's bytes.
        public func bytes() throws -> [UInt8] { Array(try Data(contentsOf: RecordedAnswers.folder.appendingPathComponent(name))) }

        /// The file parsed.
        public func json() throws -> JSONValue { try JSONValue.parse(try bytes()) }

        /// True when the file is a page `{"Pagination","Items"}`; else it is one record (or an array of them).
        public func isPage() throws -> Bool { try json()["Pagination"] != nil }

        /// The records it holds: a page's `Items`, an array's elements, or the one object.
        public func records() throws -> [JSONObject] {
            let value = try json()
            if let items = value["Items"]?.arrayValue { return items.compactMap(\.objectValue) }
            if let array = value.arrayValue { return array.compactMap(\.objectValue) }
            return value.objectValue.map { [$0] } ?? []
        }
    }

    /// Every recorded JSON file (empty when the recordings are absent), sorted by name.
    public static func files() -> [File] {
        guard available, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            File(name: name, kind: kind(of: name), edited: name.hasPrefix("AntonyThorpe__"))
        }
    }

    /// The recorded files of one kind, tier C (edited) ones left out.
    public static func files(_ kind: Kind) -> [File] {
        files().filter { $0.kind == kind && !$0.edited }
    }

    /// The kind of a file, from the endpoint its name records.
    static func kind(of name: String) -> Kind {
        let lower = name.lowercased()
        if lower.contains("salesorder") || lower.contains("downloadso.php") || lower.contains("jsonsalesorder") { return .salesOrders }
        if lower.contains("_get_customers") || lower.contains("_post_customers") { return .customers }
        if lower.contains("_get_products") || lower.contains("_post_products") || lower.contains("line4_products")
            || lower.contains("test_product_json") { return .products }
        if lower.contains("_get_warehouses") { return .warehouses }
        return .other
    }
}
