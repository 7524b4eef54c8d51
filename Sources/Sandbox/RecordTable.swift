import Batch

/// One stored record: its Unleashed JSON shape plus the fields lists filter on, kept decoded.
struct StoredRecord: Sendable {
    var body: JSONObject
    var guid: String
    var code: String?
    var modifiedMs: Int64
}

/// An ordered collection of records with lookups by GUID and by code (both without case).
///
/// Insertion order is the list order, as Unleashed lists records in a stable order.
struct RecordTable: Sendable {
    let resource: Resource
    private(set) var records: [StoredRecord] = []
    private var byGuid: [String: Int] = [:]
    private var byCode: [String: Int] = [:]

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

    /// Inserts a new record or replaces the one with the same GUID (keeping its position).
    mutating func upsert(_ body: JSONObject, guid: String, modifiedMs: Int64) {
        let code = body[resource.codeField]?.stringValue
        let record = StoredRecord(body: body, guid: guid, code: code, modifiedMs: modifiedMs)
        let key = guid.lowercased()
        if let position = byGuid[key] {
            if let old = records[position].code?.lowercased(), byCode[old] == position { byCode[old] = nil }
            records[position] = record
            if let code { byCode[code.lowercased()] = position }
        } else {
            records.append(record)
            byGuid[key] = records.count - 1
            if let code { byCode[code.lowercased()] = records.count - 1 }
        }
    }

    /// Removes every record.
    mutating func removeAll() {
        records.removeAll()
        byGuid.removeAll()
        byCode.removeAll()
    }
}
