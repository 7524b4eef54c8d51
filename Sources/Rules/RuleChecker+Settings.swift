import Batch

extension RuleChecker {
    /// `settings:` name → {type, default, one_of, doc}.
    mutating func settingDecls(_ node: YAMLNode) -> [SettingDecl] {
        guard let pairs = mapping(node, "settings") else { return [] }
        var decls: [SettingDecl] = []
        for pair in pairs {
            guard let name = checkName(pair.key, "setting") else { continue }
            if let decl = settingDecl(name, pair) { decls.append(decl) }
        }
        return decls
    }

    private mutating func settingDecl(_ name: String, _ pair: YAMLNode.Pair) -> SettingDecl? {
        guard let fields = mapping(pair.value, "setting '\(name)'") else { return nil }
        checkKeys(fields, allowed: RuleKeys.setting.allowed, required: RuleKeys.setting.required, in: "setting '\(name)'", at: pair.key.location)
        guard let typeNode = value("type", in: fields), let typeName = scalar(typeNode, "type") else { return nil }
        var type = SettingType.text
        if let known = SettingType(rawValue: typeName) {
            type = known
        } else {
            let names = SettingType.allCases.map(\.rawValue)
            report(.unknownSettingType, "unknown setting type '\(typeName)'", at: typeNode.location,
                   hint: Suggestion.hint(for: typeName, among: names) ?? "types: \(names.joined(separator: ", "))")
            // Still declared (as text), so its uses are not reported as unknown too.
            return SettingDecl(name: name, type: .text, defaultValue: .null, oneOf: nil, doc: nil, location: pair.key.location)
        }
        var oneOf: [SettingValue]?
        if let list = value("one_of", in: fields), let items = sequence(list, "one_of") {
            oneOf = items.compactMap { settingValue($0, type: type, setting: name, checkOneOf: nil) }
        }
        var defaultValue = SettingValue.null
        if let node = value("default", in: fields) {
            defaultValue = settingValue(node, type: type, setting: name, checkOneOf: oneOf) ?? .null
        }
        var doc: String?
        if let node = value("doc", in: fields) { doc = scalar(node, "doc") }
        return SettingDecl(name: name, type: type, defaultValue: defaultValue, oneOf: oneOf, doc: doc, location: pair.key.location)
    }

    /// A YAML value converted to a setting's type; nil after reporting why it does not fit.
    mutating func settingValue(_ node: YAMLNode, type: SettingType, setting: String, checkOneOf oneOf: [SettingValue]?) -> SettingValue? {
        guard let text = node.scalar else {
            report(.settingTypeMismatch, "setting '\(setting)' takes a single \(type.rawValue) value, not \(node.kindName)",
                   at: node.location)
            return nil
        }
        switch SettingValueParser.convert(text, isNull: node.isNull, to: type) {
        case .failure(let mismatch):
            report(mismatch.code, "setting '\(setting)' (\(type.rawValue)): \(mismatch.message)", at: node.location, hint: mismatch.hint)
            return nil
        case .success(let value):
            if let mismatch = SettingValueParser.checkOneOf(value, oneOf) {
                report(mismatch.code, "setting '\(setting)': \(mismatch.message)", at: node.location, hint: mismatch.hint)
                return nil
            }
            return value
        }
    }

    /// A settings file: `name: value` lines for declared settings. Returns the values with their places.
    mutating func settingsFile(_ root: YAMLNode?, decls: [SettingDecl], into values: inout [String: SettingValue],
                               sources: inout [String: SettingSource]) {
        guard let root, let pairs = mapping(root, "a settings file") else { return }
        let byName = Dictionary(decls.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for pair in pairs {
            guard let name = pair.key.scalar else { continue }
            guard let decl = byName[name] else {
                // The name and line only: a key pasted here must not be echoed to a terminal or a log.
                report(.unknownSetting, "unknown setting '\(name)' (its value is not shown)", at: pair.key.location,
                       hint: Suggestion.hint(for: name, among: byName.keys) ?? Self.declared(byName.keys))
                diagnostics[diagnostics.count - 1].showsSource = false
                continue
            }
            if let value = settingValue(pair.value, type: decl.type, setting: name, checkOneOf: decl.oneOf) {
                values[name] = value
                sources[name] = .settingsFile(pair.value.location)
            }
        }
    }

    /// `--set key=value` arguments, applied last.
    mutating func overrides(_ arguments: [String], decls: [SettingDecl], into values: inout [String: SettingValue],
                            sources: inout [String: SettingSource]) {
        let byName = Dictionary(decls.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                report(.badOverride, "--set '\(argument)' is not key=value", at: nil, hint: "write --set sync_order_number=true")
                continue
            }
            let name = String(argument[..<equals]).trimmingSpaces
            let text = String(argument[argument.index(after: equals)...])
            guard let decl = byName[name] else {
                report(.unknownSetting, "--set names unknown setting '\(name)'", at: nil,
                       hint: Suggestion.hint(for: name, among: byName.keys) ?? Self.declared(byName.keys))
                continue
            }
            switch SettingValueParser.convert(text, isNull: text == "null", to: decl.type) {
            case .failure(let mismatch):
                report(mismatch.code, "--set \(name) (\(decl.type.rawValue)): \(mismatch.message)", at: nil, hint: mismatch.hint)
            case .success(let value):
                if let mismatch = SettingValueParser.checkOneOf(value, decl.oneOf) {
                    report(mismatch.code, "--set \(name): \(mismatch.message)", at: nil, hint: mismatch.hint)
                } else {
                    values[name] = value
                    sources[name] = .commandLine(argument)
                }
            }
        }
    }
}

extension RuleChecker {
    /// "declared settings: a, b" or a pointer to where settings are declared.
    static func declared(_ names: some Sequence<String>) -> String {
        let list = names.sorted()
        return list.isEmpty ? "no settings are declared; declare them under `settings:` in the rules"
            : "declared settings: \(list.joined(separator: ", "))"
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
