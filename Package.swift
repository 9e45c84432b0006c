// swift-tools-version:6.0
import PackageDescription

/// Release settings of the modules on the request path: no runtime exclusivity checks (5–7 % of
/// the proxy's requests/s; debug builds, which every test runs, keep them), and object lifetimes
/// left to the optimizer instead of ending with their variables' scopes ("lexical lifetimes"),
/// which lets it drop a sixth of the reference counting a request costs. These modules hold no
/// weak or unowned references and keep no object alive for a side effect of its deinit.
let requestPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked", "-Xfrontend", "-enable-lexical-lifetimes=false"], .when(configuration: .release))
]

/// Gatehouse — an event-sourced API gateway.
///
/// Dependency direction is strictly downward:
/// CLMDB/CISAL → EventLog → EventLogLMDB → GatehouseCore → GatehouseEngine / GatehouseCache → GatehouseProxy / GatehouseAdmin → gatehouse (CLI).
let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .executable(name: "demo-upstream", targets: ["demo-upstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-http-structured-headers", from: "1.7.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .target(name: "EventLog", dependencies: ["CISAL"], swiftSettings: requestPathSettings),
        .target(name: "EventLogLMDB", dependencies: ["EventLog", "CLMDB"]),
        .target(
            name: "GatehouseCore",
            dependencies: ["EventLog", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: requestPathSettings
        ),
        .target(
            name: "GatehouseEngine",
            dependencies: ["GatehouseCore", "EventLog", "EventLogLMDB", "Yams"]
        ),
        .target(
            name: "GatehouseCache",
            dependencies: [
                "GatehouseCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: requestPathSettings
        ),
        .target(
            name: "GatehouseProxy",
            dependencies: [
                "GatehouseCore", "GatehouseCache", "CZlib", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: requestPathSettings
        ),
        .target(
            name: "GatehouseAdmin",
            dependencies: [
                "GatehouseEngine", "GatehouseCore", "GatehouseCache", "EventLog", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseEngine", "GatehouseCore", "GatehouseCache", "GatehouseProxy", "GatehouseAdmin", "EventLog", "EventLogLMDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "reference-proxy",
            dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "tools/reference-proxy"
        ),
        .executableTarget(
            name: "log-crash-writer",
            dependencies: ["GatehouseEngine", "GatehouseCore", "EventLogLMDB"],
            path: "tools/log-crash-writer"
        ),
        .executableTarget(
            name: "demo-upstream",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "tools/demo-upstream"
        ),
        .target(
            name: "GatehouseTesting",
            dependencies: [
                "EventLog", "EventLogLMDB", "GatehouseCore", "GatehouseEngine", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "EventLogLMDB", "GatehouseTesting", "CZlib"]),
        .testTarget(name: "GatehouseCoreTests", dependencies: ["GatehouseCore", "GatehouseTesting"]),
        .testTarget(
            name: "GatehouseCacheTests",
            dependencies: ["GatehouseCache", "GatehouseCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .testTarget(
            name: "GatehouseEngineTests",
            dependencies: ["GatehouseEngine", "GatehouseCore", "EventLogLMDB", "GatehouseTesting"],
            resources: []
        ),
        .testTarget(
            name: "GatehouseProxyTests",
            dependencies: [
                "GatehouseProxy", "GatehouseCache", "GatehouseCore", "GatehouseTesting", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["GatehouseTesting", "GatehouseCore", "GatehouseEngine", "EventLog", "EventLogLMDB", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
            ]
        ),
    ]
)
