import Batch
import Rules

/// Runs one rule test case (`rules/tests/*.yaml`) through a compiled pipeline and says what
/// differs from what the case expects.
public enum RuleTestRunner {
    /// One way the plan differs from the case: where the expectation was written, and
    /// `expected …, got …`.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var location: SourceLocation
        public var message: String
        public var description: String { "\(location): \(message)" }
        /// A failure from its parts.
        public init(location: SourceLocation, message: String) {
            self.location = location
            self.message = message
        }
    }

    /// The plan for the case: its order (with the joined customer), state facts, warehouses and
    /// original sales order; a failure when the case's order or customer cannot be read as a record.
    public static func plan(_ testCase: RuleTestCase, pipeline: CompiledPipeline) -> Result<OrderPlan, Failure> {
        do {
            let order = try JSONRecord(parsing: Array(testCase.order.serialized().utf8))
            let customer = try testCase.customer.map { try JSONRecord(parsing: Array($0.serialized().utf8)) }
            let record = BatchRecord(index: 0, order: order, customer: customer, offset: 0, line: 1, column: 1)
            return .success(pipeline.plan(record, state: OrderState(testCase.state),
                                          reference: ReferenceData(warehouses: Set(testCase.warehouses)),
                                          original: testCase.original))
        } catch {
            return .failure(Failure(location: testCase.location, message: "the case's order cannot be read: \(error)"))
        }
    }

    /// Every expectation of the case that the plan does not meet (empty: the case passes).
    public static func check(_ testCase: RuleTestCase, pipeline: CompiledPipeline) -> [Failure] {
        let plan: OrderPlan
        switch self.plan(testCase, pipeline: pipeline) {
        case .success(let p): plan = p
        case .failure(let failure): return [failure]
        }
        var failures: [Failure] = []
        func fail(_ location: SourceLocation, _ message: String) {
            failures.append(Failure(location: location, message: message))
        }
        let problems = plan.problems.map { "      \($0)" }.joined(separator: "\n")
        if let action = testCase.expectAction, action != plan.action {
            fail(testCase.location, "action: expected \(action.rawValue), got \(plan.action.rawValue)"
                 + (plan.problems.isEmpty ? "" : "\n    problems:\n\(problems)"))
        }
        if let message = testCase.expectMessage, message != plan.message {
            fail(testCase.location, "message: expected \(show(message)), got \(plan.message.map(show) ?? "none")")
        }
        let payload = plan.payload.jsonValue
        for expectation in testCase.expectPayload {
            compare(expectation, payload.value(atPath: expectation.path), in: "payload", fail)
        }
        if !testCase.expectSupersede.isEmpty {
            if let outcome = plan.supersede {
                let changes = JSONValue.object(JSONObject(outcome.changes.map { ($0.path, $0.value) }))
                for expectation in testCase.expectSupersede {
                    compare(expectation, changes[expectation.path], in: "supersede", fail)
                }
            } else {
                fail(testCase.location, "supersede: expected the supersede recipe to run, but the action is \(plan.action.rawValue)")
            }
        }
        for expected in testCase.expectProblems {
            if let code = expected.code, ProblemCode(rawValue: code) == nil {
                fail(expected.location, "problems: \(show(code)) is not a plan problem code (docs/rules.md, \"Plan problem codes\"): "
                     + ProblemCode.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            let found = plan.problems.contains { problem in
                (expected.code.map { $0 == problem.code.rawValue } ?? true)
                    && (expected.field.map { $0 == problem.field } ?? true)
                    && (expected.severity.map { $0 == problem.severity } ?? true)
                    && (expected.messageContains.map { problem.message.contains($0) } ?? true)
            }
            if !found {
                let wanted = [expected.severity.map { "severity \($0.rawValue)" }, expected.code.map { "code \($0)" },
                              expected.field.map { "field \($0)" }, expected.messageContains.map { "message containing \(show($0))" }]
                    .compactMap { $0 }.joined(separator: ", ")
                fail(expected.location, "problems: expected one with \(wanted), got " + (plan.problems.isEmpty ? "none" : "\n\(problems)"))
            }
        }
        if testCase.expectNoProblems && !plan.problems.isEmpty {
            fail(testCase.location, "no_problems: expected none, got\n\(problems)")
        }
        return failures
    }

    private static func compare(_ expectation: RuleTestCase.PayloadExpectation, _ actual: JSONValue?, in section: String,
                                _ fail: (SourceLocation, String) -> Void) {
        let got = actual.flatMap { $0.isNull ? nil : $0 }
        switch (expectation.value, got) {
        case (nil, nil):
            return
        case (nil, let value?):
            fail(expectation.location, "\(section) \(expectation.path): expected no value, got \(value.serialized())")
        case (let wanted?, nil):
            if wanted.isNull { return }
            fail(expectation.location, "\(section) \(expectation.path): expected \(wanted.serialized()), got nothing")
        case (let wanted?, let value?):
            if !sameValue(wanted, value) {
                fail(expectation.location, "\(section) \(expectation.path): expected \(wanted.serialized()), got \(value.serialized())")
            }
        }
    }

    /// Equal JSON, with numbers compared by value (28.79 == 28.7900), also against text holding a number.
    static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if a == b { return true }
        func decimal(_ v: JSONValue) -> ExactDecimal? {
            v.numberValue?.decimal ?? v.stringValue.flatMap { ExactDecimal($0) }
        }
        if a.numberValue != nil || b.numberValue != nil, let x = decimal(a), let y = decimal(b) { return x == y }
        if let x = a.arrayValue, let y = b.arrayValue {
            return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        }
        if let x = a.objectValue, let y = b.objectValue {
            return x.count == y.count && x.allSatisfy { member in y[member.key].map { sameValue(member.value, $0) } ?? false }
        }
        return false
    }

    private static func show(_ text: String) -> String { "\"\(text)\"" }
}
