// swift-tools-version:6.0
// Fuzz target for Folio's readers. `make fuzz` builds it with AddressSanitizer and libFuzzer's
// coverage instrumentation over every module, links libFuzzer's no-main runtime, and runs it.
import PackageDescription

let package = Package(
    name: "FolioFuzz",
    dependencies: [.package(path: "folio-src")],   // a link to the repository, so the identity does not depend on the clone's folder name
    targets: [
        .executableTarget(
            name: "FolioFuzz",
            dependencies: [.product(name: "FolioInput", package: "folio-src"), .product(name: "FolioCore", package: "folio-src")]
        ),
    ]
)
