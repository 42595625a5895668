import ArgumentParser
import Folio
import Foundation

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
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
            let preview = try Pipeline.writePreview(of: input, article: article, page: page, spread: spread, dpi: dpi, guides: guides,
                                                    to: output, setup: common.setup)
            printDiagnostics(preview.diagnostics)
            Console.status("wrote \(output): page \(page) of \(preview.articlePages) of '\(preview.article)' (folio \(preview.folio)) at \(Int(dpi)) dpi")
        }
    }
}
