import Batch

/// One stored record: its JSON bytes, serialised once at write time, plus its identifiers.
///
/// Sales orders keep only the bytes; the object is parsed again when a change needs it. That keeps
/// tens of thousands of orders small. The other collections also keep the parsed object, which
/// creates read.
struct StoredRecord: Sendable {
    var guid: String
    var code: String?
    /// Lower-cased `SourceId`, the key of the sales-order source index.
    var sourceId: String?
    var modifiedMs: Int64
    /// The record as Unleashed returns it, ready to copy into a response.
    var json: [UInt8]
    private var kept: JSONObject?

    init(body: JSONObject, resource: Resource, guid: String, modifiedMs: Int64) {
        var writer = JSONWriter()
        writer.write(.object(body))
        self.guid = guid
        self.code = body[resource.codeField]?.stringValue
        self.sourceId = body["SourceId"]?.stringValue?.lowercased()
        self.modifiedMs = modifiedMs
        // A copy with exact capacity: the writer reserves 64 KiB, which every stored record would keep
        // (`Array(slice)` would share the writer's buffer, so the copy is explicit).
        // Dates are stored as they go on the wire, `\/Date(ms)\/` (see `WireDates`).
        var exact: [UInt8] = []
        let wire = WireDates.escaped(writer.bytes)
        exact.reserveCapacity(wire.count)
        exact.append(contentsOf: wire)
        self.json = exact
        self.kept = resource == .salesOrders ? nil : body
    }

    /// The record as a JSON object.
    var body: JSONObject {
        if let kept { return kept }
        return (try? JSONValue.parse(json))?.objectValue ?? JSONObject()
    }
}
