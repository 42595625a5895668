/// `folio`: the command-line tool. Thin: it finds resources, calls the stages in order
/// (FolioInput → FolioText/FolioCompose → FolioRender) and prints diagnostics.
import ArgumentParser
import Folio

@main
struct FolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Lay out magazine issues and articles as print-ready PDF, with PNG page previews.",
        discussion: """
        Examples:
          folio render examples/sample-issue/issue.yaml -o out/sample-issue.pdf
          folio render article.md --template layouts/magazine-16k.yaml -o out/article.pdf
          folio preview examples/sample-issue/issue.yaml --article minzu-tuanjie --page 2 -o out/page.png
          folio batch examples/archive -o out/archive --jobs 2
        """,
        version: FolioVersion.string,
        subcommands: [Render.self, Preview.self, Batch.self, TypesetBenchmark.self])
}
