extension RuleChecker {
    /// Checks every section, in dependency order, into a rule set (used only when no error was found).
    mutating func ruleSet(sections: [String: YAMLNode], files: [String], anyFiles: Bool) -> RuleSet {
        var version = 0
        if let node = sections["version"] {
            if node.scalar == "1", node.style == .plain {
                version = 1
            } else {
                report(.badVersion, "unsupported rules version '\(node.scalar ?? node.kindName)'; this omsync reads version 1",
                       at: node.location, hint: "write `version: 1`")
            }
        } else if anyFiles {
            report(.badVersion, "no `version` in the rule files", at: files.first.map { SourceLocation(file: $0, line: 1, column: 1) },
                   hint: "start the main rule file with `version: 1`")
        }
        let settings = sections["settings"].map { settingDecls($0) } ?? []
        let tables = sections["tables"].map { tableDecls($0) } ?? []
        let properties = sections["properties"].map { propertyDecls($0, settings: settings) } ?? []
        let named = sections["conditions"].map { conditionNames($0) } ?? []
        let scope = ExpressionScope(properties: Set(properties.map(\.name)),
                                    settings: Dictionary(settings.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first }),
                                    conditions: Set(named.map(\.name)),
                                    tables: Set(tables.map(\.name)))
        let conditions = conditionDecls(named, scope: scope)
        let salesOrder = self.salesOrder(sections["sales_order"], scope: scope)
        if anyFiles, sections["sales_order"] == nil {
            report(.missingKey, "the rules have no `sales_order` section", at: files.first.map { SourceLocation(file: $0, line: 1, column: 1) })
        }
        let transitionRules = sections["transitions"].map { self.transitions($0, scope: scope) } ?? []
        let supersedeRules = sections["supersede"].map { self.supersede($0, scope: scope) } ?? []
        let customer = sections["customer"].flatMap { recordMapping($0, .customer, scope: scope, what: "customer") }
        let freightProduct = sections["freight_product"].flatMap { recordMapping($0, .product, scope: scope, what: "freight_product") }
        var versionScope = scope
        versionScope.allowedRoots.remove(.state)
        versionScope.conditions = []
        let orderVersion = sections["order_version"].flatMap { self.orderVersion($0, scope: versionScope) }
        return RuleSet(files: files, version: version, settings: settings, properties: properties, conditions: conditions,
                       tables: tables, salesOrder: salesOrder, transitions: transitionRules, supersede: supersedeRules,
                       customer: customer, freightProduct: freightProduct, orderVersion: orderVersion)
    }

    /// `order_version:`: an expression over the order giving its version as a timestamp. It
    /// decides `state.stale`, so its scope has no `state` (nor the named conditions, which may read it).
    mutating func orderVersion(_ node: YAMLNode, scope: ExpressionScope) -> Expression? {
        if let text = node.scalar, node.style?.isQuoted == true {
            report(.quotedExpression, "this 'order_version' is quoted, so it is the literal text \"\(text)\", the same for every copy",
                   at: node.location, hint: "remove the quotes to make it an expression, e.g. `order_version: order.updatedAt`")
        }
        return expression(node, scope: scope, what: "order_version")
    }

    /// Declared defaults < settings files (in order) < `--set` overrides.
    /// With `checkNames` false (a rule file did not parse) only the settings files' YAML is checked.
    mutating func resolveSettings(_ decls: [SettingDecl], files: [(path: String, text: String)], overrides arguments: [String],
                                  checkNames: Bool) -> ResolvedSettings {
        var values: [String: SettingValue] = [:]
        var sources: [String: SettingSource] = [:]
        for decl in decls {
            values[decl.name] = decl.defaultValue
            sources[decl.name] = .ruleDefault(decl.location)
        }
        for file in files {
            guard let source = self.sources[file.path] else { continue }
            let (root, problems) = YAMLReader.read(source)
            diagnostics += problems
            if checkNames { settingsFile(root, decls: decls, into: &values, sources: &sources) }
        }
        if checkNames { overrides(arguments, decls: decls, into: &values, sources: &sources) }
        return ResolvedSettings(values: values, sources: sources)
    }
}
