import Batch
import Pipeline
import Rules
import TestSupport
import Testing

/// A reference the compiler cannot resolve is a compile error naming where it was written,
/// never a silent null (the checker refuses each first; rules built by hand can still hold one).
struct CompileErrorTests {
    static let at = Rules.SourceLocation(file: "hand.yaml", line: 7, column: 12)

    /// The shipped rules with the first sales-order field replaced by `text`'s expression.
    func compiling(_ kind: ExpressionKind, text: String) throws -> CompiledPipeline.CompileError? {
        let result = RuleLoader.load(directory: Project.path("rules"))
        guard case .loaded(var ruleSet, let settings) = result.outcome else {
            Issue.record("the shipped rules must load: \(result.render(color: false))")
            return nil
        }
        ruleSet.salesOrder.fields[0].expression = Expression(kind: kind, location: Self.at, text: text)
        do {
            _ = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        (ExpressionKind.path(.prop, [.key("nope")]), "prop.nope", "names no declared property"),
        (ExpressionKind.path(.settings, [.key("nope")]), "settings.nope", "names no setting"),
        (ExpressionKind.path(.settings, [.key("currency"), .key("x")]), "settings.currency.x", "a setting is a single value"),
        (ExpressionKind.path(.state, [.key("nope")]), "state.nope", "names no state fact"),
        (ExpressionKind.condition("nope"), "nope", "condition 'nope' is not declared"),
    ])
    func anUnresolvedReferenceIsAnErrorAtItsLocation(_ kind: ExpressionKind, _ text: String, _ message: String) throws {
        let error = try #require(try compiling(kind, text: text))
        #expect(error.problems.count == 1, "\(error.problems)")
        #expect(error.problems.first?.hasPrefix("hand.yaml:7:12: ") == true, "\(error.problems)")
        #expect(error.problems.first?.contains(message) == true, "\(error.problems)")
        #expect(error.description.hasPrefix("the rules cannot be compiled: hand.yaml:7:12"))
    }

    @Test func theShippedRulesCompile() throws {
        #expect(try compiling(.path(.order, [.key("reference")]), text: "order.reference") == nil)
    }
}
