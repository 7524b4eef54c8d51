// swift-tools-version:6.1
import PackageDescription

/// omsync: Ordermentum → Unleashed, as declarative YAML rules compiled into a streaming pipeline.
/// Targets follow docs/DESIGN.md; dependencies point one way (Batch ← Rules ← Pipeline ← Push ← Commands;
/// Batch ← Unleashed ← Pipeline (the sales-order contract: money, limits) and ← Push; Ledger ← Push;
/// Ledger ← LedgerPostgres ← Commands).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "omsync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "omsync", targets: ["omsync"]),
        .library(name: "OMSyncCommands", targets: ["OMSyncCommands"]),
        // One library per fuzz entry point, for the libFuzzer package in Fuzz/ (docs/reliability.md, Fuzzing).
        .library(name: "BatchFuzzEntry", targets: ["BatchFuzzEntry"]),
        .library(name: "RulesFuzzEntry", targets: ["RulesFuzzEntry"]),
        .library(name: "ExpressionFuzzEntry", targets: ["ExpressionFuzzEntry"]),
        .library(name: "SandboxFuzzEntry", targets: ["SandboxFuzzEntry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "Batch", swiftSettings: strict),
        .target(name: "Rules", dependencies: ["Batch", "UnleashedContract", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "Pipeline", dependencies: ["Batch", "Rules", "UnleashedContract"], swiftSettings: strict),
        .target(name: "Sandbox", dependencies: [
            "Batch", "UnleashedContract",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strict),
        // The pure Unleashed contract (statuses, money, field limits, resources, endpoint names, the
        // GUID form, /Date(ms)/ and the quota month, signing): no I/O, for Rules, Pipeline and Sandbox.
        .target(name: "UnleashedContract", dependencies: [
            "Batch",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // The HTTP client (AsyncHTTPClient) over the contract, which it re-exports.
        .target(name: "Unleashed", dependencies: [
            "Batch", "UnleashedContract",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "Ledger", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .target(name: "LedgerPostgres", dependencies: [
            "Ledger", "Batch",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The one facts path: what an order is planned with (ledger row, mappings set by hand,
        // what Unleashed says), shared by the import (Push), the previews and serve.
        .target(name: "Facts", dependencies: [
            "Batch", "Rules", "Pipeline", "Unleashed", "Ledger",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "Push", dependencies: [
            "Batch", "Rules", "Pipeline", "Unleashed", "Ledger", "Facts",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "Serve", dependencies: [
            "Batch", "Rules", "Pipeline", "Facts", "Ledger", "UnleashedContract",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [
            // The page as real files, compiled into the binary (`PackageResources.index_html`, …).
            .embedInCode("Page/index.html"), .embedInCode("Page/style.css"), .embedInCode("Page/app.js"),
        ], swiftSettings: strict),
        // Continuous intake: the watched inbox and the Ordermentum webhook receiver (docs/intake.md).
        .target(name: "Intake", dependencies: [
            "Batch",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "OMSyncCommands", dependencies: [
            "Batch", "Rules", "Pipeline", "Sandbox", "Unleashed", "Ledger", "LedgerPostgres", "Facts", "Push", "Serve", "Intake",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ], swiftSettings: strict),
        .executableTarget(name: "omsync", dependencies: ["OMSyncCommands"], swiftSettings: strict),
        .target(name: "TestSupport", dependencies: ["Batch"], path: "Tests/TestSupport", swiftSettings: strict),
        // The fuzz entry points: what one fuzz input does, shared by the libFuzzer harnesses (Fuzz/) and the replay test.
        .target(name: "BatchFuzzEntry", dependencies: ["Batch"], path: "Tests/FuzzEntries/Batch", swiftSettings: strict),
        .target(name: "RulesFuzzEntry", dependencies: ["Rules", "Batch"], path: "Tests/FuzzEntries/Rules", swiftSettings: strict),
        .target(name: "ExpressionFuzzEntry", dependencies: ["Rules", "Pipeline", "Batch"], path: "Tests/FuzzEntries/Expression", swiftSettings: strict),
        .target(name: "SandboxFuzzEntry", dependencies: [
            "Sandbox", "Unleashed", "Batch",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ], path: "Tests/FuzzEntries/Sandbox", swiftSettings: strict),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Batch", "TestSupport", .product(name: "Yams", package: "Yams")], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Facts", "Rules", "UnleashedContract", "Batch", "TestSupport"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "UnleashedContract", "Batch", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .testTarget(name: "UnleashedTests", dependencies: [
            "Unleashed", "Sandbox", "Batch", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "LedgerPostgres", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PushTests", dependencies: [
            "Push", "Facts", "Unleashed", "Ledger", "Pipeline", "Rules", "Sandbox", "Batch", "TestSupport", "LedgerPostgres",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "FuzzRegressionTests", dependencies: [
            "BatchFuzzEntry", "RulesFuzzEntry", "ExpressionFuzzEntry", "SandboxFuzzEntry", "TestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "ServeTests", dependencies: [
            "Serve", "Rules", "Batch", "Ledger", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "IntakeTests", dependencies: [
            "Intake", "Batch", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: [
            "OMSyncCommands", "Batch", "Ledger", "LedgerPostgres", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
        ], exclude: ["BadInput"], swiftSettings: strict),
    ]
)
