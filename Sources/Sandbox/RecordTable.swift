import Batch
import UnleashedContract

/// An ordered collection of records with lookups by GUID and by code (both without case).
///
/// Insertion order is the list order, as Unleashed lists records in a stable order.
struct RecordTable: Sendable {
    let resource: Resource
    private(set) var records: [StoredRecord] = []
    private var byGuid: [String: Int] = [:]
    private var byCode: [String: Int] = [:]
    /// Positions by `SourceId` (without case): the sales-order filter that overrides the others.
    private var bySource: [String: [Int]] = [:]
    /// One scan key per record, parallel to `records`.
    private(set) var scanKeys: [ScanKey] = []
    private(set) var statusNames = StringInterner()
    private(set) var startsWithNames = StringInterner()
    private(set) var equalsNames = StringInterner()

    init(resource: Resource) { self.resource = resource }

    var count: Int { records.count }

    /// The record with this GUID.
    func record(guid: String) -> StoredRecord? {
        byGuid[guid.lowercased()].map { records[$0] }
    }

    /// The record whose code field equals `code` without regard to case.
    func record(code: String) -> StoredRecord? {
        byCode[code.lowercased()].map { records[$0] }
    }

    /// Positions of the records whose `SourceId` equals `sourceId` without regard to case, in list order.
    func positions(sourceId: String) -> [Int] {
        bySource[sourceId.lowercased()] ?? []
    }

    /// Position of the record whose code equals `code` without regard to case.
    func position(code: String) -> Int? {
        byCode[code.lowercased()]
    }

    /// Inserts a new record or replaces the one with the same GUID (keeping its position).
    mutating func upsert(_ body: JSONObject, guid: String, modifiedMs: Int64) {
        let record = StoredRecord(body: body, resource: resource, guid: guid, modifiedMs: modifiedMs)
        let code = record.code
        let texts = ScanKey.texts(of: body, resource: resource)
        let scanKey = ScanKey(
            status: statusNames.intern(texts.status), startsWith: startsWithNames.intern(texts.startsWith),
            equals: equalsNames.intern(texts.equals),
            orderDateMs: body["OrderDate"]?.stringValue.flatMap(DotNetDate.parseAny) ?? Int64.min, modifiedMs: modifiedMs)
        let key = guid.lowercased()
        let position: Int
        if let existing = byGuid[key] {
            position = existing
            if let old = records[position].code?.lowercased(), byCode[old] == position { byCode[old] = nil }
            if let old = records[position].sourceId {
                bySource[old]?.removeAll { $0 == position }
            }
            records[position] = record
            scanKeys[position] = scanKey
        } else {
            position = records.count
            records.append(record)
            scanKeys.append(scanKey)
            byGuid[key] = position
        }
        if let code { byCode[code.lowercased()] = position }
        if let source = record.sourceId {
            var positions = bySource.removeValue(forKey: source) ?? []
            if let last = positions.last, last > position {
                positions.insert(position, at: positions.firstIndex { $0 > position } ?? positions.count)
            } else {
                positions.append(position)
            }
            bySource[source] = positions
        }
    }
}
