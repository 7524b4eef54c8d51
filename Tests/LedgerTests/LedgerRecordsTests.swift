import Foundation
import Ledger
import Testing

@Suite struct LedgerRecordsTests {
    @Test func lockedErrorNamesTheHolder() {
        let holder = LockHolder(pid: 4242, host: "host-a", startedAt: Date(timeIntervalSince1970: 1_764_669_600))
        let message = LedgerError.locked(by: holder).description
        #expect(message.contains("pid 4242 on host-a"))
        #expect(message.contains("2025-12-02T10:00:00Z"))
    }
}
