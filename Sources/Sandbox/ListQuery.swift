import Batch

/// A list request: page (from the path), page size and the filters of one endpoint, read from the query.
///
/// Unknown parameters are ignored, as Unleashed ignores them; names match without case.
struct ListQuery: Sendable {
    var page = 1
    var pageSize = 200
    var orderNumber: String?
    var sourceId: String?
    var customerCode: String?
    var orderStatuses: [String]?
    var modifiedSince: Int64?
    var startDate: Int64?
    var endDate: Int64?
    var warehouseCode: String?
    var contactEmail: String?
    var productCode: String?

    /// The largest page Unleashed serves.
    static let maxPageSize = 1000

    /// Reads the parameters; a malformed page size or date is a 400 naming the parameter.
    init(page: Int, parameters: [(name: String, value: String)]) throws(APIError) {
        guard page >= 1 else { throw .invalid("The page number must be 1 or more (got \(page)).") }
        self.page = page
        for (name, value) in parameters {
            switch name.lowercased() {
            case "pagesize":
                guard let size = Int(value), (1...Self.maxPageSize).contains(size) else {
                    throw .invalid("pageSize must be a whole number from 1 to \(Self.maxPageSize) (got '\(value)').")
                }
                pageSize = size
            case "ordernumber": orderNumber = value
            case "sourceid": sourceId = value
            case "customercode": customerCode = value
            case "orderstatus":
                orderStatuses = value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
            case "modifiedsince": modifiedSince = try Self.date(name, value)
            case "startdate": startDate = try Self.date(name, value)
            case "enddate": endDate = try Self.date(name, value, endOfDay: true)
            case "warehousecode": warehouseCode = value
            case "contactemail": contactEmail = value
            case "productcode": productCode = value
            default: break
            }
        }
    }

    private static func date(_ name: String, _ value: String, endOfDay: Bool = false) throws(APIError) -> Int64 {
        guard let ms = DotNetDate.parseAny(value) else {
            throw .invalid("\(name) '\(value)' is not a valid date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC).")
        }
        // A bare date as the end of a range covers that whole day.
        return endOfDay && value.count == 10 ? ms + 86_400_000 - 1 : ms
    }

    /// True when `record` of `resource` passes the filters (the query values are lower-cased once, in `lowered`).
    func matches(_ record: StoredRecord, in resource: Resource, _ q: ListQuery) -> Bool {
        let f = record.fields
        switch resource {
        case .salesOrders:
            if f.status == "deleted", !(q.orderStatuses?.contains("deleted") ?? false) { return false }
            if let orderNumber = q.orderNumber { return f.code == orderNumber }
            if let sourceId = q.sourceId { return f.sourceId == sourceId }
            if let statuses = q.orderStatuses, !statuses.contains(f.status) { return false }
            if let customerCode = q.customerCode, !f.customerCode.hasPrefix(customerCode) { return false }
            if let warehouseCode = q.warehouseCode, f.warehouseCode != warehouseCode { return false }
            if q.startDate != nil || q.endDate != nil {
                guard let orderDate = f.orderDateMs else { return false }
                if let startDate = q.startDate, orderDate < startDate { return false }
                if let endDate = q.endDate, orderDate > endDate { return false }
            }
        case .customers:
            if let customerCode = q.customerCode, !f.code.hasPrefix(customerCode) { return false }
            if let contactEmail = q.contactEmail, f.email != contactEmail { return false }
        case .products:
            if let productCode = q.productCode, !f.code.hasPrefix(productCode) { return false }
        default:
            break
        }
        if let modifiedSince = q.modifiedSince, record.modifiedMs < modifiedSince { return false }
        return true
    }

    /// This query with every text value lower-cased, to compare with `FilterFields`.
    var lowered: ListQuery {
        var q = self
        q.orderNumber = orderNumber?.lowercased()
        q.sourceId = sourceId?.lowercased()
        q.customerCode = customerCode?.lowercased()
        q.warehouseCode = warehouseCode?.lowercased()
        q.contactEmail = contactEmail?.lowercased()
        q.productCode = productCode?.lowercased()
        return q
    }

    /// The page of `table` this query asks for, and Unleashed's `Pagination` object.
    func page(of table: RecordTable) -> (pagination: JSONObject, items: [[UInt8]]) {
        let candidates: [StoredRecord]
        if table.resource == .salesOrders, let orderNumber {
            candidates = table.record(code: orderNumber).map { [$0] } ?? []
        } else if table.resource == .salesOrders, let sourceId {
            candidates = table.records(sourceId: sourceId)
        } else {
            candidates = table.records
        }
        let q = lowered
        let matching = candidates.filter { matches($0, in: table.resource, q) }
        let pages = (matching.count + pageSize - 1) / pageSize
        let start = min((page - 1) * pageSize, matching.count)
        let end = min(start + pageSize, matching.count)
        let pagination = JSONObject([
            ("NumberOfItems", .number(JSONNumber(matching.count))), ("PageSize", .number(JSONNumber(pageSize))),
            ("PageNumber", .number(JSONNumber(page))), ("NumberOfPages", .number(JSONNumber(pages))),
        ])
        return (pagination, matching[start..<end].map(\.json))
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
