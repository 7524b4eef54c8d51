import Foundation
import TestSupport
import Testing
@testable import Rules

/// The shipped rules in `rules/` must load with no errors and no warnings.
@Suite struct ShippedRulesTests {
    @Test func shippedRulesLoadClean() {
        let result = RuleLoader.load(directory: Project.path("rules"))
        #expect(result.diagnostics.isEmpty, "\(result.render(color: false))")
        #expect(result.ruleSet != nil)
        #expect(result.settings?.values["sales_order_status"] == .text("Parked"))
    }
}
