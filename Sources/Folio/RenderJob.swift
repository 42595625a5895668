/// `folio render` as the library does it: the input opened (a file, or Markdown from standard
/// input), the outputs checked against every input and each other, the PDF rendered (screen,
/// print or web variant), the preflight report written — whatever happened. The caller prints.
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import Foundation

public struct RenderJob {
    /// A file, or "-" with `stdin` (a Markdown article's bytes; its images relative to `base`).
    public var input: String
    public var stdin: [UInt8]?
    public var base: String?
    /// The PDF (nil: the input's name with .pdf in the current folder; a temporary file when
    /// the PDF goes to standard output, see `RenderOutcome.pdf`).
    public var output: String?
    public var toStandardOutput = false
    /// Marks, strictness, `--web`; its print profile is set from `print` and `icc`.
    public var request = RenderRequest()
    /// The print variant (CMYK PDF/X-3, or PDF/X-4 with `request.pdfx4`), with the CMYK profile `icc` (read like any input;
    /// nil: Ghostscript's).
    public var print = false
    public var icc: String?
    /// The preflight report (JSON).
    public var report: String?
    /// The process ends once this render is done (`folio render`): what only its exit would
    /// otherwise free is left to it (`PDFFinisher.processEndsAfterWriting`).
    public var processEndsAfterwards = false
    public init(input: String) { self.input = input }

    /// Renders; throws `FolioError` with every problem if the PDF could not be written, or
    /// `RenderStoppedByStrict` when only warnings made errors by `--strict` stopped it.
    public func run(setup: Setup) throws -> RenderOutcome {
        let clock = ContinuousClock.now, read = FileRead()
        if processEndsAfterwards { PDFFinisher.processEndsAfterWriting = true }
        let fromStdin = stdin != nil
        let (loaded, pipeline) = try stdin.map { try Pipeline.open(markdown: $0, base: base ?? FileManager.default.currentDirectoryPath, setup: setup) }
            ?? Pipeline.open(input, setup: setup)
        // Standard output: the PDF is finished in a private temporary folder, then read back.
        let scratch = toStandardOutput ? NSTemporaryDirectory() + "folio-stdout-\(UUID().uuidString)" : nil
        var keepScratch = false
        defer { if !keepScratch, let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let out = scratch.map { $0 + "/out.pdf" }
            ?? output ?? (fromStdin ? "stdin.pdf" : URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent + ".pdf")
        try checkOutputs(out, inputs: pipeline.inputs(of: loaded, input: input, extra: icc.map { [$0] } ?? []))
        let signals = SignalHandling(outputFolders: [out, report].compactMap { $0 }.map(parentFolder), graceful: false)
        defer { withExtendedLifetime(signals) {} }
        var problems = loaded.warnings
        let composed: ComposedIssue
        do {
            var request = self.request
            request.printProfile = print ? icc ?? PrintConverter.defaultProfile : nil
            composed = try pipeline.render(loaded, to: out, request)
            problems += composed.diagnostics
        } catch let e as FolioError {
            // Under --strict the error repeats every warning: keep each problem once.
            problems = request.strict ? e.diagnostics : problems + e.diagnostics
            if let report { try Preflight.write(problems, pages: 0, to: report, input: input) }
            if request.strict && e.diagnostics.allSatisfy({ $0.message.hasSuffix("(--strict)") }) { throw RenderStoppedByStrict(problems: problems) }
            throw FolioError(problems)
        }
        if let report { try Preflight.write(problems, pages: composed.pageCount, fit: composed.fit, to: report, input: input) }
        // Where every article starts, for previews that compose their article alone.
        PreviewIndex.record(input, issue: loaded.issue, composed: composed, pipeline: pipeline, setup: setup, read: read)
        keepScratch = true
        return RenderOutcome(pdf: out, scratch: scratch, problems: problems, pages: composed.pageCount, articles: loaded.issue.articles.count,
                             fit: composed.fit, seconds: (ContinuousClock.now - clock).seconds)
    }

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

/// What a render did.
public struct RenderOutcome {
    /// The PDF written (under `scratch` when it goes to standard output: `takeScratchPDF`).
    public var pdf: String
    var scratch: String?
    /// Reading and composing warnings, in order.
    public var problems: [Diagnostic]
    public var pages: Int
    public var articles: Int
    public var fit: [ArticleFit]
    public var seconds: Double

    /// ": 12 pages, 3 articles in 0.41 s", the end of the status line.
    public var summary: String {
        ": \(plural(pages, "page")), \(plural(articles, "article")) in \(String(format: "%.2f", seconds)) s"
    }

    /// The PDF's bytes when it was written to a temporary folder for standard output; the folder is removed.
    public func takeScratchPDF() throws -> Data {
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        return try Data(contentsOf: URL(fileURLWithPath: pdf))
    }
}

/// `--strict` stopped the render on warnings alone (exit status 2, so scripts can tell).
public struct RenderStoppedByStrict: Error {
    public var problems: [Diagnostic]
}

/// The folder a file is written in.
public func parentFolder(_ path: String) -> String { PathName.folder(of: path) }
