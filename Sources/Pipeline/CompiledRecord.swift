import Batch
import Rules
import UnleashedContract

/// A record the push stage creates before the order when Unleashed does not have it yet
/// (`customer:`, `freight_product:`), as planned for one order.
public struct RecordPlan: Sendable {
    /// The Unleashed record (customer or product) as compact JSON.
    public var payload: Payload
    /// The rule section it was mapped by.
    public var rule: SourceLocation

    /// A record plan from its parts.
    public init(payload: Payload, rule: SourceLocation) {
        self.payload = payload
        self.rule = rule
    }
}

/// `customer:` / `freight_product:` compiled.
struct CompiledRecord: Sendable {
    /// `customer` or `freightProduct`: the name in the preview record and in problem fields.
    let name: String
    let when: CompiledExpression?
    let fields: [CompiledField]
    let table: FieldTable
    let template: PayloadTemplate
    /// Required dotted paths, the field that fills each, the user's explanation, and where the
    /// requirement is written.
    let required: [(path: String, field: Int?, message: String?, location: SourceLocation)]
    let location: SourceLocation

    init(name: String, _ mapping: RecordMapping, compile: ([FieldMapping]) -> [CompiledField], compiler: ExpressionCompiler) {
        self.name = name
        when = mapping.when.map { compiler.compile($0) }
        fields = compile(mapping.fields)
        table = FieldTable(fields, subject: name + ".") { field in
            name == "customer" ? UnleashedFieldCatalogue.maxLength(customerField: field) : UnleashedFieldCatalogue.maxLength(productField: field)
        }
        template = PayloadTemplate(fields: fields)
        let fields = self.fields
        required = mapping.required.map { req in (req.path, fields.firstIndex { $0.dotted == req.path }, req.message, req.location) }
        location = mapping.location
    }
}

extension CompiledPipeline {
    /// Maps a record for the current order when its `when` holds; missing required fields are warnings.
    func planRecord(_ spec: CompiledRecord, scratch values: inout [Value], _ ev: Evaluator) -> RecordPlan? {
        if let when = spec.when {
            guard ev.withField("\(spec.name).when", { ev.test(when) }) else { return nil }
        }
        ev.evaluateFields(spec.table, into: &values)
        var buffer = JSONWriter(capacity: 256)
        buffer.beginObject()
        spec.template.write(values, into: &buffer, ev.records)
        buffer.endObject()
        for (path, field, message, location) in spec.required where field.map({ values[$0].isNull }) ?? true {
            let what = message ?? "it is required to create the record in Unleashed"
            ev.problems.append(PlanProblem(
                .recordRequired, "\(spec.name) \(path) has no value: \(what).",
                field: "\(spec.name).\(path)", rule: location))
        }
        return RecordPlan(payload: Payload(bytes: buffer.bytes), rule: spec.location)
    }
}
