import CFuzzDriver
import ExpressionFuzzEntry

/// One input through `ExpressionFuzzEntry.run`; a broken invariant is a crash, so libFuzzer keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let failures = ExpressionFuzzEntry.run(bytes)
    if !failures.isEmpty {
        fatalError("fuzz-expression: broken invariant:\n" + failures.prefix(5).joined(separator: "\n"))
    }
    return 0
}

/// The program's `main` (SwiftPM links `main` to `<module>_main`): libFuzzer's driver over `fuzzOneInput`.
@_cdecl("fuzz_expression_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
