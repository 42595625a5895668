import ArgumentParser
import Folio
import Foundation

/// `folio typeset-benchmark ARTICLE`: justified lines per second on one core (for `make bench`).
struct TypesetBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "typeset-benchmark",
                                                    abstract: "Measure paragraph setting speed (lines per second).",
                                                    shouldDisplay: false)

    @Argument var article: String
    @Option var seconds: Double = 1
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let r = try Pipeline.typesetBenchmark(article, seconds: seconds, setup: common.setup)
            print(String(format: "%d lines in %.3f s: %.0f justified lines/s on one core (%d rounds of %d paragraphs)",
                         r.lines, r.seconds, Double(r.lines) / r.seconds, r.rounds, r.paragraphs))
        }
    }
}
