// swift-tools-version: 6.1
import PackageDescription

/// Layers, inner to outer: CreditCore (pure domain and scoring, Foundation only) <- readers and
/// store (CSV ledger, GRDB) <- CreditApp (use cases shared by CLI and HTTP: the one door to the
/// store) <- CreditHTTP and creditrisk (adapters). The adapters depend on neither CreditStore nor
/// GRDB, so they cannot reach around the use cases.
let package = Package(
    name: "creditrisk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "creditrisk", targets: ["creditrisk"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .target(name: "CreditCore"),
        /// libxml2 from the system (libxml2-dev), for statement XML.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "StatementReader", dependencies: ["CreditCore", "CLibXML2"]),
        /// zlib from the system (zlib1g-dev), to deflate the stored assessments' detail.
        .systemLibrary(name: "CSystemZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// zstd from the system (libzstd-dev), to compress new assessments' detail against a trained dictionary.
        .systemLibrary(name: "CSystemZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        /// A strict RFC 4180 reader over bytes: blocks of whole records, split into fields in place.
        .target(name: "StrictCSV"),
        .target(name: "LedgerReader", dependencies: ["CreditCore", "StrictCSV"]),
        .target(
            name: "CreditStore",
            dependencies: [
                "CreditCore", "CSystemZlib", "CSystemZstd",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            resources: [
                .copy("Resources/detail-dictionary-1.txt"), .copy("Resources/detail-dictionary-2.txt"),
                .copy("Resources/detail-dictionary-3.txt"), .copy("Resources/detail-dictionary-4.zstd"),
                .copy("Resources/schema-v22.sql"),
            ]
        ),
        .target(name: "PortfolioGenerator", dependencies: ["CreditCore"]),
        /// JSON written as values encode themselves (the stored assessments' detail and fingerprint).
        .target(name: "StreamingJSON"),
        .target(
            name: "CreditApp",
            dependencies: [
                "CreditCore", "CreditStore", "LedgerReader", "StatementReader", "StreamingJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "CreditHTTP",
            dependencies: [
                "CreditApp", "CreditCore", "LedgerReader", "StreamingJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/web")]
        ),
        .executableTarget(
            name: "creditrisk",
            dependencies: [
                "CreditApp", "CreditCore", "CreditHTTP", "PortfolioGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "CreditCoreTests", dependencies: ["CreditCore"]),
        /// Runs the built executable as a user would; depends on it so that it is built first.
        .testTarget(name: "CLITests", dependencies: ["creditrisk"]),
        .testTarget(name: "ScoringTests", dependencies: ["CreditCore"]),
        .testTarget(name: "CollectionsTests", dependencies: ["CreditCore"]),
        .testTarget(
            name: "HTTPTests",
            dependencies: [
                "CreditHTTP", "CreditApp", "CreditCore", "CreditStore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "CreditAppTests",
            dependencies: [
                "CreditApp", "CreditCore", "CreditStore", "LedgerReader", "PortfolioGenerator", "StreamingJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(name: "StatementReaderTests", dependencies: ["StatementReader", "CreditCore", "PortfolioGenerator"]),
        .testTarget(name: "PortfolioGeneratorTests", dependencies: ["PortfolioGenerator", "CreditCore"]),
        .testTarget(
            name: "LedgerImportTests",
            dependencies: [
                "CreditApp", "CreditCore", "CreditStore", "LedgerReader", "StrictCSV",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The reader the ledger was read with before StrictCSV, kept to check the two side by side.
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
