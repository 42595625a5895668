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

    @Flag(name: .shortAndLong, help: "Print errors only: no warnings, progress or summary.")
    var quiet = false

    @Option(help: "How diagnostics are printed on standard error: text (file:line:column: severity: message) or json (one object a line).")
    var diagnosticsFormat: Console.Format = .text

    mutating func validate() throws {
        Console.quiet = quiet
        Console.format = diagnosticsFormat
    }

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

/// How this process prints: set once from the command line, before any command runs.
enum Console {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    nonisolated(unsafe) static var format = Format.text
    nonisolated(unsafe) static var quiet = false

    /// A status line (what was written, a summary): on standard output unless --quiet.
    static func status(_ line: String) { if !quiet { FileHandle.standardOutput.write(Data((line + "\n").utf8)) } }
}

/// Prints diagnostics to standard error (errors always; warnings and notes unless --quiet).
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for d in diagnostics where !Console.quiet || d.severity == .error {
        let line = Console.format == .json ? d.json() : d.description
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
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

