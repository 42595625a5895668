/// The options every command shares, and printing diagnostics.
import ArgumentParser
import Folio
import FolioCore
import FolioInput
import Foundation

struct CommonOptions: ParsableArguments {
    @Option(help: "Template file (default: layouts/magazine-16k.yaml, or the one the manifest names).")
    var template: String?

    @Option(help: "Folder with fonts.conf, the private font configuration (default: Folio's fonts/).")
    var fonts: String?

    @Flag(help: "Print missing or unreadable images as marked placeholders instead of failing.")
    var allowMissingImages = false

    @Flag(help: "Allow image paths outside the article's folder.")
    var allowOutsideImages = false

    @Flag(help: "Check that every character of every paragraph reached a line, character by character.")
    var verify = false

    @Option(help: "The most pages one article may take; more is reported as overset.")
    var maxPages: Int = 2000

    var inputOptions: InputOptions {
        InputOptions(allowMissingImages: allowMissingImages, allowOutsideImages: allowOutsideImages)
    }

    /// The library's setup for these options.
    var setup: Setup {
        var s = Setup()
        s.template = template
        s.fonts = fonts
        s.input = inputOptions
        s.verify = verify
        s.maxPages = maxPages
        return s
    }
}

/// Prints diagnostics to standard error, errors and warnings alike.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for d in diagnostics { FileHandle.standardError.write((d.description + "\n").data(using: .utf8)!) }
}

/// Runs a command body, turning Folio errors into messages and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as FolioError {
        printDiagnostics(e.diagnostics)
        throw ExitCode(1)
    }
}

/// "1 page", "3 pages".
func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
