import Batch
import Foundation
import Hummingbird
import Ledger
import UnleashedContract

extension ServeAPI {
    /// `GET /api/log?order=OM1&errors=true&since=2026-12-01&limit=200`: the integration log, newest
    /// last, as `omsync logs` filters it. 404 without a ledger.
    func log(_ query: Parameters) async -> Response {
        do {
            guard let ledger = try await server.state.ledger() else { return Self.noLedger }
            var since: Date?
            if let text = query["since"].map(String.init), !text.isEmpty {
                guard let date = Self.date(text) else {
                    return ServeResponse.error(.badRequest, "since=\(text) is not a date: give YYYY-MM-DD or an ISO 8601 time")
                }
                since = date
            }
            let order = query["order"].flatMap { $0.isEmpty ? nil : String($0) }
            var limit = 500
            if let text = query["limit"].map(String.init) {
                guard let asked = Int(text), Self.logLimits.contains(asked) else {
                    return ServeResponse.error(.badRequest, "limit=\(TerminalText.escaped(text)) is not a number of rows from \(Self.logLimits.lowerBound) to \(Self.logLimits.upperBound): give one in that range (default 500)")
                }
                limit = asked
            }
            let rows = try await ledger.logs(LogFilter(orderNumber: order, errorsOnly: query["errors"] == "true", since: since, limit: limit))
            let iso = ISO8601DateFormatter()
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("rows")
            writer.beginArray()
            for row in rows { Self.write(row, iso: iso, into: &writer) }
            writer.endArray()
            writer.endObject()
            return ServeResponse.json(writer.bytes)
        } catch {
            return ServeResponse.error(.serviceUnavailable, "the ledger cannot be read: \(error)")
        }
    }

    /// `GET /api/customers`: the customer mapping.
    func customers() async -> Response {
        do {
            guard let ledger = try await server.state.ledger() else { return Self.noLedger }
            return ServeResponse.json(Self.mappings(try await ledger.customerMappings()))
        } catch {
            return ServeResponse.error(.serviceUnavailable, "the ledger cannot be read: \(error)")
        }
    }

    /// `POST /api/customers {customerID, customerCode}`: corrects one mapping (set by hand: it
    /// wins over the customer's property on later imports, as `omsync customers set`). The page
    /// makes no Unleashed call, so the code is taken as given; `omsync customers set` checks it.
    func setCustomer(_ body: JSONValue) async throws -> Response {
        guard let ledger = try await server.state.ledger() else { return Self.noLedger }
        guard let id = body["customerID"]?.stringValue, !id.isEmpty,
              let code = body["customerCode"]?.stringValue?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            throw BadRequest(status: .badRequest, message: "give `customerID` (the Ordermentum customer id) and `customerCode` (the Unleashed code)")
        }
        if let control = code.unicodeScalars.first(where: TerminalText.isControl) {
            throw BadRequest(status: .unprocessableContent, message: "the customer code '\(TerminalText.escaped(code))' holds a control character "
                             + "(\(TerminalText.escaped(String(control)))): an Unleashed customer code is one line of text; type it again without it")
        }
        let maxLength = UnleashedFieldCatalogue.maxLength(customerField: "CustomerCode") ?? 50
        guard code.utf16.count <= maxLength else {
            throw BadRequest(status: .unprocessableContent, message: "the customer code is \(code.utf16.count) characters long; an Unleashed customer code has at most \(maxLength)")
        }
        // The page corrects the mappings imports made; a new one needs the code checked with
        // Unleashed, which only `omsync customers set` does.
        guard let existing = try await ledger.customerMapping(customerID: id) else {
            throw BadRequest(status: .notFound, message: "the ledger has no customer '\(TerminalText.escaped(id))': the page corrects the mappings "
                             + "imports made (the Customers tab lists them); to map a new customer, run `omsync customers set ID CODE`")
        }
        try await ledger.saveCustomerMapping(CustomerMapping(
            customerID: id, customerName: existing.customerName, customerCode: code,
            unleashedGuid: existing.customerCode == code ? existing.unleashedGuid : nil, origin: .manual, updatedAt: Date()))
        return ServeResponse.json(Self.mappings(try await ledger.customerMappings()))
    }

    /// One log row as `omsync logs --format json` writes it.
    static func write(_ row: LogEntry, iso: ISO8601DateFormatter, into writer: inout JSONWriter) {
        func text(_ key: String, _ value: String?) {
            writer.key(key)
            if let value { writer.string(value) } else { writer.null() }
        }
        writer.beginObject()
        writer.key("id")
        writer.int(Int(row.id))
        text("time", iso.string(from: row.time))
        writer.key("run")
        if let run = row.runID { writer.int(Int(run)) } else { writer.null() }
        text("orderId", row.sourceID)
        text("orderNumber", row.orderNumber)
        text("action", row.action.rawValue)
        text("outcome", row.outcome.rawValue)
        writer.key("httpStatus")
        if let status = row.httpStatus { writer.int(status) } else { writer.null() }
        text("message", row.message)
        text("guid", row.guid)
        writer.endObject()
    }

    /// How many log rows one request may ask for.
    static let logLimits = 1...5_000

    static var noLedger: Response {
        ServeResponse.error(.notFound, "no ledger: run `omsync import` first, or start `omsync serve --ledger PATH`")
    }

    static func mappings(_ rows: [CustomerMapping]) -> [UInt8] {
        let iso = ISO8601DateFormatter()
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("customers")
        writer.beginArray()
        for row in rows {
            writer.beginObject()
            for (key, value) in [("customerID", row.customerID), ("customerName", row.customerName), ("customerCode", row.customerCode),
                                 ("unleashedGuid", row.unleashedGuid), ("origin", row.origin.rawValue),
                                 ("updatedAt", iso.string(from: row.updatedAt))] as [(String, String?)] {
                writer.key(key)
                if let value { writer.string(value) } else { writer.null() }
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// A date from `YYYY-MM-DD` or ISO 8601 (UTC when no zone is given), as `omsync logs --since`.
    static func date(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        return iso.date(from: text) ?? iso.date(from: text + "Z") ?? iso.date(from: text + "T00:00:00Z")
    }
}
