import Batch
import UnleashedContract

/// Everything the sandbox knows: the records of every collection, the order-number counter and the call meter.
///
/// The state file and `GET /_sandbox/state` use the same document:
/// `{"version":1,"nextOrderNumber":N,"calls":{…},"salesOrders":[…],"customers":[…],…}`.
struct SandboxState: Sendable {
    private(set) var tables: [Resource: RecordTable]
    /// The next automatic order number (`SO-00000001` is 1).
    var nextOrderNumber = 1
    /// The largest `nextOrderNumber` a state file may hold (so counting on from it cannot overflow).
    static let maxOrderNumber = 1_000_000_000_000
    /// Calls counted for the quota and per endpoint.
    var meter = CallMeter()

    init() {
        var tables: [Resource: RecordTable] = [:]
        for resource in Resource.allCases { tables[resource] = RecordTable(resource: resource) }
        self.tables = tables
    }

    /// The table of one collection (read-only: writes go through `upsert`, which mutates in place).
    subscript(resource: Resource) -> RecordTable {
        tables[resource] ?? RecordTable(resource: resource)
    }

    /// Stores a record, taking `LastModifiedOn` from its body when it has one.
    mutating func upsert(_ resource: Resource, _ body: JSONObject, guid: String) {
        let modified = body["LastModifiedOn"]?.stringValue.flatMap(DotNetDate.parseAny) ?? 0
        // In place through the dictionary's modify accessor: a get-then-set would copy the whole table.
        tables[resource, default: RecordTable(resource: resource)].upsert(body, guid: guid, modifiedMs: modified)
    }

    /// The next free automatic order number and the counter value after it (the counter is not advanced).
    func peekOrderNumber() -> (number: String, next: Int) {
        var counter = nextOrderNumber
        while true {
            let digits = String(counter)
            let number = "SO-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
            counter += 1
            if self[.salesOrders].record(code: number) == nil { return (number, counter) }
        }
    }

    /// The whole state as one JSON document, records copied as their stored bytes.
    func documentBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("version")
        writer.int(1)
        writer.key("nextOrderNumber")
        writer.int(nextOrderNumber)
        writer.key("calls")
        writer.write(meter.document())
        for resource in Resource.allCases {
            writer.key(resource.seedKey)
            writer.beginArray()
            for record in self[resource].records { writer.raw(record.json) }
            writer.endArray()
        }
        writer.endObject()
        return writer.bytes
    }

    /// Reads a document written by `documentBytes()`.
    static func load(document: JSONValue) throws(SandboxSetupError) -> SandboxState {
        guard let object = document.objectValue else {
            throw SandboxSetupError("the state file must hold a JSON object")
        }
        guard object["version"]?.numberValue?.int == 1 else {
            throw SandboxSetupError("the state file has an unknown version (expected \"version\": 1)")
        }
        var state = SandboxState()
        state.nextOrderNumber = object["nextOrderNumber"]?.numberValue?.int ?? 1
        guard (1...maxOrderNumber).contains(state.nextOrderNumber) else {
            throw SandboxSetupError("the state file's nextOrderNumber must be a whole number from 1 to \(maxOrderNumber)")
        }
        if let calls = object["calls"] { state.meter = CallMeter(document: calls) }
        for resource in Resource.allCases {
            for (index, item) in (object[resource.seedKey]?.arrayValue ?? []).enumerated() {
                guard let body = item.objectValue, let guid = body["Guid"]?.stringValue else {
                    throw SandboxSetupError("\(resource.seedKey)[\(index)] in the state file has no Guid")
                }
                state.upsert(resource, body, guid: guid)
            }
        }
        return state
    }
}
