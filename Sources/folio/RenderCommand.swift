import ArgumentParser
import FolioCore
import FolioInput
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render an issue manifest or a single Markdown article to one print-ready PDF.")

    @Argument(help: "An issue manifest (issue.yaml) or a Markdown article (.md).")
    var input: String

    @Option(name: .shortAndLong, help: "The PDF to write (default: the input's name with .pdf).")
    var output: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let clock = ContinuousClock.now
            let loaded = try Pipeline.loadIssue(input, options: common.inputOptions, archive: input.lowercased().hasSuffix(".txt") ? Resources.archiveSettings(common) : ArchiveSettings())
            let pipeline = try Pipeline(fontConfig: Resources.fontConfig(common),
                                        templatePath: Resources.templatePath(common, manifestTemplate: loaded.templatePath))
            let out = output ?? URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent + ".pdf"
            let composed = try pipeline.renderPDF(loaded.issue, to: out, date: documentDate(issueDate: loaded.issue.date))
            report(loaded.warnings + composed.diagnostics)
            let elapsed = (ContinuousClock.now - clock).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            print("wrote \(out): \(composed.articlePages.last?.pages.upperBound ?? 0) pages, \(loaded.issue.articles.count) articles in \(String(format: "%.2f", seconds)) s")
        }
    }
}

