import ArgumentParser
import Folio
import FolioCore
import FolioInput
import Foundation

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one page of an article as a PNG, for a quick look while editing.")

    @Argument(help: "An issue manifest (issue.yaml), a Markdown article (.md) or an archived web article (.txt).")
    var input: String

    @Option(help: "The article's id (its file name without .md); default: the first article.")
    var article: String?

    @Option(help: "The page of the article, counting from 1.")
    var page: Int = 1

    @Option(help: "Resolution of the PNG in dots per inch.")
    var dpi: Double = 110

    @Option(name: .shortAndLong, help: "The PNG to write.")
    var output: String = "preview.png"

    @Flag(help: "Draw the margins, columns, baseline grid, trim and bleed over the page.")
    var guides = false

    @Flag(help: "Show the page with its facing page, side by side.")
    var spread = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            guard dpi >= 10 && dpi <= 1200 else { throw FolioError("--dpi must be from 10 to 1200") }
            var setup = common.setup
            setup.input.allowMissingImages = true   // a preview shows placeholders while images are on their way
            let (loaded, pipeline) = try Pipeline.open(input, setup: setup)
            try pipeline.inputs(of: loaded, input: input).checkOutput(output, what: "the preview")
            AtomicFile.removeStalePartials(in: parentFolder(output), only: URL(fileURLWithPath: output).lastPathComponent)
            let signals = SignalHandling(outputFolders: [parentFolder(output)], graceful: false)
            defer { withExtendedLifetime(signals) {} }
            let preview = try pipeline.preview(loaded, article: article, page: page, spread: spread)
            printDiagnostics(preview.diagnostics)
            try pipeline.writePNG(preview, dpi: dpi, guides: guides, to: output)
            Console.status("wrote \(output): page \(page) of \(preview.articlePages) of '\(preview.article)' (folio \(preview.folio)) at \(Int(dpi)) dpi")
        }
    }
}
