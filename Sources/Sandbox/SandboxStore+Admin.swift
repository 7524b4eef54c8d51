import Batch
import UnleashedContract

extension SandboxStore {
    /// The whole state document (what `--state` holds).
    public func stateDocument() -> [UInt8] { state.documentBytes() }

    /// Goes back to the seed: records, order numbers and call counts; faults stay as they are.
    public func reset() {
        state = seedState
        markDirty()
    }

    /// The fault settings now in force.
    public func faultSettings() -> FaultSettings { faults.settings }

    /// Replaces the fault settings (as `PUT /_sandbox/faults` does with every key).
    public func setFaults(_ settings: FaultSettings) throws(APIError) {
        if let problem = settings.validationProblem() { throw .invalid(problem) }
        faults.update(settings)
    }

    /// Applies the keys present in `patch` to the fault settings (see docs/sandbox.md for the keys).
    func updateFaults(_ patch: JSONObject) throws(APIError) -> FaultSettings {
        var settings = faults.settings
        for (key, value) in patch {
            switch key {
            case "latencyMs": settings.latencyMs = try Self.int(value, key)
            case "latencyJitterMs": settings.latencyJitterMs = try Self.int(value, key)
            case "errorRate": settings.errorRate = try Self.rate(value, key)
            case "dropRate": settings.dropRate = try Self.rate(value, key)
            case "throttleRate": settings.throttleRate = try Self.rate(value, key)
            case "resetRate": settings.resetRate = try Self.rate(value, key)
            case "retryAfterSeconds": settings.retryAfterSeconds = try Self.int(value, key)
            case "seed": settings.seed = UInt64(truncatingIfNeeded: try Self.int(value, key))
            case "quota": settings.quota = value.isNull ? nil : try Self.int(value, key)
            case "next":
                guard let items = value.arrayValue else { throw .invalid("next must be an array of fault names.") }
                settings.scripted = try items.map { item throws(APIError) in
                    guard let name = item.stringValue, let kind = FaultKind(rawValue: name) else {
                        let names = FaultKind.allCases.map(\.rawValue).joined(separator: ", ")
                        throw .invalid("next: unknown fault \(item.serialized()); use \(names).")
                    }
                    return kind
                }
            default:
                throw .invalid("Unknown fault setting '\(key)'.")
            }
        }
        if let problem = settings.validationProblem() { throw .invalid(problem) }
        faults.update(settings)
        return settings
    }

    private static func int(_ value: JSONValue, _ key: String) throws(APIError) -> Int {
        guard let int = value.numberValue?.int else { throw .invalid("\(key) must be a whole number.") }
        return int
    }

    private static func rate(_ value: JSONValue, _ key: String) throws(APIError) -> Double {
        guard let text = value.numberValue?.text, let rate = Double(text) else { throw .invalid("\(key) must be a number.") }
        return rate
    }

    /// Call counts: `{"total":N,"quotaUsed":N,"month":…,"byEndpoint":{"GET /SalesOrders":N,…}}`.
    public func callsDocument() -> JSONValue { state.meter.document() }

    /// A change made by a person in the Unleashed web app: sets fields, bumps `LastModifiedOn`,
    /// sets `LastModifiedBy` to `by`. No status rule applies (people can do what the API may not).
    public func webEdit(_ resource: Resource, guid: String, set: JSONObject, by user: String) throws(APIError) -> JSONObject {
        guard var body = state[resource].record(guid: guid)?.body else { throw Self.notFound(resource, guid) }
        for (key, value) in set {
            switch key {
            case "Guid", "CreatedOn", "CreatedBy", "LastModifiedOn", "LastModifiedBy":
                throw .invalid("\(key) cannot be edited.")
            case "OrderStatus" where resource == .salesOrders:
                let statuses = SalesOrderBuilder.creatableStatuses + [SalesOrderStatus.deleted.rawValue]
                guard let status = statuses.first(where: { $0.lowercased() == value.stringValue?.lowercased() }) else {
                    throw .invalid("OrderStatus must be one of \(statuses.joined(separator: ", ")).")
                }
                body[key] = .string(status)
            case "Warehouse" where resource == .salesOrders, "Customer" where resource == .salesOrders:
                let target: Resource = key == "Warehouse" ? .warehouses : .customers
                let code = value.stringValue ?? value[target.codeField]?.stringValue ?? ""
                guard let record = state[target].record(code: code) else {
                    throw .invalid("\(target.codeField) '\(code)' was not found.")
                }
                body[key] = target == .warehouses
                    ? RecordedShapes.nestedWarehouse(record) : RecordedShapes.nestedCustomer(record, currencies: state[.currencies])
            default:
                body[key] = value
            }
        }
        // The web app keeps codes unique too (an order number, a customer code…).
        if let code = body[resource.codeField]?.stringValue, let holder = state[resource].record(code: code),
           holder.guid.lowercased() != guid.lowercased() {
            throw .invalid("\(resource.codeField) '\(code)' is already used by another record.")
        }
        body["LastModifiedBy"] = .string(user)
        body["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: now()))
        store(resource, body, guid: guid)
        return body
    }
}
