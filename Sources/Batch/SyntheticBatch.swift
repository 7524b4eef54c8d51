/// Synthetic Ordermentum batches shaped like the v1 API's order detail objects: many orders over
/// a few thousand customers, with the real-world mix of properties, taxable and untaxed lines,
/// freight, TBA delivery dates, cancellations and product-level codes. Deterministic for a seed.
///
/// The vocabulary (customer codes `CUST00000`…, SKUs `SKU0001`…`SKU0800`, product codes
/// `U-SKU…`, warehouses `MAIN`/`SYD`/`MEL`/`BNE`, the freight product `FREIGHT`) is the one the
/// sandbox seed of `sandboxSeed` creates, so a generated batch imports into `omsync sandbox`.
/// Streaming: orders are written one at a time, so memory stays flat for any size; only the
/// customers (at most 2,000) are kept.
public struct SyntheticBatch: Sendable {
    /// How the orders are framed.
    public enum Shape: String, CaseIterable, Sendable {
        /// `{"meta":…,"links":…,"data":[…]}`, the API's list form (orders embed their purchaser).
        case envelope
        /// A bare JSON array of orders.
        case array
        /// JSON Lines: one order per line.
        case ndjson
        /// `{"orders":[…],"customers":[…]}`: orders carry `purchaserId` only, joined to the customers.
        case export
    }

    /// How many orders.
    public var orders: Int
    /// The seed: the same seed and count give the same bytes.
    public var seed: UInt64
    /// The framing.
    public var shape: Shape

    /// A generator of `orders` orders.
    public init(orders: Int, seed: UInt64 = 7, shape: Shape = .envelope) {
        self.orders = max(0, orders)
        self.seed = seed
        self.shape = shape
    }

    /// How many distinct customers the orders are spread over (one for every ten orders,
    /// between 1 and 2,000).
    public var customerCount: Int { max(1, min(2000, orders / 10)) }

    /// Writes the batch to `sink` (flushed at the end).
    public func write(to sink: OutputSink) {
        var random = SplitMix64(seed: seed)
        let customers = (0..<customerCount).map { Self.customer($0, &random) }
        var w = JSONWriter()
        // Every order, one at a time: written, then handed to the sink (`lines`: one a line).
        func writeOrders(embedPurchaser: Bool, lines: Bool = false) {
            for n in 0..<orders {
                Self.order(n, customers, embedPurchaser: embedPurchaser, &random, &w)
                if lines { w.newline() }
                sink.write(&w)
            }
        }
        switch shape {
        case .ndjson:
            writeOrders(embedPurchaser: true, lines: true)
        case .array:
            w.beginArray()
            writeOrders(embedPurchaser: true)
            w.endArray()
        case .envelope:
            w.beginObject()
            w.key("meta")
            w.beginObject()
            w.key("totalResults"); w.int(orders)
            w.key("totalPages"); w.int(1)
            w.key("pageSize"); w.int(orders)
            w.key("pageNo"); w.int(1)
            w.endObject()
            w.key("links"); w.beginObject(); w.key("self"); w.string("/v1/orders?pageNo=1"); w.endObject()
            w.key("data")
            w.beginArray()
            writeOrders(embedPurchaser: true)
            w.endArray()
            w.endObject()
        case .export:
            w.beginObject()
            w.key("orders")
            w.beginArray()
            writeOrders(embedPurchaser: false)
            w.endArray()
            w.key("customers")
            w.beginArray()
            for customer in customers { w.raw(customer.json) }
            w.endArray()
            w.endObject()
        }
        if shape != .ndjson { w.newline() }
        sink.write(&w)
        sink.flush()
    }

    /// The `omsync sandbox --seed` file holding the reference data these batches name: the
    /// default seed plus the customers `CUST00000`… and the products `SKU0001`…`SKU0800` and
    /// `U-SKU0001`…`U-SKU0800` (docs/sandbox.md, "Seed and state").
    public var sandboxSeed: String {
        """
        # Reference data for `omsync generate --orders \(orders) --seed \(seed)` (docs/sandbox.md).
        base: default
        generate:
          - { collection: customers, start: 0, count: \(customerCount),
              fields: { CustomerCode: "CUST{n:05}", CustomerName: "Venue {n} Pty Ltd", Email: "orders{n}@venue.example" } }
          - { collection: products, count: \(Self.skuCount), fields: { ProductCode: "SKU{n:04}", ProductDescription: "Product SKU{n:04}" } }
          - { collection: products, count: \(Self.skuCount), fields: { ProductCode: "U-SKU{n:04}", ProductDescription: "Product SKU{n:04}" } }

        """
    }

