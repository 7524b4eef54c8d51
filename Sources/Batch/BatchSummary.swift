/// What is in a batch: the numbers `omsync inspect` reports, gathered one record at a time
/// (memory grows only with the number of distinct customers).
public struct BatchSummary: Sendable {
    /// The batch's path ("-" for standard input).
    public var path: String
    /// The detected shape.
    public var shape: BatchShape
    /// Orders read (problems not counted).
    public var orders = 0
    /// Customers: for an export, the customers read; otherwise distinct embedded purchasers
    /// (by `purchaser.id`, else `purchaserId`).
    public var customers = 0
    /// Orders with a customer: a non-empty embedded `purchaser` object, or a joined one.
    public var ordersWithCustomer = 0
    /// Earliest and latest `createdAt` (ISO 8601 text, compared as text).
    public var createdAtMin: String?
    /// See `createdAtMin`.
    public var createdAtMax: String?
    /// Export orders whose `purchaserId` matches no customer of the export.
    public var ordersWithUnknownCustomer = 0
    /// Orders whose `id` an earlier order of the batch already had.
    public var duplicateIds = 0
    /// Orders with at least one line item whose `SKU` is missing, null or empty.
    public var ordersMissingSKU = 0
    /// Orders whose `deliveryDate` is the string "TBA".
    public var tbaDelivery = 0
    /// Every problem, in file order.
    public var problems: [BatchProblem] = []
    var purchaserIDs: Set<String> = []

    /// An empty summary.
    public init(path: String, shape: BatchShape) {
        self.path = path
        self.shape = shape
    }

    /// Reads every item of `reader` into a summary.
    public static func of(_ reader: BatchReader) -> BatchSummary {
        var summary = BatchSummary(path: reader.path, shape: reader.shape)
        while let item = reader.next() {
            switch item {
            case .record(let record): summary.add(record)
            case .problem(let problem): summary.problems.append(problem)
            }
        }
        summary.finish(reader)
        return summary
    }

    /// Sets the customer count (from the reader for exports) once reading is done.
    public mutating func finish(_ reader: BatchReader) {
        shape = reader.shape
        customers = shape == .export ? reader.customerCount : purchaserIDs.count
    }

    /// Counts one order.
    public mutating func add(_ record: BatchRecord) {
        let order = record.order
        let root = order.root
        orders += 1
        let purchaser = order.member(root, Keys.purchaser)
        let embedded = purchaser.map { order.kind($0) == .object && order.count($0) > 0 } ?? false
        if embedded || record.customer != nil { ordersWithCustomer += 1 }
        if record.unmatchedPurchaserId != nil { ordersWithUnknownCustomer += 1 }
        if record.duplicateOf != nil { duplicateIds += 1 }
        if shape != .export {
            if let purchaser, let id = order.member(purchaser, Keys.id).flatMap(order.string) {
                purchaserIDs.insert(id)
            } else if let id = order.member(root, Keys.purchaserId).flatMap(order.string) {
                purchaserIDs.insert(id)
            }
        }
        if let created = order.member(root, Keys.createdAt).flatMap(order.string) {
            if createdAtMin.map({ created < $0 }) ?? true { createdAtMin = created }
            if createdAtMax.map({ created > $0 }) ?? true { createdAtMax = created }
        }
        if let delivery = order.member(root, Keys.deliveryDate), order.stringEquals(delivery, Keys.tba) {
            tbaDelivery += 1
        }
        if let lines = order.member(root, Keys.lineItems) {
            for line in order.elements(lines) {
                guard let sku = order.member(line, Keys.sku), order.kind(sku) == .string, !order.isEmptyString(sku) else {
                    ordersMissingSKU += 1
                    break
                }
            }
        }
    }

    /// True when no problem was found.
    public var isClean: Bool { problems.isEmpty }

    enum Keys {
        static let purchaser = JSONKey("purchaser")
        static let purchaserId = JSONKey("purchaserId")
        static let id = JSONKey("id")
        static let createdAt = JSONKey("createdAt")
        static let deliveryDate = JSONKey("deliveryDate")
        static let tba = JSONKey("TBA")
        static let lineItems = JSONKey("lineItems")
        static let sku = JSONKey("SKU")
    }
}
