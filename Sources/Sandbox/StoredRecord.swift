import Batch

/// One stored record: its JSON bytes (serialised once, at write time) plus the fields lists filter on.
///
/// Sales orders keep only the bytes (the object is parsed again when a change needs it), so tens of
/// thousands of orders stay small; the other collections also keep the parsed object, which creates read.
struct StoredRecord: Sendable {
    var guid: String
    var code: String?
    var modifiedMs: Int64
    /// The record as Unleashed returns it, ready to copy into a response.
    var json: [UInt8]
    /// Lower-cased values the list filters compare.
    var fields: FilterFields
    private var kept: JSONObject?

    init(body: JSONObject, resource: Resource, guid: String, modifiedMs: Int64) {
        var writer = JSONWriter()
        writer.write(.object(body))
        self.guid = guid
        self.code = body[resource.codeField]?.stringValue
        self.modifiedMs = modifiedMs
        self.json = writer.bytes
        self.fields = FilterFields(body: body, code: code)
        self.kept = resource == .salesOrders ? nil : body
    }

    /// The record as a JSON object.
    var body: JSONObject {
        if let kept { return kept }
        return (try? JSONValue.parse(json))?.objectValue ?? JSONObject()
    }
}

/// The values list filters look at, decoded and lower-cased once when a record is stored.
struct FilterFields: Sendable {
    var code: String
    var status: String
    var customerCode: String
    var warehouseCode: String
    var sourceId: String?
    var email: String
    var orderDateMs: Int64?

    init(body: JSONObject, code: String?) {
        self.code = code?.lowercased() ?? ""
        status = body["OrderStatus"]?.stringValue?.lowercased() ?? ""
        customerCode = body["Customer"]?["CustomerCode"]?.stringValue?.lowercased() ?? ""
        warehouseCode = body["Warehouse"]?["WarehouseCode"]?.stringValue?.lowercased() ?? ""
        sourceId = body["SourceId"]?.stringValue?.lowercased()
        email = body["Email"]?.stringValue?.lowercased() ?? ""
        orderDateMs = body["OrderDate"]?.stringValue.flatMap(DotNetDate.parseAny)
    }
}
