/// Paragraph setting speed, for `make bench` (`folio typeset-benchmark`): an article's
/// paragraphs set again and again at the body measure on one core, each round as new text.
import FolioCompose
import FolioCore
import FolioText
import Foundation

extension Pipeline {
    /// Sets the body paragraphs of `article` until `seconds` have passed; the lines set, the
    /// time taken, the rounds and the paragraphs of a round.
    public static func typesetBenchmark(_ article: String, seconds: Double, setup: Setup) throws -> (lines: Int, seconds: Double, rounds: Int, paragraphs: Int) {
        var options = setup.input
        options.allowMissingImages = true
        let loaded = try loadIssue(article, options: options)
        let pipeline = try Pipeline(fontConfig: Resources.fontConfig(setup.fonts), templatePath: Resources.templatePath(setup.template))
        let measure = PageFrame(template: pipeline.template, number: 1).measure
        let style = pipeline.template.style("body")
        let paragraphs = loaded.issue.articles.flatMap(\.blocks).compactMap { b -> ParagraphInput? in
            guard case .paragraph(let t, let loc) = b else { return nil }
            return ParagraphInput(text: t, style: style, language: "zh-Hans", location: loc)
        }
        var lines = 0, rounds = 0, elapsed = 0.0
        let start = ContinuousClock.now
        repeat {
            // A typesetter of its own every round: what it keeps of paragraphs it set (their
            // shaping) would otherwise leave only the breaking to measure.
            let typesetter = PangoTypesetter(fonts: pipeline.typesetter.fonts, template: pipeline.template)
            for p in paragraphs { lines += typesetter.set(p, measure: measure).lines.count }
            rounds += 1
            elapsed = (ContinuousClock.now - start).seconds
        } while elapsed < seconds
        return (lines, elapsed, rounds, paragraphs.count)
    }
}
