// swift-tools-version:6.0
// Folio — magazine layout renderer. The pipeline (see README "Architecture"):
//   FolioInput → FolioCore model → FolioText (shape + break) → FolioCompose (pages) → FolioRender (PDF/PNG/trace)
import PackageDescription

// jemalloc for the executable (Sources/CAllocator/include), except in the AddressSanitizer build
// (`make asan` sets FOLIO_SYSTEM_MALLOC), where ASan's own malloc must be the one used.
let allocator: [Target.Dependency] = Context.environment["FOLIO_SYSTEM_MALLOC"] == nil ? ["CAllocator"] : []

let package = Package(
    name: "Folio",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "folio", targets: ["folio"]),
        // The stages as libraries, for tools built beside Folio (the fuzzers in Fuzz/).
        // The library every front end calls (the CLI today; a preview server or any Swift program).
        .library(name: "Folio", targets: ["Folio"]),
        .library(name: "FolioCore", targets: ["FolioCore"]),
        .library(name: "FolioInput", targets: ["FolioInput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The live preview's web server (`folio serve`).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian packages, seen through pkg-config.
        .systemLibrary(name: "CPangoCairo", path: "Sources/CPangoCairo", pkgConfig: "pangocairo pangoft2 fontconfig cairo-pdf cairo-png cairo-ft harfbuzz-subset"),
        // poppler-glib, librsvg and gdk-pixbuf, loaded on first use (dlopen): see Sources/CLazyGraphics/include.
        .target(name: "CLazyGraphics", path: "Sources/CLazyGraphics"),
        .systemLibrary(name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark"),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
        // libdeflate (Debian libdeflate-dev): whole-buffer deflate, twice zlib's speed at its size, for the font subsets.
        .systemLibrary(name: "CLibdeflate", path: "Sources/CLibdeflate", pkgConfig: "libdeflate"),
        // libqpdf (Debian libqpdf-dev): the PDF's object model, for what Cairo cannot write (PDFFinisher).
        .systemLibrary(name: "CQPDF", path: "Sources/CQPDF", pkgConfig: "libqpdf"),
        // zlib's level for the page content Cairo writes (then written anew): see Sources/CCairoDeflate/include.
        .target(name: "CCairoDeflate", path: "Sources/CCairoDeflate", linkerSettings: [.linkedLibrary("z")]),
        // libqpdf's Flate level, C++ only, behind one C function: see Sources/CQPDFPlus/include.
        .target(name: "CQPDFPlus", path: "Sources/CQPDFPlus", linkerSettings: [.linkedLibrary("qpdf")]),
        // ICU's word breaks (Debian libicu-dev) behind one C function: see Sources/CICU/include.
        .target(name: "CICU", path: "Sources/CICU", linkerSettings: [.linkedLibrary("icuuc")]),
        .systemLibrary(name: "CHyphen", path: "Sources/CHyphen"),   // libhyphen (Debian libhyphen-dev): no pkg-config file
        // jemalloc (Debian libjemalloc-dev) as the executable's malloc, one arena: see Sources/CAllocator/include.
        .target(name: "CAllocator", path: "Sources/CAllocator", linkerSettings: [.linkedLibrary("jemalloc")]),
        .systemLibrary(name: "CZint", path: "Sources/CZint"),       // libzint (Debian libzint-dev): no pkg-config file
        // lcms2 (Debian liblcms2-dev): images' ICC profiles, CMYK to screen RGB.
        .systemLibrary(name: "CLCMS2", path: "Sources/CLCMS2", pkgConfig: "lcms2"),
        // libtiff's CMYK reading behind one C function (Debian libtiff-dev): see Sources/CTIFF/include.
        .target(name: "CTIFF", path: "Sources/CTIFF", linkerSettings: [.linkedLibrary("tiff")]),
        // libxml2's SVG root reading behind one C function (Debian libxml2-dev): see Sources/CXML2/include.
        .target(name: "CXML2", path: "Sources/CXML2", cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])], linkerSettings: [.linkedLibrary("xml2")]),

        // Pure Swift: units, geometry, document/template/page models, diagnostics.
        .target(name: "FolioCore"),
        // Files → model: Markdown + front matter, manifest, template, images.
        .target(name: "FolioInput", dependencies: ["FolioCore", "CCmark", "CTurboJPEG", "CZlib", "CXML2", "CPangoCairo", "CLazyGraphics", .product(name: "Yams", package: "Yams")]),
        // Model text → set lines: fonts, shaping (Pango), line breaking and language rules.
        .target(name: "FolioText", dependencies: ["FolioCore", "CPangoCairo", "CHyphen", "CICU"]),
        // Set lines → pages of positioned items. Sees text only through FolioCore's protocols.
        .target(name: "FolioCompose", dependencies: ["FolioCore"]),
        // Pages → PDF, PNG, text trace (Cairo).
        .target(name: "FolioRender", dependencies: ["FolioCore", "CPangoCairo", "CTurboJPEG", "CZlib", "CZint", "CQPDF", "CQPDFPlus", "CLCMS2", "CTIFF", "CLazyGraphics", "CCairoDeflate", "CLibdeflate"]),
        // The library: the stages wired together (open, compose, render, preview, batch, volume).
        .target(name: "Folio", dependencies: ["FolioCore", "FolioInput", "FolioText", "FolioCompose", "FolioRender"]),
        // The live preview: a local web page over the library's LiveSession (Hummingbird 2).
        .target(name: "FolioServe", dependencies: ["Folio", "FolioCore", .product(name: "Hummingbird", package: "hummingbird"),
                                                  .product(name: "Logging", package: "swift-log")]),
        // The command-line tool: argument parsing and printing over the Folio library.
        .executableTarget(name: "folio", dependencies: [
            "Folio", "FolioServe", "FolioCore", "FolioInput",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ] + allocator),

        .target(name: "FolioTesting", dependencies: ["FolioCore"], path: "Tests/FolioTesting"),
        .testTarget(name: "FolioCoreTests", dependencies: ["FolioCore"]),
        .testTarget(name: "FolioInputTests", dependencies: ["FolioInput", "FolioCore"]),
        .testTarget(name: "FolioTextTests", dependencies: ["FolioText", "FolioCore", "FolioTesting"]),
        .testTarget(name: "FolioComposeTests", dependencies: ["FolioCompose", "FolioCore", "FolioTesting"]),
        .testTarget(name: "FolioRenderTests", dependencies: ["FolioRender", "FolioCore", "FolioTesting", "CPangoCairo", "CCairoDeflate", "CZlib"], exclude: ["Goldens"]),
        .testTarget(name: "EndToEndTests", dependencies: ["FolioCore", "FolioInput", "FolioTesting", .product(name: "Yams", package: "Yams")],
                    exclude: ["Fixtures", "Goldens"]),
        .testTarget(name: "FolioTests", dependencies: ["Folio", "FolioCore", "FolioInput"], exclude: ["Traces"]),
    ]
)
