import Batch
import Foundation
import NIOHTTP1

extension UnleashedClient {
    /// The page size of every master-data and reference list (Unleashed's largest).
    public static let listPageSize = 1000

    /// Every customer whose code starts with `codePrefix` (all when nil), modified since a moment when given.
    public func customers(codePrefix: String?, modifiedSince: Date?) async throws(UnleashedError) -> [UnleashedRecord] {
        try await allPages("/Customers", query: Self.listQuery(codeName: "customerCode", code: codePrefix,
                                                               modifiedSince: modifiedSince, pageSize: Self.listPageSize))
            .map(UnleashedRecord.init(json:))
    }

    /// One customer; nil when Unleashed has no customer with that GUID.
    public func customer(guid: String) async throws(UnleashedError) -> UnleashedRecord? {
        try await getRecord("/Customers/\(guid)").map(UnleashedRecord.init(json:))
    }

    /// Creates or updates a customer (`POST /Customers/{guid}`); retried freely, as the write is idempotent.
    public func saveCustomer(guid: String, body: [UInt8]) async throws(UnleashedError) -> UnleashedRecord {
        try await save(APICall(method: .POST, path: "/Customers/\(guid)", body: body))
    }

    /// Every product whose code starts with `codePrefix` (all when nil), modified since a moment when given.
    public func products(codePrefix: String?, modifiedSince: Date?) async throws(UnleashedError) -> [UnleashedRecord] {
        try await allPages("/Products", query: Self.listQuery(codeName: "productCode", code: codePrefix,
                                                              modifiedSince: modifiedSince, pageSize: Self.listPageSize))
            .map(UnleashedRecord.init(json:))
    }

    /// One product; nil when Unleashed has no product with that GUID.
    public func product(guid: String) async throws(UnleashedError) -> UnleashedRecord? {
        try await getRecord("/Products/\(guid)").map(UnleashedRecord.init(json:))
    }

    /// Creates or updates a product (`POST /Products/{guid}`); retried freely.
    public func saveProduct(guid: String, body: [UInt8]) async throws(UnleashedError) -> UnleashedRecord {
        try await save(APICall(method: .POST, path: "/Products/\(guid)", body: body))
    }

    /// Every record of a reference list, 1000 a page, modified since a moment when given.
    public func list(_ resource: UnleashedResource, modifiedSince: Date?) async throws(UnleashedError) -> [UnleashedRecord] {
        try await allPages("/\(resource.rawValue)", query: Self.listQuery(codeName: "", code: nil,
                                                                          modifiedSince: modifiedSince, pageSize: Self.listPageSize))
            .map(UnleashedRecord.init(json:))
    }

    /// A create-or-update POST: 200 and 201 are success; every retryable failure is retried.
    private func save(_ call: APICall) async throws(UnleashedError) -> UnleashedRecord {
        try await perform(call) { answer, _, _ throws(UnleashedError) in
            try standardVerdict(answer, call) { answer throws(UnleashedError) in UnleashedRecord(json: try Self.json(answer, call)) }
        }
    }
}
