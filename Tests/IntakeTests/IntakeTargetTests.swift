import Testing
@testable import Intake

@Suite struct IntakeTargetTests {
    @Test func targetLinks() {
        #expect(String(describing: Intake.self) == "Intake")
    }
}
