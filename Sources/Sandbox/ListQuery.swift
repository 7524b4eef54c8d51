import Batch
import UnleashedContract

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

    /// The one 400 for a page number that is not a whole number from 1 to `Int.max` (0, -3, or 23
    /// digits alike); `text` is the page as sent, cut to 40 characters.
    static func badPage(_ text: some StringProtocol) -> APIError {
        let shown = text.count > 40 ? text.prefix(40) + "…" : String(text)
        return .invalid("The page number must be a whole number from 1 to \(Int.max) (got \(shown)).")
    }

    /// Reads the parameters; a malformed page size or date is a 400 naming the parameter.
    init(page: Int, parameters: [(name: String, value: String)]) throws(APIError) {
        guard page >= 1 else { throw Self.badPage(String(page)) }
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
        // A bare date (`YYYY-MM-DD`, not a 10-character `/Date(ms)/`) as the end of a range covers that whole day.
        return endOfDay && value.count == 10 && !value.hasPrefix("/") ? ms + 86_400_000 - 1 : ms
    }

    /// The page of `table` this query asks for, and Unleashed's `Pagination` object.
    ///
    /// `orderNumber` and `sourceId` go through the table's indexes and override the other filters
    /// (Deleted orders stay hidden unless `orderStatus` names them). Other queries scan the table's
    /// integer scan keys once: text filters become flags over the interned strings first.
    func page(of table: RecordTable) -> (pagination: JSONObject, items: [[UInt8]]) {
        let resource = table.resource
        var explicit: [Int]?
        if resource == .salesOrders, let orderNumber {
            explicit = table.position(code: orderNumber).map { [$0] } ?? []
        } else if resource == .salesOrders, let sourceId {
            explicit = table.positions(sourceId: sourceId)
        }
        let hidden: Int32 = resource == .salesOrders && !(orderStatuses?.contains("deleted") ?? false)
            ? table.statusNames.number("deleted") ?? -1 : -1
        let statusFlags = resource == .salesOrders ? orderStatuses.map { names in table.statusNames.flags { names.contains($0) } } : nil
        let prefix: String? = switch resource {
        case .salesOrders, .customers: customerCode?.lowercased()
        case .products: productCode?.lowercased()
        default: nil
        }
        let prefixFlags = prefix.map { p in table.startsWithNames.flags { $0.hasPrefix(p) } }
        let exact: String? = switch resource {
        case .salesOrders: warehouseCode
        case .customers: contactEmail
        default: nil
        }
        let exactNumber: Int32? = exact.map { table.equalsNames.number($0) ?? -2 }
        let startDate = resource == .salesOrders ? self.startDate : nil
        let endDate = resource == .salesOrders ? self.endDate : nil
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        let start = overflow ? Int.max : offset
        var total = 0
        var positions: [Int] = []
        table.scanKeys.withUnsafeBufferPointer { keys in
            func visit(_ index: Int, filtered: Bool) {
                let key = keys[index]
                if key.status == hidden { return }
                if filtered {
                    if let statusFlags, !statusFlags[Int(key.status)] { return }
                    if let prefixFlags, !prefixFlags[Int(key.startsWith)] { return }
                    if let exactNumber, key.equals != exactNumber { return }
                    if let startDate, key.orderDateMs == Int64.min || key.orderDateMs < startDate { return }
                    if let endDate, key.orderDateMs == Int64.min || key.orderDateMs > endDate { return }
                    if let modifiedSince, key.modifiedMs < modifiedSince { return }
                }
                if total >= start, positions.count < pageSize { positions.append(index) }
                total += 1
            }
            if let explicit {
                for index in explicit { visit(index, filtered: false) }
            } else {
                for index in keys.indices { visit(index, filtered: true) }
            }
        }
        let pages = (total + pageSize - 1) / pageSize
        // Nothing matched: Unleashed answers PageNumber 0 (recorded), whatever page was asked for.
        let pageNumber = total == 0 ? 0 : page
        let pagination = JSONObject([
            ("NumberOfItems", .number(JSONNumber(total))), ("PageSize", .number(JSONNumber(pageSize))),
            ("PageNumber", .number(JSONNumber(pageNumber))), ("NumberOfPages", .number(JSONNumber(pages))),
        ])
        return (pagination, positions.map { table.records[$0].json })
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
