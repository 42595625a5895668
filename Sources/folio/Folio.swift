/// `folio`: the command-line tool. Thin: it finds resources, calls the stages in order
/// (FolioInput → FolioText/FolioCompose → FolioRender) and prints diagnostics.
import ArgumentParser
import Folio
import FolioInput
import Foundation

@main
struct FolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Lay out magazine issues and articles as print-ready PDF, with PNG page previews.",
        discussion: """
        Examples (from examples/sample-issue in Folio's folder):
          folio render issue.yaml -o issue.pdf
          folio render matouqin.md -o matouqin.pdf
          folio preview issue.yaml --article matouqin --page 2 -o page.png
          folio batch ../archive -o archive --jobs 2

        Exit status: 0 done (warnings printed); 1 an input or render error (batch: an \
        article failed); 2 render --strict stopped on warnings; 64 a usage error; \
        130 interrupted (SIGINT/SIGTERM).
        """,
        version: FolioVersion.string,
        // Every command names itself (`commandName`): a name derived from the type's name costs
        // Swift's runtime a walk through every protocol conformance in the binary, at every start.
        subcommands: [Render.self, Preview.self, Serve.self, Watch.self, Batch.self, Import.self, Init.self, Fonts.self, Templates.self, TypesetBenchmark.self, BatchWorker.self])

    /// Runs the command line; a mistyped command gets a suggestion (`folio rendr` → render) and
    /// the usage exit status, 64.
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        let commands = configuration.subcommands.map { $0._commandName }
        if let first = args.first, !first.hasPrefix("-"), !commands.contains(first), first != "help" {
            let hint = Suggestion.closest(first, in: commands).map { " (did you mean '\($0)'?)" } ?? ""
            FileHandle.standardError.write(Data("folio: error: unknown command '\(first)'\(hint); commands: \(commands.filter { $0 != "typeset-benchmark" }.joined(separator: ", "))\n".utf8))
            Foundation.exit(64)
        }
        main(args)
    }
}
