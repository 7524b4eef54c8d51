import UnleashedContract
import Batch

/// Validates and builds customers and products for `POST /Customers/{guid}` and `POST /Products/{guid}`
/// (create-or-update: fields sent replace the stored ones, fields not sent are kept).
struct MasterRecordBuilder {
    let state: SandboxState
    let nowMs: Int64
    let user: String

    /// Fields the server maintains; values sent for them are ignored.
    static let readOnly: Set<String> = ["Guid", "CreatedOn", "CreatedBy", "LastModifiedOn", "LastModifiedBy"]

    /// The stored record after applying `body` to the record with `guid` (if any).
    func build(_ resource: Resource, body: JSONObject, guid: String) throws(APIError) -> JSONObject {
        let input = FieldReader(body)
        if let bodyGuid = try input.string("Guid"), bodyGuid.lowercased() != guid.lowercased() {
            throw .invalid("The Guid in the body (\(bodyGuid)) does not match the Guid in the URL (\(guid)).")
        }
        let existing = state[resource].record(guid: guid)
        var merged = existing?.body ?? JSONObject()
        for (key, value) in body where !Self.readOnly.contains(key) { merged[key] = value }
        let record = FieldReader(merged)
        switch resource {
        case .customers: try checkCustomer(record)
        case .products: try checkProduct(record)
        default: throw APIError(.methodNotAllowed, "The requested resource does not support http method 'POST'.")
        }
        let code = record.object[resource.codeField]?.stringValue ?? ""
        if let holder = state[resource].record(code: code), holder.guid.lowercased() != guid.lowercased() {
            let noun = resource == .customers ? "customer" : "product"
            throw .invalid("\(resource.codeField) '\(code)' is already used by another \(noun).")
        }
        if resource == .customers { try resolveCustomerReferences(&merged) }
        merged["Guid"] = .string(existing?.guid ?? guid)
        merged["CreatedBy"] = existing?.body["CreatedBy"] ?? .string(user)
        merged["CreatedOn"] = existing?.body["CreatedOn"] ?? .string(DotNetDate.format(milliseconds: nowMs))
        merged["LastModifiedBy"] = .string(user)
        merged["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: nowMs))
        return RecordedShapes.shaped(merged, as: resource)
    }

    /// A customer's `Currency` (default: the account's first currency) and `SalesPerson` as the
    /// full recorded objects, from the codes sent.
    private func resolveCustomerReferences(_ customer: inout JSONObject) throws(APIError) {
        let record = FieldReader(customer)
        if let code = try record.object("Currency")?.string("CurrencyCode") {
            guard let currency = state[.currencies].record(code: code) else { throw .invalid("Currency code '\(code)' was not found.") }
            customer["Currency"] = RecordedShapes.nestedCurrency(currency)
        } else if let first = state[.currencies].records.first {
            customer["Currency"] = RecordedShapes.nestedCurrency(first)
        }
        if let email = try record.object("SalesPerson")?.string("Email") {
            guard let person = state[.salespersons].record(code: email) else {
                throw .invalid("Sales person with email '\(email)' was not found.")
            }
            customer["SalesPerson"] = RecordedShapes.nestedSalesPerson(person)
        }
    }

    private func checkCustomer(_ record: FieldReader) throws(APIError) {
        _ = try record.requiredString("CustomerCode", label: "Customer code", maxLength: UnleashedFieldCatalogue.maxLength(customerField: "CustomerCode"))
        _ = try record.requiredString("CustomerName", label: "Customer name", maxLength: UnleashedFieldCatalogue.maxLength(customerField: "CustomerName"))
        let contacts = [
            try record.string("ContactFirstName"), try record.string("ContactLastName"), try record.string("Email"),
        ]
        guard contacts.contains(where: { !($0 ?? "").isEmpty }) else {
            throw .invalid("A customer needs a contact: ContactFirstName, ContactLastName or Email is required.")
        }
    }

    private func checkProduct(_ record: FieldReader) throws(APIError) {
        _ = try record.requiredString("ProductCode", label: "Product code", maxLength: UnleashedFieldCatalogue.maxLength(productField: "ProductCode"))
        _ = try record.requiredString("ProductDescription", label: "Product description", maxLength: UnleashedFieldCatalogue.maxLength(productField: "ProductDescription"))
        _ = try record.bool("NeverDiminishing")
        _ = try record.bool("IsSellable")
    }
}
