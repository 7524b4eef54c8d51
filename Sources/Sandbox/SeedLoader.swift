import Batch
import Yams
import UnleashedContract

/// Reads a seed (YAML or JSON) into a state: reference lists as given, customers, products and
/// sales orders through the same validation as the API, so a seed cannot hold what the API would refuse.
///
/// Top-level keys: `warehouses`, `taxes`, `currencies`, `salespersons`, `salesOrderGroups`,
/// `deliveryMethods`, `customers`, `products`, `salesOrders` (each a list of objects in Unleashed's
/// field names; `Guid` is derived from the code when absent), and `generate` (see `SeedGenerator`).
/// Unknown keys are errors.
public enum SeedLoader {
    /// Parses seed text: JSON when it starts with `{`, else YAML.
    public static func parse(_ text: String, source: String) throws(SandboxSetupError) -> JSONValue {
        if text.drop(while: { $0.isWhitespace }).first == "{" {
            do { return try JSONValue.parse(text) } catch {
                throw SandboxSetupError("\(source): not valid JSON: \(error)")
            }
        }
        try SeedAliasCheck.check(text, source: source)
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw SandboxSetupError("\(source): not valid YAML: \(error)")
        }
        guard let node else { return .object(JSONObject()) }
        return try YAMLJSON.convert(node, source: source)
    }

    /// Builds the state a seed describes, stamped with `nowMs` and `user`.
    static func state(from seed: JSONValue, source: String, nowMs: Int64, user: String) throws(SandboxSetupError) -> SandboxState {
        guard var object = seed.objectValue else { throw SandboxSetupError("\(source): the seed must be a mapping of lists") }
        let known = Set(Resource.allCases.map(\.seedKey) + ["generate", "base"])
        for key in object.keys where !known.contains(key) {
            throw SandboxSetupError("\(source): unknown key '\(key)'; use \(Resource.allCases.map(\.seedKey).joined(separator: ", ")), generate or base")
        }
        if let base = object["base"] {
            guard base.stringValue == "default" else { throw SandboxSetupError("\(source): base must be 'default' (the built-in seed)") }
            object = try withDefaultSeed(object)
        }
        let generated = try object["generate"].map { value throws(SandboxSetupError) in try SeedGenerator.expand(value, source: source) } ?? [:]
        var state = SandboxState()
        let order: [Resource] = [.currencies, .taxes, .warehouses, .salespersons, .salesOrderGroups, .deliveryMethods,
                                 .customers, .products, .salesOrders]
        for resource in order {
            var items: [JSONValue] = []
            if let value = object[resource.seedKey] {
                guard let listed = value.arrayValue else { throw SandboxSetupError("\(source): \(resource.seedKey) must be a list") }
                items = listed
            }
            items += generated[resource] ?? []
            for (index, item) in items.enumerated() {
                let place = "\(source): \(resource.seedKey)[\(index)]"
                guard var body = item.objectValue else { throw SandboxSetupError("\(place) must be a mapping") }
                let code = body[resource.codeField]?.stringValue
                let guid = body["Guid"]?.stringValue
                    ?? GuidMaker.derived(from: "sandbox/\(resource.rawValue)/\(code ?? String(index))")
                do throws(APIError) {
                    switch resource {
                    case .salesOrders:
                        try addOrder(&body, guid: guid, to: &state, nowMs: nowMs, user: user)
                    case .customers, .products:
                        if let code, state[resource].record(code: code) != nil {
                            throw APIError.invalid("\(resource.codeField) '\(code)' is used twice.")
                        }
                        let record = try MasterRecordBuilder(state: state, nowMs: nowMs, user: user).build(resource, body: body, guid: guid)
                        state.upsert(resource, record, guid: guid)
                    default:
                        guard let code, !code.isEmpty else { throw APIError.invalid("\(resource.codeField) is required.") }
                        guard state[resource].record(code: code) == nil else { throw APIError.invalid("\(resource.codeField) '\(code)' is used twice.") }
                        if resource == .warehouses, code.count > 15 {
                            throw APIError.invalid("WarehouseCode is longer than 15 characters (\(code.count)).")
                        }
                        body["Guid"] = .string(guid)
                        body["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: nowMs))
                        state.upsert(resource, RecordedShapes.shaped(body, as: resource), guid: guid)
                    }
                } catch {
                    throw SandboxSetupError("\(place): \(error.description)")
                }
            }
        }
        return state
    }

    /// `object` with the built-in seed's records listed before its own, collection by collection.
    private static func withDefaultSeed(_ object: JSONObject) throws(SandboxSetupError) -> JSONObject {
        let defaults = try parse(DefaultSeed.yaml, source: "built-in seed").objectValue ?? JSONObject()
        var merged = object
        merged["base"] = nil
        for resource in Resource.allCases {
            let items = (defaults[resource.seedKey]?.arrayValue ?? []) + (object[resource.seedKey]?.arrayValue ?? [])
            if !items.isEmpty { merged[resource.seedKey] = .array(items) }
        }
        return merged
    }

    private static func addOrder(_ body: inout JSONObject, guid: String, to state: inout SandboxState, nowMs: Int64, user: String) throws(APIError) {
        guard state[.salesOrders].record(guid: guid) == nil else { throw .invalid("Guid '\(guid)' is used twice.") }
        let deleted = body["OrderStatus"]?.stringValue.flatMap(SalesOrderStatus.init(matching:)) == .deleted
        if deleted { body["OrderStatus"] = .string(SalesOrderStatus.parked.rawValue) }
        let auto = state.peekOrderNumber()
        var builder = SalesOrderBuilder(state: state, nowMs: nowMs, user: user, autoNumber: auto.number)
        builder.allowsChargeLines = true
        var order = try builder.build(body: body, guid: guid, existing: nil)
        if deleted { order["OrderStatus"] = .string(SalesOrderStatus.deleted.rawValue) }
        if order["OrderNumber"]?.stringValue == auto.number { state.nextOrderNumber = auto.next }
        state.upsert(.salesOrders, order, guid: guid)
    }
}

/// YAML nodes to JSON values: numbers keep their text, so `0.1` stays exactly 0.1.
enum YAMLJSON {
    static func convert(_ node: Node, source: String) throws(SandboxSetupError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                if let number = JSONNumber(text: scalar.string) { return .number(number) }
                if let int = node.int { return .number(JSONNumber(int)) }
                throw SandboxSetupError("\(source): line \(node.mark?.line ?? 0): the number '\(scalar.string)' cannot be used; write it in decimal")
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try convert(item, source: source)) }
            return .array(items)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard let name = key.string else { throw SandboxSetupError("\(source): line \(key.mark?.line ?? 0): keys must be strings") }
                object[name] = try convert(value, source: source)
            }
            return .object(object)
        case .alias:
            throw SandboxSetupError("\(source): line \(node.mark?.line ?? 0): YAML aliases are not allowed in seeds")
        }
    }
}
