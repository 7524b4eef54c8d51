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

    /// True when `record` of `resource` passes the filters; `q` is this query `lowered`.
    /// The record is borrowed: a list scans every record, and copying each one would cost a retain per field.
    static func matches(_ record: borrowing StoredRecord, in resource: Resource, _ q: ListQuery) -> Bool {
        switch resource {
        case .salesOrders:
            if record.fields.status == "deleted", !(q.orderStatuses?.contains("deleted") ?? false) { return false }
            if let orderNumber = q.orderNumber { return record.fields.code == orderNumber }
            if let sourceId = q.sourceId { return record.fields.sourceId == sourceId }
            if let statuses = q.orderStatuses, !statuses.contains(record.fields.status) { return false }
            if let customerCode = q.customerCode, !record.fields.customerCode.hasPrefix(customerCode) { return false }
            if let warehouseCode = q.warehouseCode, record.fields.warehouseCode != warehouseCode { return false }
            if q.startDate != nil || q.endDate != nil {
                guard let orderDate = record.fields.orderDateMs else { return false }
                if let startDate = q.startDate, orderDate < startDate { return false }
                if let endDate = q.endDate, orderDate > endDate { return false }
            }
        case .customers:
            if let customerCode = q.customerCode, !record.fields.code.hasPrefix(customerCode) { return false }
            if let contactEmail = q.contactEmail, record.fields.email != contactEmail { return false }
        case .products:
            if let productCode = q.productCode, !record.fields.code.hasPrefix(productCode) { return false }
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
    /// `orderNumber` and `sourceId` go through the table's indexes; other queries scan every record once.
    func page(of table: RecordTable) -> (pagination: JSONObject, items: [[UInt8]]) {
        let q = lowered
        let resource = table.resource
        var explicit: [Int]?
        if resource == .salesOrders, let orderNumber {
            explicit = table.position(code: orderNumber).map { [$0] } ?? []
        } else if resource == .salesOrders, let sourceId {
            explicit = table.positions(sourceId: sourceId)
        }
        let start = (page - 1) * pageSize
        var total = 0
        var items: [[UInt8]] = []
        table.records.withUnsafeBufferPointer { records in
            func visit(_ index: Int) {
                guard Self.matches(records[index], in: resource, q) else { return }
                if total >= start, items.count < pageSize { items.append(records[index].json) }
                total += 1
            }
            if let explicit {
                for index in explicit { visit(index) }
            } else {
                for index in records.indices { visit(index) }
            }
        }
        let pages = (total + pageSize - 1) / pageSize
        let pagination = JSONObject([
            ("NumberOfItems", .number(JSONNumber(total))), ("PageSize", .number(JSONNumber(pageSize))),
            ("PageNumber", .number(JSONNumber(page))), ("NumberOfPages", .number(JSONNumber(pages))),
        ])
        return (pagination, items)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
