import Batch
import Foundation
import Pipeline
import Rules
import TestSupport
import Testing

/// Named conditions built on conditions evaluate at any depth the checker accepts; what it
/// refuses (E418) it refuses with the condition's place and the figure (issue 7, item 2).
@Suite struct ConditionDepthTests {
    static let shippedText: String = (try? String(contentsOf: Project.url("rules/omsync.yaml"), encoding: .utf8)) ?? ""
    static let settingsText: String = (try? String(contentsOf: Project.url("rules/settings.yaml"), encoding: .utf8)) ?? ""
    static let cancelledLine = #"  cancelled: order.status == "Cancelled" or exists(nonempty(order.cancelledAt)) or exists(nonempty(order.deletedAt))"#

    /// The shipped rules with `cancelled` defined through `chain` (condition lines).
    static func load(chain: [String]) -> RuleLoadResult {
        #expect(shippedText.contains(cancelledLine), "the shipped rules changed: update this test")
        let text = shippedText.replacingOccurrences(of: cancelledLine, with: chain.joined(separator: "\n"))
        return RuleLoader.load(files: [(path: "omsync.yaml", text: text)],
                               settingsFiles: [(path: "settings.yaml", text: settingsText)])
    }

    static func aliasChain(_ n: Int) -> [String] {
        [#"  c0: order.status == "Cancelled" or exists(order.cancelledAt) or exists(order.deletedAt)"#]
            + (1...n).map { "  c\($0): c\($0 - 1)" } + ["  cancelled: c\(n)"]
    }

    @Test(arguments: [1, 31, 32, 33, 200, 2_000])
    func aChainOfConditionsOfAnyLengthEvaluates(_ n: Int) throws {
        let result = Self.load(chain: Self.aliasChain(n))
        let ruleSet = try #require(result.ruleSet)
        let settings = try #require(result.settings)
        #expect(!result.hasErrors, "\(result.render(color: false))")
        let pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        let json = Orders.order(extra: #""cancelledAt":"2019-04-09T01:00:00.000Z""#)
        let pushed = pipeline.plan(try Fixtures.record(json), state: OrderState(facts: [.pushed]), reference: ReferenceData(warehouses: []))
        #expect(pushed.action == .supersede)
        let never = pipeline.plan(try Fixtures.record(json), state: .neverPushed, reference: ReferenceData(warehouses: []))
        #expect(never.action == .skip)
        let live = pipeline.plan(try Fixtures.record(Orders.order(lines: [Orders.line("A", price: "1.0000")])),
                                 state: .neverPushed, reference: ReferenceData(warehouses: []))
        #expect(live.action == .create)
    }

    @Test func aConditionThatDoublesAtEachLevelIsRefusedWithItsPlace() throws {
        // c_i uses c_(i-1) twice: written out, c40 would have 2^40 parts.
        let chain = [#"  c0: order.status == "Cancelled""#] + (1...40).map { "  c\($0): c\($0 - 1) or c\($0 - 1)" } + ["  cancelled: c40"]
        let result = Self.load(chain: chain)
        let refused = result.diagnostics.filter { $0.code == "E418" }
        let first = try #require(refused.first)
        #expect(result.hasErrors)
        #expect(first.message.contains("limit 100000"), "\(first.message)")
        #expect(first.location?.file == "omsync.yaml")
        // The first condition over the limit: c0 has 3 parts, c_i has 2·parts(c_(i-1)) + 1.
        #expect(first.message.hasPrefix("condition 'c15',"), "\(first.message)")
        #expect(first.location?.line == Self.lineOf("  c15:", in: chain))
    }

    @Test func aConditionNestedTooDeepWrittenOutIsRefused() throws {
        let chain = [#"  c0: order.status == "Cancelled""#] + (1...300).map { "  c\($0): c\($0 - 1) and exists(order.id)" } + ["  cancelled: c300"]
        let result = Self.load(chain: chain)
        let refused = result.diagnostics.filter { $0.code == "E418" }
        let sorted = refused.sorted { (a: Diagnostic, b: Diagnostic) -> Bool in (a.location?.line ?? 0) < (b.location?.line ?? 0) }
        let first = try #require(sorted.first)
        #expect(first.message.contains("levels deep (limit 256)"), "\(first.message)")
        #expect(first.hint?.isEmpty == false)
    }

    /// The line of `prefix` in the rewritten shipped file.
    static func lineOf(_ prefix: String, in chain: [String]) -> Int? {
        let text = shippedText.replacingOccurrences(of: cancelledLine, with: chain.joined(separator: "\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(prefix) }.map { $0 + 1 }
    }
}
