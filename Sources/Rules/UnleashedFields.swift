import Batch
import UnleashedContract

/// The Unleashed sales order fields a rule may set (docs/UNLEASHED.md), as dotted paths.
/// Field paths in the rules are checked against these lists, so a typo such as
/// `Custmer.CustomerCode` is caught before any order is read.
public enum UnleashedFields {
    /// Header fields of a sales order that rules may map: Unleashed's header fields
    /// (`UnleashedFieldCatalogue`) but those omsync computes or Unleashed keeps.
    public static let header: [String] = UnleashedFieldCatalogue.salesOrderHeaderFields.filter { computedHeader[$0] == nil }

    /// Fields of one sales order line (`SalesOrderLines[]`) that rules may map: Unleashed's line
    /// fields but those omsync computes.
    public static let line: [String] = UnleashedFieldCatalogue.salesOrderLineFields.filter { computedLine[$0] == nil }

    /// Fields of an Unleashed customer that `customer:` may map (create-or-update `POST /Customers/{guid}`).
    public static let customer: [String] = [
        "CustomerCode", "CustomerName", "Email", "EmailCC", "ContactFirstName", "ContactLastName",
        "PhoneNumber", "MobileNumber", "FaxNumber", "Website", "Notes", "GSTVATNumber",
        "Currency.CurrencyCode", "TaxCode", "TaxRate", "Taxable", "SalesPerson.Email",
    ]

    /// Fields of an Unleashed product that `freight_product:` may map (`POST /Products/{guid}`).
    public static let product: [String] = [
        "ProductCode", "ProductDescription", "NeverDiminishing", "IsSellable", "DefaultSellPrice",
        "Notes", "UnitOfMeasure.Name", "ProductGroup.GroupName", "TaxablePurchase", "TaxableSales",
    ]

    /// Fields that hold numbers (rates, quantities, prices), header and line alike.
    public static let numeric: Set<String> = ["ExchangeRate", "DiscountRate", "Tax.TaxRate", "TaxRate", "OrderQuantity", "UnitPrice"]

    /// The sales order statuses Unleashed knows (`SalesOrderStatus`).
    public static let statuses = SalesOrderStatus.allCases.map(\.rawValue)

    /// Header fields the engine fills itself, with the reason (shown when a rule maps one).
    public static let computedHeader: [String: String] = [
        "SubTotal": "SubTotal is computed by omsync as the sum of the line totals",
        "TaxTotal": "TaxTotal is computed by omsync as the sum of the line taxes",
        "Total": "Total is computed by omsync as SubTotal + TaxTotal",
        "Guid": "Guid is chosen by omsync (it is the key that makes pushes idempotent)",
        "SalesOrderLines": "lines are mapped under `sales_order.lines`, and the freight line under `sales_order.freight`",
        "CreatedOn": "CreatedOn is read-only in Unleashed",
        "LastModifiedOn": "LastModifiedOn is read-only in Unleashed",
        "LastModifiedBy": "LastModifiedBy is read-only in Unleashed",
    ]

    /// Line fields the engine fills itself, with the reason.
    public static let computedLine: [String: String] = [
        "LineNumber": "LineNumber is computed by omsync (1, 2, … in order, freight last)",
        "LineTotal": "LineTotal is computed by omsync: round(OrderQuantity × UnitPrice × (1 − DiscountRate))",
        "LineTax": "LineTax is computed by omsync: round(LineTotal × tax_rate)",
        "Guid": "the line Guid is chosen by omsync",
    ]
}

/// Which list a field path is checked against.
enum FieldTarget {
    case header, line, customer, product

    var known: [String] {
        switch self {
        case .header: return UnleashedFields.header
        case .line: return UnleashedFields.line
        case .customer: return UnleashedFields.customer
        case .product: return UnleashedFields.product
        }
    }
    var computed: [String: String] {
        switch self {
        case .header: return UnleashedFields.computedHeader
        case .line: return UnleashedFields.computedLine
        case .customer, .product: return ["Guid": "the Guid is chosen by omsync"]
        }
    }
    var described: String {
        switch self {
        case .header: return "sales order"
        case .line: return "sales order line"
        case .customer: return "customer"
        case .product: return "product"
        }
    }
}

extension RuleChecker {
    /// A checked field path from a mapping key, or nil after reporting why it is not a field.
    mutating func fieldPath(_ key: YAMLNode, _ target: FieldTarget) -> [String]? {
        guard let text = scalar(key, "a field name") else { return nil }
        if target.known.contains(text) { return text.split(separator: ".").map(String.init) }
        let head = String(text.split(separator: ".").first ?? "")
        if let reason = target.computed[text] ?? target.computed[head] {
            report(.computedField, "'\(text)' cannot be mapped: \(reason)", at: key.location)
            return nil
        }
        let hint = Suggestion.hint(for: text, among: target.known)
            ?? target.known.first { $0.hasPrefix(text + ".") }.map { "did you mean '\($0)'?" }
            ?? otherTarget(of: text, besides: target).map { "'\(text)' is a \($0.described) field" }
            ?? "see the field list in docs/rules.md"
        report(.unknownField, "'\(text)' is not a \(target.described) field", at: key.location, hint: hint)
        return nil
    }

    /// Another field list that knows `text`, for the hint on a field mapped in the wrong place.
    func otherTarget(of text: String, besides target: FieldTarget) -> FieldTarget? {
        [FieldTarget.header, .line, .customer, .product].first { $0 != target && $0.known.contains(text) }
    }

    /// `Field.Path: expression` lines.
    mutating func fieldMappings(_ node: YAMLNode, _ target: FieldTarget, scope: ExpressionScope, what: String) -> [FieldMapping] {
        guard let pairs = mapping(node, what) else { return [] }
        var mappings: [FieldMapping] = []
        for pair in pairs {
            let path = fieldPath(pair.key, target)
            let expression = expression(pair.value, scope: scope, what: "field '\(pair.key.scalar ?? "")'")
            if let path, let expression {
                checkValue(expression, of: path.joined(separator: "."), scope: scope)
                mappings.append(FieldMapping(path: path, expression: expression, location: pair.key.location))
            }
        }
        return mappings
    }

    /// What can be known of a field's value: numbers in numeric fields, a known status in OrderStatus.
    mutating func checkValue(_ expression: Expression, of field: String, scope: ExpressionScope) {
        if UnleashedFields.numeric.contains(field) {
            expectNumber(expression, "\(field) is a number field", scope: scope)
        }
        if field == "OrderStatus", case .literal(.text(let status)) = expression.kind, SalesOrderStatus(matching: status) == nil {
            report(.unknownStatus, "'\(status)' is not an Unleashed sales order status", at: expression.location,
                   hint: Suggestion.hint(for: status, among: UnleashedFields.statuses)
                    ?? "statuses: \(UnleashedFields.statuses.joined(separator: ", ")) (custom statuses extend Parked)")
        }
    }

    /// Reports an expression whose type is known not to be a number.
    mutating func expectNumber(_ expression: Expression, _ what: String, scope: ExpressionScope) {
        let type = ExpressionTypeChecker.type(of: expression, scope: scope)
        guard type == .text || type == .bool else { return }
        let quotedHint = expression.kindText.flatMap { ExactDecimal($0) } != nil ? "remove the quotes to write a number" : "convert text with decimal(…)"
        report(.typeMismatch, "\(what), and this is \(type.described)", at: expression.location, hint: type == .text ? quotedHint : nil)
    }
}

extension Expression {
    /// The text of a text literal, for telling a quoted number ("1") from other text.
    var kindText: String? {
        if case .literal(.text(let t)) = kind { return t }
        return nil
    }
}
