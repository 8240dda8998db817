// swift-tools-version: 5.10
// WaymarkKit: the core (a binary xcframework and its generated Swift, made by
// ../build-xcframework.sh) and WaymarkShell, the hand-written shell every
// screen goes through. The macOS slice lets `swift test` run WaymarkShell's
// tests on a Mac without a simulator.
import PackageDescription

let package = Package(
    name: "WaymarkKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "WaymarkShell", targets: ["WaymarkShell"]),
    ],
    targets: [
        // The static libraries, their headers and one module map for the C module WaymarkCoreFFI.
        .binaryTarget(name: "WaymarkCoreFFI", path: "WaymarkCoreFFI.xcframework"),
        // uniffi's Swift for both crates (waymark.swift, waymark_core.swift), generated, never committed.
        .target(name: "WaymarkCore", dependencies: ["WaymarkCoreFFI"], path: "Sources/WaymarkCore"),
        .target(name: "WaymarkShell", dependencies: ["WaymarkCore"], path: "Sources/WaymarkShell"),
        .testTarget(name: "WaymarkShellTests", dependencies: ["WaymarkShell"], path: "Tests/WaymarkShellTests"),
    ]
)
