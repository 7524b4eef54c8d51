// swift-tools-version:6.1
import Foundation
import PackageDescription

/// libFuzzer harnesses for omsync (docs/reliability.md, "Fuzzing"). Build with `scripts/fuzz`, which runs
/// `swift build --package-path Fuzz --scratch-path Fuzz/.build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`.
/// Each harness is a thin `LLVMFuzzerTestOneInput` over an entry point of the root package (`Tests/FuzzEntries/`),
/// the same code the replay test (`Tests/FuzzRegressionTests`) runs in the normal debug build.
/// SwiftPM links an executable with `main` defined as `<module>_main`, so each harness defines that function and
/// hands over to libFuzzer's `LLVMFuzzerRunDriver` (declared by `CFuzzDriver`) instead of libFuzzer's own `main`.
/// The root package's identity is its folder's name, whatever the clone is called.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "omsync-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(name: "fuzz-batch", dependencies: ["CFuzzDriver", .product(name: "BatchFuzzEntry", package: root)]),
        .executableTarget(name: "fuzz-rules", dependencies: ["CFuzzDriver", .product(name: "RulesFuzzEntry", package: root)]),
        .executableTarget(name: "fuzz-expression", dependencies: ["CFuzzDriver", .product(name: "ExpressionFuzzEntry", package: root)]),
        .executableTarget(name: "fuzz-sandbox", dependencies: ["CFuzzDriver", .product(name: "SandboxFuzzEntry", package: root)]),
    ]
)
