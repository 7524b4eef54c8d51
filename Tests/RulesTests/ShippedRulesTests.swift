import Foundation
import Testing
@testable import Rules

/// The shipped rules in `rules/` must load with no errors and no warnings.
@Suite struct ShippedRulesTests {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func shippedRulesLoadClean() {
        let result = RuleLoader.load(directory: Self.packageRoot + "/rules")
        #expect(result.diagnostics.isEmpty, "\(result.render(color: false))")
        #expect(result.ruleSet != nil)
        #expect(result.settings?.values["sales_order_status"] == .text("Parked"))
    }
}