    // MARK: - Records

    static let warehouses = ["MAIN", "SYD", "MEL", "BNE"]
    static let reps = ["ana@supplier.example", "ben@supplier.example", "cho@supplier.example"]
    static let suburbs = [("Sydney", "NSW", "2000"), ("Surry Hills", "NSW", "2010"), ("Fitzroy", "VIC", "3065"),
                          ("Fortitude Valley", "QLD", "4006")]
    static let skuCount = 800

    /// A customer: its id, its code (for order-level overrides) and its JSON.
    struct Customer: Sendable {
        var id: String
        var code: String
        var name: String
        var address: [UInt8]
        var json: [UInt8]
    }

    static func customer(_ i: Int, _ r: inout SplitMix64) -> Customer {
        let suburb = r.pick(suburbs)
        let code = "CUST\(pad(i, 5))"
        let name = "Venue \(i) Pty Ltd"
        let id = uuid(&r)
        var address = JSONWriter()
        address.beginObject()
        address.key("street1"); address.string("\(r.inRange(1...400)) Main St")
        address.key("street2"); address.string("")
        address.key("suburb"); address.string(suburb.0)
        address.key("state"); address.string(suburb.1)
        address.key("postcode"); address.string(suburb.2)
        address.key("country"); address.string("")
        address.key("type"); address.string("delivery")
        address.endObject()

        var w = JSONWriter()
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("name"); w.string(name)
        w.key("retailerName"); w.string(name)
        w.key("retailerTradingName"); w.string("Venue \(i)")
        w.key("retailerLegalName"); w.string(name)
        w.key("reference"); w.string("")
        w.key("retailerEmail"); w.string("orders\(i)@venue.example")
        w.key("retailerBillingEmail"); w.string(r.chance(0.97) ? "accounts\(i)@venue.example" : "")
        w.key("retailerPhone"); w.string("02\(r.inRange(10_000_000...99_999_999))")
        w.key("retailerAddress"); w.raw(address.bytes)
        w.key("billingAddress")
        w.beginObject()
        for field in ["street1", "street2", "suburb", "state", "postcode", "country"] { w.key(field); w.string("") }
        w.key("type"); w.string("billing")
        w.endObject()
        w.key("retailer")
        w.beginObject()
        w.key("contactFirstName"); w.string("Sam")
        w.key("contactLastName"); w.string("Lee\(i)")
        w.key("contactEmail"); w.string("sam\(i)@venue.example")
        w.endObject()
        w.key("properties")
        w.beginObject()
        w.key("unleashed_customer_code"); w.string(code)
        if r.chance(0.8) { w.key("unleashed_warehouse"); w.string(r.pick(warehouses)) }
        if r.chance(0.3) { w.key("unleashed_freight_product_id"); w.string("FREIGHT") }
        if r.chance(0.5) { w.key("unleashed_sales_person"); w.string(r.pick(reps)) }
        if r.chance(0.3) { w.key("unleashed_order_sales_group"); w.string(r.pick(["Cafes", "Restaurants", "Grocers"])) }
        if r.chance(0.2) { w.key("unleashed_delivery_method"); w.string(r.pick(["Van 1", "Van 2", "Courier"])) }
        w.endObject()
        w.endObject()
        return Customer(id: id, code: code, name: name, address: address.bytes, json: w.bytes)
    }

