import ArgumentParser
import Folio
import FolioCompose
import FolioCore
import FolioText
import Foundation

/// `folio typeset-benchmark ARTICLE`: sets the article's paragraphs repeatedly at the body
/// measure on one core and prints justified lines per second (for `make bench`).
struct TypesetBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "typeset-benchmark",
                                                    abstract: "Measure paragraph setting speed (lines per second).",
                                                    shouldDisplay: false)

    @Argument var article: String
    @Option var seconds: Double = 1
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            var options = common.inputOptions
            options.allowMissingImages = true
            let loaded = try Pipeline.loadIssue(article, options: options)
            let pipeline = try Pipeline(fontConfig: Resources.fontConfig(common.fonts), templatePath: Resources.templatePath(common.template))
            let measure = PageFrame(template: pipeline.template, number: 1).measure
            let style = pipeline.template.style("body")
            let paragraphs = loaded.issue.articles.flatMap(\.blocks).compactMap { b -> ParagraphInput? in
                guard case .paragraph(let t, let loc) = b else { return nil }
                return ParagraphInput(text: t, style: style, language: "zh-Hans", location: loc)
            }
            var lines = 0, rounds = 0
            let start = ContinuousClock.now
            var elapsed = 0.0
            repeat {
                for p in paragraphs { lines += pipeline.typesetter.set(p, measure: measure).lines.count }
                rounds += 1
                let d = (ContinuousClock.now - start).components
                elapsed = Double(d.seconds) + Double(d.attoseconds) / 1e18
            } while elapsed < seconds
            print(String(format: "%d lines in %.3f s: %.0f justified lines/s on one core (%d rounds of %d paragraphs)",
                         lines, elapsed, Double(lines) / elapsed, rounds, paragraphs.count))
        }
    }
}
