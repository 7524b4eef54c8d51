import Batch
import Rules
import UnleashedContract

// The compiled forms of the rule sections, as `CompiledPipeline` holds them.

/// A field mapping compiled: its path, the compiled expression, and the checked source node.
struct CompiledField: Sendable {
    let path: [String]
    let dotted: String
    let expression: CompiledExpression
    let source: Expression
    let location: SourceLocation
}

/// The fields of one mapping laid out for evaluation: expressions, constants and names in
/// parallel arrays (nothing to copy per field but one expression).
struct FieldTable: Sendable {
    let expressions: [CompiledExpression]
    let constants: [Value?]
    let names: [String]
    /// The longest text Unleashed accepts in each field (the contract's `UnleashedFieldCatalogue`),
    /// nil for fields without a limit; and where each field's rule is.
    let limits: [Int?]
    let locations: [SourceLocation]
    /// What the field names are of, for messages ("", "customer.", "freightProduct.").
    let subject: String

    /// `limit` gives a field's length limit from its dotted name.
    init(_ fields: [CompiledField], subject: String = "", limit: (String) -> Int? = { _ in nil }) {
        expressions = fields.map(\.expression)
        constants = fields.map(\.expression.constantValue)
        names = fields.map(\.dotted)
        limits = fields.map { limit($0.dotted) }
        locations = fields.map(\.location)
        self.subject = subject
    }
}

/// The fields and tax rate of a sales order line (item lines and the freight line).
struct CompiledLineBody: Sendable {
    let fields: [CompiledField]
    let table: FieldTable
    let template: PayloadTemplate
    let taxRate: CompiledExpression
    let taxRateSource: Expression
    /// Indexes of the fields the engine reads for money.
    let quantity: Int?
    let unitPrice: Int?
    let discountRate: Int?

    init(fields: [CompiledField], taxRate: CompiledExpression, taxRateSource: Expression) {
        self.fields = fields
        self.table = FieldTable(fields) { UnleashedFieldCatalogue.maxLength(salesOrderField: "SalesOrderLines[]." + $0) }
        self.template = PayloadTemplate(fields: fields)
        self.taxRate = taxRate
        self.taxRateSource = taxRateSource
        quantity = fields.firstIndex { $0.dotted == "OrderQuantity" }
        unitPrice = fields.firstIndex { $0.dotted == "UnitPrice" }
        discountRate = fields.firstIndex { $0.dotted == "DiscountRate" }
    }

    /// Where the field at `index` is mapped, nil for none.
    func location(of index: Int?) -> SourceLocation? {
        index.map { fields[$0].location }
    }
}

/// `lines:` compiled.
struct CompiledLines: Sendable {
    let each: CompiledExpression
    let eachText: String
    /// Where `each` is written.
    let eachLocation: SourceLocation
    let when: CompiledExpression?
    let body: CompiledLineBody
    /// Required dotted paths and the index of the field that fills each (nil: never filled).
    let required: [(path: String, field: Int?)]
    /// For each required path, the batch values its field reads (`line.price`), to say which
    /// value was there but could not be read when the field comes out empty.
    let requiredInputs: [[(text: String, value: CompiledExpression)]]
    let location: SourceLocation
}

/// `freight:` compiled.
struct CompiledFreight: Sendable {
    let when: CompiledExpression
    let whenSource: Expression
    let body: CompiledLineBody
    let location: SourceLocation
}

/// `totals:` compiled.
struct CompiledTotals: Sendable {
    let compareTo: CompiledExpression?
    let compareSource: Expression?
    let location: SourceLocation?
}

/// One transition row compiled.
struct CompiledTransition: Sendable {
    let when: CompiledExpression?
    let action: Action
    let message: String?
    let location: SourceLocation
}

/// One supersede row compiled.
struct CompiledSupersede: Sendable {
    let when: CompiledExpression?
    let set: [CompiledField]
    let location: SourceLocation
}
