import Batch
import Rules

extension CompiledPipeline {
    /// Where each payload field came from: the rule, its expression, and the properties (with
    /// the level that supplied them) and settings (with their source) it read.
    func explainEntries(_ ev: Evaluator) -> [ExplainEntry] {
        var entries: [ExplainEntry] = []
        for field in fields {
            entries.append(entry(field.dotted, field.source, field.location, ev))
        }
        if let lines {
            entries.append(ExplainEntry(field: "SalesOrderLines[]", rule: lines.location,
                                        expression: "one line per element of \(lines.eachText)", sources: []))
            entries.append(ExplainEntry(field: "SalesOrderLines[].LineNumber", rule: nil,
                                        expression: "computed: 1, 2, … in line order", sources: []))
            for field in lines.body.fields {
                entries.append(entry("SalesOrderLines[]." + field.dotted, field.source, field.location, ev))
            }
            entries.append(contentsOf: moneyEntries(prefix: "SalesOrderLines[]", lines.body, ev))
        }
        if let freight {
            entries.append(entry("SalesOrderLines[freight]", freight.whenSource, freight.location, ev))
            for field in freight.body.fields {
                entries.append(entry("SalesOrderLines[freight]." + field.dotted, field.source, field.location, ev))
            }
            entries.append(contentsOf: moneyEntries(prefix: "SalesOrderLines[freight]", freight.body, ev))
        }
        for record in [customerRecord, freightProductRecord].compactMap({ $0 }) {
            for field in record.fields {
                entries.append(entry(record.name + "." + field.dotted, field.source, field.location, ev))
            }
        }
        entries.append(ExplainEntry(field: "SubTotal", rule: totals.location, expression: "computed: Σ LineTotal", sources: []))
        entries.append(ExplainEntry(field: "TaxTotal", rule: totals.location, expression: "computed: Σ LineTax", sources: []))
        entries.append(ExplainEntry(field: "Total", rule: totals.location, expression: "computed: SubTotal + TaxTotal", sources: []))
        return entries
    }

    private func moneyEntries(prefix: String, _ body: CompiledLineBody, _ ev: Evaluator) -> [ExplainEntry] {
        let rounding = "to the cent, half up (Unleashed's rule)"
        let rate = entry(prefix + ".LineTax", body.taxRateSource, body.taxRateSource.location, ev)
        return [
            ExplainEntry(field: prefix + ".LineTotal", rule: totals.location,
                         expression: "computed: OrderQuantity × UnitPrice × (1 − DiscountRate), \(rounding)", sources: []),
            ExplainEntry(field: prefix + ".LineTax", rule: body.taxRateSource.location,
                         expression: "computed: LineTotal × (\(body.taxRateSource.text)), \(rounding)", sources: rate.sources),
        ]
    }

    private func entry(_ field: String, _ source: Expression, _ location: SourceLocation, _ ev: Evaluator) -> ExplainEntry {
        var sources: [String] = []
        for name in source.propertyNames {
            if let i = program.properties.firstIndex(where: { $0.name == name }) {
                sources.append(ev.explainProperty(i))
            }
        }
        for name in source.settingNames {
            let value = settings.values[name].map { Value($0).jsonValue(ev.records).serialized() } ?? "null"
            let origin = settings.sources[name].map { " (\($0))" } ?? ""
            sources.append("settings.\(name) = \(value)\(origin)")
        }
        return ExplainEntry(field: field, rule: location, expression: source.text, sources: sources)
    }
}
