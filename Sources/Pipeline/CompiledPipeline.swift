import Batch
import Rules
import UnleashedContract

/// A checked rule set compiled once for running over orders.
///
/// Paths are pre-encoded key chains, settings are folded in as constants, named conditions are
/// inlined and functions are direct calls: planning an order never looks at the YAML again and
/// never looks a name up by string. Immutable and `Sendable`: plan orders from any thread.
public struct CompiledPipeline: Sendable {
    let program: Program
    let fields: [CompiledField]
    let fieldTable: FieldTable
    let template: PayloadTemplate
    let lines: CompiledLines?
    let freight: CompiledFreight?
    let totals: CompiledTotals
    let transitions: [CompiledTransition]
    let supersedeRules: [CompiledSupersede]
    /// `customer:` and `freight_product:`: records created before the order when missing.
    let customerRecord: CompiledRecord?
    /// The tag of the property that fills `Customer.CustomerCode` (where a customer mapping set
    /// by hand goes), nil when no property fills it.
    public let customerCodeTag: String?
    let freightProductRecord: CompiledRecord?
    /// `order_version:` compiled (nil: the rules do not say which copy of an order is newer).
    let orderVersion: CompiledExpression?
    /// How messages name the version: the last step of `order_version` when it is a path
    /// (`updatedAt`), else `version`.
    public let versionLabel: String
    let settings: ResolvedSettings

    /// A reference in the rules that the compiler cannot resolve (an undeclared condition,
    /// property, setting or state fact). The checker refuses each of these first, so only rules
    /// built by hand, without `RuleLoader`, can meet it; it names every such place.
    public struct CompileError: Error, CustomStringConvertible, Sendable {
        /// `file:line:col: what`, one per unresolved reference.
        public var problems: [String]
        public var description: String { "the rules cannot be compiled: " + problems.joined(separator: "; ") }
    }

    /// Compiles `ruleSet` with the effective `settings`; throws only when a reference cannot be
    /// resolved (never for rules `RuleLoader` loaded without errors).
    public init(ruleSet: RuleSet, settings: ResolvedSettings) throws(CompileError) {
        self.settings = settings
        customerCodeTag = ruleSet.salesOrder.fields.first { $0.dottedPath == "Customer.CustomerCode" }
            .flatMap { field in field.expression.propertyNames.first }
            .flatMap { name in ruleSet.properties.first { $0.name == name }?.tag }
        var properties = ruleSet.properties.map { CompiledProperty($0, settings: settings) }
        let propertyIndex = Dictionary(properties.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Name the payload field that reads each property, for problem messages.
        for field in ruleSet.salesOrder.fields {
            for name in field.expression.propertyNames {
                if let i = propertyIndex[name], properties[i].field.hasPrefix("prop.") { properties[i].field = field.dottedPath }
            }
        }
        let tables = Dictionary(ruleSet.tables.map { ($0.name, $0.entries) }, uniquingKeysWith: { first, _ in first })
        let interner = PathInterner()
        let initial = Program(properties: properties, tables: tables, interner: interner)
        let compiler = ExpressionCompiler(
            propertyIndex: propertyIndex,
            settings: settings.values,
            conditions: Dictionary(ruleSet.conditions.map { ($0.name, $0.expression) }, uniquingKeysWith: { first, _ in first }),
            tables: tables, folder: initial, interner: interner)
        func compileFields(_ mappings: [FieldMapping]) -> [CompiledField] {
            mappings.map {
                CompiledField(path: $0.path, dotted: $0.dottedPath, expression: compiler.compile($0.expression),
                              source: $0.expression, location: $0.location)
            }
        }
        let mapping = ruleSet.salesOrder
        fields = compileFields(mapping.fields)
        fieldTable = FieldTable(fields) { UnleashedFieldCatalogue.maxLength(salesOrderField: $0) }
        template = PayloadTemplate(fields: fields)
        lines = mapping.lines.map { spec in
            let lineFields = compileFields(spec.fields)
            return CompiledLines(
                each: compiler.compile(spec.each), eachText: spec.each.text, eachLocation: spec.each.location,
                when: spec.when.map { compiler.compile($0) },
                body: CompiledLineBody(fields: lineFields, taxRate: compiler.compile(spec.taxRate), taxRateSource: spec.taxRate),
                required: spec.required.map { path in (path, lineFields.firstIndex { $0.dotted == path }) },
                requiredInputs: spec.required.map { path in
                    guard let field = lineFields.first(where: { $0.dotted == path }) else { return [] }
                    return field.source.batchPaths.map { ($0.text, compiler.compile($0.path)) }
                },
                location: spec.location)
        }
        freight = mapping.freight.map { spec in
            CompiledFreight(
                when: compiler.compile(spec.when), whenSource: spec.when,
                body: CompiledLineBody(fields: compileFields(spec.fields), taxRate: compiler.compile(spec.taxRate), taxRateSource: spec.taxRate),
                location: spec.location)
        }
        totals = CompiledTotals(compareTo: mapping.totals.compareTo.map { compiler.compile($0) },
                                compareSource: mapping.totals.compareTo, location: mapping.totals.location)
        transitions = ruleSet.transitions.map {
            CompiledTransition(when: $0.when.map { compiler.compile($0) }, action: $0.action, message: $0.message, location: $0.location)
        }
        supersedeRules = ruleSet.supersede.map { rule in
            CompiledSupersede(when: rule.when.map { compiler.compile($0) }, set: compileFields(rule.set), location: rule.location)
        }
        customerRecord = ruleSet.customer.map { CompiledRecord(name: "customer", $0, compile: compileFields, compiler: compiler) }
        freightProductRecord = ruleSet.freightProduct.map {
            CompiledRecord(name: "freightProduct", $0, compile: compileFields, compiler: compiler)
        }
        orderVersion = ruleSet.orderVersion.map { compiler.compile($0) }
        versionLabel = ruleSet.orderVersion.flatMap { expression -> String? in
            if case .path(_, let steps) = expression.kind, case .key(let last)? = steps.last { return last }
            return nil
        } ?? "version"
        program = Program(initial, interner: interner)
        if !compiler.unresolved.messages.isEmpty { throw CompileError(problems: compiler.unresolved.messages) }
    }
}
