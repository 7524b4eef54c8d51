import Foundation

/// The NDJSON form of a whole ledger (one account): a header line, one `LedgerRow` a line,
/// and an end line with the row count, so that a truncated file is refused on import.
///
/// ```
/// {"format":"omsync-ledger","version":1,"account":"acme"}
/// {"table":"orders","row":{…}}
/// {"end":{"rows":1}}
/// ```
public enum LedgerExport {
    struct Header: Codable { var format: String; var version: Int; var account: String }
    struct End: Codable { var end: Count }
    struct Count: Codable { var rows: Int }

    /// The file's text for `rows` of `account`.
    public static func write(_ rows: [LedgerRow], account: String) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        var out = Data()
        out.append(try encoder.encode(Header(format: "omsync-ledger", version: 1, account: account)))
        out.append(0x0A)
        for row in rows {
            out.append(try encoder.encode(row))
            out.append(0x0A)
        }
        out.append(try encoder.encode(End(end: Count(rows: rows.count))))
        out.append(0x0A)
        return out
    }

    /// The rows of an export and the account it was taken from; every problem names the line.
    public static func read(_ data: Data, source: String) throws(ExportProblem) -> (account: String, rows: [LedgerRow]) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard let first = lines.first, let header = try? decoder.decode(Header.self, from: Data(first)),
              header.format == "omsync-ledger" else {
            throw ExportProblem(message: "\(source):1: not an omsync ledger export (the first line must be {\"format\":\"omsync-ledger\",…}); make one with `omsync ledger export`")
        }
        guard header.version == 1 else {
            throw ExportProblem(message: "\(source):1: export version \(header.version) is newer than this omsync reads (1); use a newer omsync")
        }
        var rows: [LedgerRow] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let bytes = Data(line)
            if let end = try? decoder.decode(End.self, from: bytes) {
                guard end.end.rows == rows.count else {
                    throw ExportProblem(message: "\(source):\(index + 1): the end line counts \(end.end.rows) rows but \(rows.count) were read; the file is damaged")
                }
                guard lines[(index + 1)...].allSatisfy(\.isEmpty) else {
                    throw ExportProblem(message: "\(source):\(index + 2): lines after the end line; the file is damaged")
                }
                return (header.account, rows)
            }
            do {
                rows.append(try decoder.decode(LedgerRow.self, from: bytes))
            } catch {
                throw ExportProblem(message: "\(source):\(index + 1): not a ledger row (\(Self.reason(error))); the file is damaged")
            }
        }
        throw ExportProblem(message: "\(source): the export has no end line (it was cut short); nothing was imported. Export it again")
    }

    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let context)?: return context.debugDescription
        case .keyNotFound(let key, _)?: return "missing '\(key.stringValue)'"
        case .typeMismatch(_, let context)?: return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(_, let context)?: return "missing value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "invalid JSON"
        }
    }
}

/// An export file that cannot be imported.
public struct ExportProblem: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
