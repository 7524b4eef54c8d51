import UnleashedContract
import Batch
import Logging

/// The sandbox's account: records, faults and the call meter, behind one actor so calls apply in arrival order.
///
/// Handlers get and return `JSONObject`s; serialisation happens outside the actor.
public actor SandboxStore {
    var state: SandboxState
    let seedState: SandboxState
    var faults: FaultInjector
    let clock: @Sendable () -> Int64
    var lastNow: Int64 = 0
    let stateFile: StateFile?
    var saveScheduled = false
    var dirty = false
    /// Changes made (`markDirty` calls) and how many of them the state file holds.
    var changeCount: UInt64 = 0
    var savedCount: UInt64 = 0
    var urgentSave = false
    var durabilityWaiters: [(UInt64, CheckedContinuation<Void, Never>)] = []
    let logger: Logger
    /// `LastModifiedBy` of changes made through the API.
    public let apiUser: String

    /// A store starting from `initial`; `reset` goes back to `seed`.
    init(initial: SandboxState, seed: SandboxState, faults: FaultSettings, apiUser: String,
         stateFile: StateFile?, logger: Logger, clock: @escaping @Sendable () -> Int64) {
        self.logger = logger
        self.state = initial
        self.seedState = seed
        self.faults = FaultInjector(settings: faults)
        self.apiUser = apiUser
        self.stateFile = stateFile
        self.clock = clock
    }

    /// The time of a change: the clock, but strictly after the previous change so `LastModifiedOn` always moves.
    func now() -> Int64 {
        lastNow = max(clock(), lastNow + 1)
        return lastNow
    }

    // MARK: Admission

    /// What happens to one API call before its handler runs.
    enum Admission: Sendable {
        case refuse(APIError)
        case proceed(FaultKind, latencyMs: Int, retryAfterSeconds: Int)
    }

    /// Counts the call, then refuses it (auth failure, quota spent) or draws its fault. A call
    /// that names the account (`chargeable`) is charged to its quota even when refused for its
    /// signature or its route ("every request counts"); one with another id is no account's.
    func admit(endpoint: String, authFailure: APIError?, chargeable: Bool) -> Admission {
        state.meter.record(endpoint: endpoint)
        markDirty()
        if let authFailure {
            if chargeable { _ = state.meter.charge(quota: faults.settings.quota, nowMs: clock()) }
            return .refuse(authFailure)
        }
        if let refusal = state.meter.charge(quota: faults.settings.quota, nowMs: clock()) { return .refuse(refusal) }
        let fault = faults.nextFault()
        return .proceed(fault, latencyMs: faults.nextLatency(), retryAfterSeconds: faults.settings.retryAfterSeconds)
    }

    // MARK: Reads

    /// One page of a collection.
    func list(_ resource: Resource, _ query: ListQuery) -> (pagination: JSONObject, items: [[UInt8]]) {
        query.page(of: state[resource])
    }

    /// One record by GUID, or 404.
    public func get(_ resource: Resource, guid: String) throws(APIError) -> JSONObject {
        guard let record = state[resource].record(guid: guid) else { throw Self.notFound(resource, guid) }
        return record.body
    }

    /// One record by GUID as its stored JSON bytes, or 404.
    func getJSON(_ resource: Resource, guid: String) throws(APIError) -> [UInt8] {
        guard let record = state[resource].record(guid: guid) else { throw Self.notFound(resource, guid) }
        return record.json
    }

    static func notFound(_ resource: Resource, _ guid: String) -> APIError {
        APIError(.notFound, "No \(resource.rawValue) record was found with Guid '\(guid)'.")
    }

    // MARK: Writes

    /// `POST /SalesOrders/{guid}`: a new order; an existing GUID is refused.
    public func createOrder(guid: String, body: JSONObject) throws(APIError) -> JSONObject {
        if state[.salesOrders].record(guid: guid) != nil {
            throw .invalid("A sales order with Guid '\(guid)' already exists.")
        }
        // A create sends its GUID in the path and in the body (UNLEASHED.md); seeds need not.
        if (body["Guid"]?.stringValue ?? "").isEmpty {
            throw .invalid("Guid is required in the body, and must be the Guid in the URL (\(guid)).")
        }
        let auto = state.peekOrderNumber()
        let order = try SalesOrderBuilder(state: state, nowMs: now(), user: apiUser, autoNumber: auto.number)
            .build(body: body, guid: guid, existing: nil)
        if order["OrderNumber"]?.stringValue == auto.number { state.nextOrderNumber = auto.next }
        store(.salesOrders, order, guid: guid)
        return order
    }

    /// `PUT /SalesOrders/{guid}`: replaces a modifiable order.
    public func updateOrder(guid: String, body: JSONObject) throws(APIError) -> JSONObject {
        let existing = try modifiableOrder(guid)
        let order = try SalesOrderBuilder(state: state, nowMs: now(), user: apiUser, autoNumber: "")
            .build(body: body, guid: guid, existing: existing)
        store(.salesOrders, order, guid: existing.guid)
        return order
    }

    /// `DELETE /SalesOrders/{guid}`: a soft delete to status `Deleted`.
    public func deleteOrder(guid: String) throws(APIError) -> JSONObject {
        try changeStatus(guid: guid, to: .deleted)
    }

    /// `POST /SalesOrders/{guid}/Complete`.
    public func completeOrder(guid: String) throws(APIError) -> JSONObject {
        try changeStatus(guid: guid, to: .completed)
    }

    private func changeStatus(guid: String, to status: SalesOrderStatus) throws(APIError) -> JSONObject {
        var order = try modifiableOrder(guid).body
        let at = now()
        order["OrderStatus"] = .string(status.rawValue)
        if status == .completed { order["CompletedDate"] = .string(DotNetDate.format(milliseconds: at)) }
        order["LastModifiedBy"] = .string(apiUser)
        order["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: at))
        store(.salesOrders, order, guid: guid)
        return order
    }

    private func modifiableOrder(_ guid: String) throws(APIError) -> StoredRecord {
        guard let existing = state[.salesOrders].record(guid: guid) else { throw Self.notFound(.salesOrders, guid) }
        let status = existing.body["OrderStatus"]?.stringValue?.lowercased() ?? ""
        guard SalesOrderBuilder.modifiableStatuses.contains(status) else {
            throw .invalid(SalesOrderStatus.notModifiableMessage)
        }
        return existing
    }

    /// `POST /Customers/{guid}` and `POST /Products/{guid}`: create or update.
    public func upsertMaster(_ resource: Resource, guid: String, body: JSONObject) throws(APIError) -> JSONObject {
        let record = try MasterRecordBuilder(state: state, nowMs: now(), user: apiUser).build(resource, body: body, guid: guid)
        store(resource, record, guid: guid)
        return record
    }

    func store(_ resource: Resource, _ body: JSONObject, guid: String) {
        state.upsert(resource, body, guid: guid)
        markDirty()
    }
}
