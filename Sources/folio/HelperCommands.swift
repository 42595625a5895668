/// Small commands for finding one's way: the fonts Folio sees, the shipped templates, and a new
/// issue to start from (the work is the library's `Starters`).
import ArgumentParser
import Folio
import FolioCore

struct Fonts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fonts",
        abstract: "List the font families Folio's private configuration sees, and which template roles use them.")

    // Only the two options that name what is listed (the other commands' image and page
    // options mean nothing here).
    @Option(help: "The template whose roles are shown (default: layouts/magazine-16k.yaml).")
    var template: String?

    @Option(help: "Folder with fonts.conf, the private font configuration (default: Folio's fonts/).")
    var fonts: String?

    func run() throws {
        try reportingErrors {
            let config = try Resources.fontConfig(fonts), templatePath = try Resources.templatePath(template)
            let usage = try Starters.fontUsage(config: config, templatePath: templatePath)
            print("font configuration: \(config)")
            for f in usage.families { print("  \(f.name)" + (f.roles.isEmpty ? "" : "  ← " + f.roles.joined(separator: ", "))) }
            if !usage.missing.isEmpty {
                print("named by \(templatePath) but not configured: \(usage.missing.joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
    }
}

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "templates", abstract: "List the templates shipped with Folio, one line each.")

    func run() throws {
        try reportingErrors {
            guard let home = Resources.home() else { throw FolioError("cannot find Folio's layouts/; set FOLIO_HOME") }
            for t in Starters.templates(in: home + "/layouts") { print("\(t.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(t.about)") }
            print("use one with --template \(home)/layouts/NAME.yaml, or copy it and change what you need")
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new issue in FOLDER: an issue.yaml, one article, an images folder and a copy of the template.")

    @Argument(help: "The folder for the new issue (created; it must be empty if it exists).")
    var folder: String

    @Option(help: "The template to copy (default: Folio's layouts/magazine-16k.yaml).")
    var template: String?

    func run() throws {
        try reportingErrors {
            try Starters.createIssue(at: folder, templatePath: Resources.templatePath(template))
            print("created \(folder): issue.yaml, first-article.md, images/, template.yaml\nnext: folio render \(folder)/issue.yaml -o issue.pdf")
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Word article (.docx) into a Markdown article with front matter and its images (through pandoc).",
        discussion: """
        Examples:
          folio import 草原.docx -o articles/
            writes articles/草原.md and its images into articles/media/
          folio render 草原.docx -o 草原.pdf
            renders a Word file directly

        Word's Title, Subtitle, Author and Date become title, deck, author and date; headings, \
        tables and captioned images are kept; footnotes become numbered notes under 注释. \
        An existing article or media folder in FOLDER is never replaced.
        """)

    @Argument(help: "The Word file (.docx).")
    var file: String

    @Option(name: .shortAndLong, help: "The folder to write the article and its media/ into (created if needed).")
    var output: String

    func run() throws {
        try reportingErrors {
            let (path, notes, images) = try Starters.importWord(file, into: output)
            printDiagnostics(notes)
            Console.status("wrote \(path)\(images > 0 ? " and \(plural(images, "image")) in \(output)/media" : "")")
        }
    }
}