    /// Writes order number `n` into `w`.
    static func order(_ n: Int, _ customers: [Customer], embedPurchaser: Bool, _ r: inout SplitMix64, _ w: inout JSONWriter) {
        let c = r.pick(customers)
        var properties: [(String, String)] = []
        if r.chance(0.10) { properties.append(("unleashed_warehouse", r.pick(warehouses))) }
        if r.chance(0.05) { properties.append(("unleashed_customer_code", c.code + "-B")) }
        if r.chance(0.05) { properties.append(("unleashed_sales_person", r.pick(reps))) }

        let day = pad(r.inRange(1...28), 2)
        let number = "OM\(pad(n, 7))"
        let cancelled = r.chance(0.02)
        let id = uuid(&r)
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("orderNumber"); w.string(number)
        w.key("number"); w.string(number)
        w.key("name"); w.string("Order - #\(number)")
        w.key("status"); w.string(cancelled ? "Cancelled" : r.pick(["Placed", "Paid", "Unpaid"]))
        w.key("orderStatus"); w.string(cancelled ? "Cancelled" : "Placed")
        w.key("type"); w.string("manual")
        w.key("createdAt"); w.string("2026-11-\(day)T0\(r.below(10)):1\(r.below(10)):05.120Z")
        w.key("placedOn"); w.string("2026-11-\(day)T0\(r.below(10)):2\(r.below(10)):31.902Z")
        w.key("updatedAt"); w.string("2026-11-\(day)T1\(r.below(10)):02:11.448Z")
        w.key("cancelledAt"); if cancelled { w.string("2026-11-27T01:00:00.000Z") } else { w.null() }
        w.key("deletedAt"); w.null()
        w.key("deliveryDate"); w.string(r.chance(0.05) ? "TBA" : "2026-11-\(day)T13:00:00.000Z")
        w.key("comment"); w.string(r.pick(["", "Leave at back door", "Call on arrival"]))
        w.key("reference"); w.string(r.chance(0.5) ? "" : "PO-\(r.inRange(1000...99_999))")
        w.key("purchaserId"); w.string(c.id)
        w.key("retailerName"); w.string(c.name)
        w.key("retailerAddress"); w.raw(c.address)

        // Lines first (into their own writer), so the order's totals can precede them as in the API.
        var lines = JSONWriter()
        var subtotal = 0, gst = 0 // cents
        lines.beginArray()
        for _ in 0..<r.inRange(1...12) {
            let price = r.inRange(150...12_000)
            let quantity = r.inRange(1...24)
            let taxable = r.chance(0.85)
            let lineSubtotal = price * quantity
            let tax = taxable ? (lineSubtotal + 5) / 10 : 0
            subtotal += lineSubtotal
            gst += tax
            let sku = "SKU\(pad(r.inRange(1...skuCount), 4))"
            lines.beginObject()
            lines.key("id"); lines.string(uuid(&r))
            lines.key("name"); lines.string("Product \(sku)")
            lines.key("SKU"); lines.string(sku)
            lines.key("quantity"); lines.int(quantity)
            lines.key("price"); lines.string(money(price))
            lines.key("subtotal"); lines.string(money(lineSubtotal))
            lines.key("tax"); lines.string(money(tax))
            lines.key("gst"); lines.string(money(tax))
            lines.key("total"); lines.string(money(lineSubtotal + tax))
            lines.key("taxable"); lines.bool(taxable)
            lines.key("product")
            lines.beginObject()
            lines.key("SKU"); lines.string(sku)
            lines.key("properties")
            lines.beginObject()
            if r.chance(0.1) { lines.key("unleashed_product_code"); lines.string("U-" + sku) }
            lines.endObject()
            lines.endObject()
            lines.endObject()
        }
        lines.endArray()

        let freight = r.pick([0, 0, 0, 850, 1200, 1500])
        let freightGST = (freight + 5) / 10
        w.key("freight"); w.decimal(cents(freight))
        w.key("totalFreight"); w.decimal(cents(freight))
        w.key("subtotal"); w.decimal(cents(subtotal))
        w.key("totalGST"); w.decimal(cents(gst + freightGST))
        w.key("total"); w.decimal(cents(subtotal + freight + gst + freightGST))
        w.key("lineItems"); w.raw(lines.bytes)
        w.key("properties")
        w.beginObject()
        w.key("placedByRetailer"); w.bool(true)
        for (key, value) in properties { w.key(key); w.string(value) }
        w.endObject()
        w.key("tags")
        w.beginArray()
        w.beginObject(); w.key("key"); w.string("placedByRetailer"); w.key("value"); w.bool(true); w.endObject()
        for (key, value) in properties {
            w.beginObject(); w.key("key"); w.string(key); w.key("value"); w.string(value); w.endObject()
        }
        w.endArray()
        if embedPurchaser { w.key("purchaser"); w.raw(c.json) }
        w.key("supplier"); w.beginObject(); w.key("timezone"); w.string("Australia/Sydney"); w.endObject()
        w.endObject()
    }

    // MARK: - Text

    /// `12.3400` from 1234 cents: the four-place strings Ordermentum writes for line money.
    static func money(_ cents: Int) -> String { "\(cents / 100).\(pad(cents % 100, 2))00" }

    /// An exact decimal with two places (`8.5` is written `8.50`).
    static func cents(_ cents: Int) -> ExactDecimal { ExactDecimal(significand: Int128(cents), scale: 2) }

    /// `n` in decimal, zero-padded to `width` digits.
    static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A version 4 UUID from 128 random bits, lower-case as Ordermentum writes them.
    static func uuid(_ r: inout SplitMix64) -> String {
        let high = (r.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (r.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = hex16(high) + hex16(low)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    static func hex16(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
