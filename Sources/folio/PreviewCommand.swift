import ArgumentParser
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import Foundation

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one page of an article as a PNG, for a quick look while editing.")

    @Argument(help: "An issue manifest (issue.yaml) or a Markdown article (.md).")
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
            var options = common.inputOptions
            options.allowMissingImages = true   // a preview shows placeholders while images are on their way
            let (loaded, pipeline) = try Pipeline.open(input, options: options, common: common)
            try pipeline.inputs(of: loaded, input: input).checkOutput(output, what: "the preview")
            AtomicFile.removeStalePartials(in: parentFolder(output), only: URL(fileURLWithPath: output).lastPathComponent)
            let signals = SignalHandling(outputFolders: [parentFolder(output)], graceful: false)
            defer { withExtendedLifetime(signals) {} }
            let ids = loaded.issue.articles.map(\.id)
            let wanted = article ?? ids.first ?? ""
            guard ids.contains(wanted) else {
                throw FolioError("no article '\(wanted)' in \(input); articles: \(ids.joined(separator: ", "))")
            }
            // Compose the issue up to the wanted article only, so page numbers and sides are right.
            var cut = loaded.issue
            // Covers are counted in the first page number below; none is composed for a preview.
            (cut.cover, cut.insideFrontCover, cut.insideBackCover, cut.backCover) = (nil, nil, nil, nil)
            // (With --spread, one article more: the facing page may begin the next one.)
            let order = loaded.issue.articles.map(\.id)
            let last = min(order.count - 1, (order.firstIndex(of: wanted) ?? 0) + (spread ? 1 : 0))
            var kept = 0
            cut.sections = cut.sections.compactMap { s in
                guard kept <= last else { return nil }
                var s = s
                let room = last + 1 - kept
                s.articles = Array(s.articles.prefix(room))
                kept += s.articles.count
                return s
            }
            var pages: [Page] = [], neighbours: [Page] = []
            // Number pages as `render` does: after the contents page(s) of the whole issue.
            let contents = IssueComposer(template: pipeline.template, typesetter: pipeline.typesetter, contents: loaded.issue.articles.count > 1)
                .frontPageCount(for: loaded.issue)
            let composed = try pipeline.compose(cut, workers: cut.articles.count > 2 ? ProcessInfo.processInfo.activeProcessorCount : 1,
                                                firstPage: 1 + contents) {
                if $0.articleID == wanted { pages.append($0) } else { neighbours.append($0) }
            }
            printDiagnostics(loaded.warnings.filter { $0.location?.file.hasSuffix(wanted + ".md") ?? false } + composed.diagnostics)
            guard page >= 1 && page <= pages.count else {
                throw FolioError("article '\(wanted)' has \(pages.count) pages; --page \(page) is out of range")
            }
            try createParent(of: output)
            let chosen = pages[page - 1]
            // A spread: the verso (even) page on the left, the recto (odd) on the right.
            var shown = [chosen]
            if spread {
                let partner = chosen.number % 2 == 0 ? chosen.number + 1 : chosen.number - 1
                if let other = (pages + neighbours).first(where: { $0.number == partner }) {
                    shown = chosen.number % 2 == 0 ? [chosen, other] : [other, chosen]
                }
            }
            let overlays = guides ? shown.map { Guides.items(for: $0, template: pipeline.template) } : []
            try PNGWriter.write(spread: shown, overlays: overlays, dpi: dpi, to: output)
            print("wrote \(output): page \(page) of \(pages.count) of '\(wanted)' (folio \(pages[page - 1].number)) at \(Int(dpi)) dpi")
        }
    }
}
