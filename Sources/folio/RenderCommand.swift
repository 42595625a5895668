import ArgumentParser
import Folio
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render an issue manifest, a Markdown article or an archived web article to one print-ready PDF.",
        discussion: """
        An issue of several articles gets a contents page at the front and a PDF outline
        (sections → articles). Warnings (missing or low-resolution images, characters without a
        font, overfull lines, scaled figures) are printed; --report writes them as JSON and
        --strict makes any of them an error.
        """)

    @Argument(help: "An issue manifest (issue.yaml), a Markdown article (.md), an archived web article (.txt), or - for a Markdown article on standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "The PDF to write (default: the input's name with .pdf; - for standard output).")
    var output: String?

    @Option(help: "With input from standard input: the folder its image paths are relative to (default: the current folder).")
    var base: String?

    @Flag(help: "Add crop and bleed marks outside the bleed (the media box grows by 10 mm on each side).")
    var marks = false

    @Flag(help: "Write the print variant: CMYK PDF/X-3 through Ghostscript, black text as pure K, no links.")
    var print = false

    @Option(help: "The CMYK output profile for --print (default: Ghostscript's default_cmyk.icc).")
    var icc: String?

    @Option(help: "Write a preflight report (JSON) to this file.")
    var report: String?

    @Flag(help: "Linearize the PDF for reading online (fast web view: the first page shows before the file has arrived).")
    var web = false

    @Flag(help: "Treat every preflight warning as an error: no PDF is written.")
    var strict = false

    @Flag(help: "Print the fit report: each article with a page budget (- {file: a.md, pages: 3}), what was done to fit it, and how far over or under it is.")
    var fitReport = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let clock = ContinuousClock.now
            let fromStdin = input == "-", toStdout = output == "-"
            let (loaded, pipeline) = fromStdin
                ? try Pipeline.open(markdown: String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self),
                                    base: base ?? FileManager.default.currentDirectoryPath, setup: common.setup)
                : try Pipeline.open(input, setup: common.setup)
            // Standard output: the PDF is finished in a private temporary folder, then copied out.
            let scratch = toStdout ? NSTemporaryDirectory() + "folio-stdout-\(UUID().uuidString)" : nil
            defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
            let out = scratch.map { $0 + "/out.pdf" }
                ?? output ?? (fromStdin ? "stdin.pdf" : URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent + ".pdf")
            try checkOutputs(out, inputs: pipeline.inputs(of: loaded, input: input, extra: icc.map { [$0] } ?? []))
            let signals = SignalHandling(outputFolders: [out, report].compactMap { $0 }.map(parentFolder), graceful: false)
            defer { withExtendedLifetime(signals) {} }
            var composed: ComposedIssue?
            var problems = loaded.warnings
            do {
                var request = RenderRequest(marks: marks, strict: strict)
                request.printProfile = print ? (icc ?? PrintConverter.defaultProfile) : nil
                request.web = web
                composed = try pipeline.render(loaded, to: out, request)
                problems += composed!.diagnostics
            } catch let e as FolioError {
                // Under --strict the error repeats every warning: keep each problem once.
                problems = strict ? e.diagnostics : problems + e.diagnostics
                if let report { try Preflight.write(problems, pages: 0, to: report, input: input) }
                // Only warnings made errors by --strict: exit status 2, so scripts can tell.
                if strict && e.diagnostics.allSatisfy({ $0.message.hasSuffix("(--strict)") }) {
                    printDiagnostics(problems)
                    throw ExitCode(2)
                }
                throw FolioError(problems)
            }
            printDiagnostics(problems)
            let pages = composed?.pageCount ?? 0
            if let report { try Preflight.write(problems, pages: pages, fit: composed?.fit ?? [], to: report, input: input) }
            if fitReport {
                // A table for people; on standard error when the PDF is the standard output.
                let table = Data(Preflight.fitTable(composed?.fit ?? []).utf8)
                (toStdout ? FileHandle.standardError : FileHandle.standardOutput).write(table)
            }
            let elapsed = (ContinuousClock.now - clock).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            let articles = loaded.issue.articles.count
            let summary = ": \(plural(pages, "page")), \(plural(articles, "article")) in \(String(format: "%.2f", seconds)) s"
            if toStdout {
                // The PDF is the standard output; what Folio says goes to standard error.
                FileHandle.standardOutput.write(try Data(contentsOf: URL(fileURLWithPath: out)))
                FileHandle.standardError.write(Data("wrote the PDF to standard output\(summary)\n".utf8))
            } else {
                Console.status("wrote \(out)\(print ? " (CMYK PDF/X-3)" : "")\(summary)")
            }
        }
    }
}

extension Render {
    /// The PDF and the report must not replace an input or each other; partials a killed
    /// render of the same output left behind are removed.
    func checkOutputs(_ out: String, inputs: InputSet) throws {
        try inputs.checkOutput(out, what: "the PDF")
        if let report {
            try inputs.checkOutput(report, what: "the report")
            if RegularFile.resolved(report) == RegularFile.resolved(out) {
                throw FolioError("--report and -o name the same file \(out); give the report another name")
            }
        }
        for path in [out, report].compactMap({ $0 }) {
            AtomicFile.removeStalePartials(in: parentFolder(path), only: URL(fileURLWithPath: path).lastPathComponent)
        }
    }
}

/// The folder a file is written in.
func parentFolder(_ path: String) -> String { URL(fileURLWithPath: path).deletingLastPathComponent().path }

