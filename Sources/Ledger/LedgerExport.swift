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
        var rowLines: [Int] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let bytes = Data(line)
            if let end = try? decoder.decode(End.self, from: bytes) {
                guard end.end.rows == rows.count else {
                    throw ExportProblem(message: "\(source):\(index + 1): the end line counts \(end.end.rows) rows but \(rows.count) were read; the file is damaged")
                }
                guard lines[(index + 1)...].allSatisfy(\.isEmpty) else {
                    throw ExportProblem(message: "\(source):\(index + 2): lines after the end line; the file is damaged")
                }
                try check(rows, lines: rowLines, source: source)
                return (header.account, rows)
            }
            do {
                rows.append(try decoder.decode(LedgerRow.self, from: bytes))
                rowLines.append(index + 1)
            } catch {
                throw ExportProblem(message: "\(source):\(index + 1): not a ledger row (\(Self.reason(error))); the file is damaged")
            }
        }
        throw ExportProblem(message: "\(source): the export has no end line (it was cut short); nothing was imported. Export it again")
    }

    /// What a hand-edited export may hold and a ledger must not: a row twice (the last would win
    /// silently and the counts disagree), two orders live under one sales order GUID (a replace
    /// of one would act on the other's order), negative counts (which defeat `--quota`).
    static func check(_ rows: [LedgerRow], lines: [Int], source: String) throws(ExportProblem) {
        var seen: [String: Int] = [:]
        var guids: [String: (id: String, line: Int)] = [:]
        for (row, line) in zip(rows, lines) {
            let key: String
            switch row {
            case .order(let order):
                key = "order id \(order.sourceID)"
                if let guid = order.guid {
                    if let other = guids[guid.lowercased()] {
                        throw ExportProblem(message: "\(source):\(line): order id \(order.sourceID) and order id \(other.id) (line \(other.line)) "
                            + "are both live as sales order \(guid); one Unleashed order belongs to one Ordermentum order. Correct the file, or export the ledger again")
                    }
                    guids[guid.lowercased()] = (order.sourceID, line)
                }
                if order.attempts < 0 { throw ExportProblem(message: "\(source):\(line): order id \(order.sourceID) has \(order.attempts) attempts; counts are never negative") }
            case .customerMapping(let mapping): key = "customer mapping \(mapping.customerID)"
            case .createdProduct(let product): key = "created product \(product.productCode)"
            case .reference(let reference): key = "reference list \(reference.kind)"
            case .run(let run):
                key = "run \(run.id)"
                if run.calls < 0 || run.checkpoint < 0 || run.counts.values.contains(where: { $0 < 0 }) {
                    throw ExportProblem(message: "\(source):\(line): run \(run.id) has a negative count; counts are never negative")
                }
            case .calls(let month, let counts):
                key = "call counts of \(month)"
                if let (endpoint, count) = counts.first(where: { $0.value < 0 }) {
                    throw ExportProblem(message: "\(source):\(line): \(count) calls to \(endpoint) in \(month); counts are never negative (they would defeat --quota)")
                }
            case .log(let entry): key = "log row \(entry.id)"
            case .payload(let payload): key = "payload \(payload.hash) of order id \(payload.sourceID)"
            }
            if let first = seen[key] {
                throw ExportProblem(message: "\(source):\(line): a second row for \(key) (the first is at line \(first)); one would silently replace the other. "
                    + "Keep one, or export the ledger again")
            }
            seen[key] = line
        }
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
