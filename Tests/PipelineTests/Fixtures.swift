import Batch
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// Shared helpers: the shipped rules, pipelines from inline YAML, records.
enum Fixtures {
    /// The shipped rules compiled with `overrides` (and optional settings files).
    static func shipped(overrides: [String] = [], settingsFiles: [String] = []) throws -> CompiledPipeline {
        let result = RuleLoader.load(directory: Project.path("rules"),
                                     settingsFiles: settingsFiles, overrides: overrides)
        guard let ruleSet = result.ruleSet, let settings = result.settings, !result.hasErrors else {
            throw FixtureError(message: result.render(color: false))
        }
        return try CompiledPipeline(ruleSet: ruleSet, settings: settings)
    }

    /// A pipeline from inline rule YAML.
    static func pipeline(_ yaml: String, overrides: [String] = []) throws -> CompiledPipeline {
        let result = RuleLoader.load(files: [(path: "test.yaml", text: yaml)], overrides: overrides)
        guard let ruleSet = result.ruleSet, let settings = result.settings, !result.hasErrors else {
            throw FixtureError(message: result.render(color: false))
        }
        return try CompiledPipeline(ruleSet: ruleSet, settings: settings)
    }

    /// A batch record from JSON text (and an optional joined customer).
    static func record(_ json: String, customer: String? = nil, index: Int = 0) throws -> BatchRecord {
        let order = try JSONRecord(parsing: Array(json.utf8))
        let joined = try customer.map { try JSONRecord(parsing: Array($0.utf8)) }
        return BatchRecord(index: index, order: order, customer: joined, offset: 0, line: 1, column: 1)
    }

    /// The payload of a plan as JSON.
    static func payload(_ plan: OrderPlan) -> JSONValue { plan.payload.jsonValue }
}

/// A fixture that could not be set up.
struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension JSONValue {
    /// Shorthand for tests: the value at a payload path.
    subscript(path path: String) -> JSONValue? { value(atPath: path) }
}
