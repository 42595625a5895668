/// `folio serve` (the live preview in a browser) and `folio watch` (the PDF rebuilt on every
/// change): argument parsing and printing over the library's `LiveSession` and FolioServe.
import ArgumentParser
import Folio
import FolioCore
import FolioServe
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview an issue or article live in a browser: pages update as you save.",
        usage: "folio serve <input> [--port <port>] [--host <host>] [<options>]",
        discussion: """
        Open the address it prints. Edit any file the issue reads (article, manifest, template, \
        image, fonts.conf): the changed pages are redrawn in the page without a reload. A file \
        that does not build shows its located errors over the last good pages.

        URLs: / (the page), /pages.json, /pages/N.png?dpi=D&guides=1, /events (server-sent events).
        """)

    @Argument(help: "An issue manifest (issue.yaml), a Markdown article (.md), a Word article (.docx) or an archived web article (.txt).")
    var input: String

    @Option(help: "The port to listen on (0: any free port, printed).")
    var port: Int = 8765

    @Option(help: "The address to listen on; other machines can reach the preview only if this is not 127.0.0.1.")
    var host: String = "127.0.0.1"

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            guard (0...65535).contains(port) else { throw FolioError("--port must be from 0 to 65535") }
            var setup = common.setup
            setup.input.allowMissingImages = true   // placeholders while images are on their way, listed as problems
            let session = try LiveSession(input: input, setup: setup)
            printDiagnostics(session.snapshot.errors)
            let server = PreviewServer(session: session, host: host, port: port)
            let host = self.host, pages = session.snapshot.pages.count
            // Ctrl-C or SIGTERM ends the server at once (it writes no file): exit status 130.
            let stop = SignalHandling(outputFolders: [], graceful: false)
            defer { withExtendedLifetime(stop) {} }
            try server.runBlocking { port in
                Console.status("serving \(plural(pages, "page")) of \(input) at http://\(host):\(port)/ (Ctrl-C to stop)")
            }
        }
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Rebuild the PDF every time a file of the issue changes, one line per rebuild.",
        usage: "folio watch <input> --output <output> [<options>]")

    @Argument(help: "An issue manifest (issue.yaml), a Markdown article (.md), a Word article (.docx) or an archived web article (.txt).")
    var input: String

    @Option(name: .shortAndLong, help: "The PDF to write.")
    var output: String

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            try LiveSession(input: input, setup: common.setup).watch(writing: output) { event in
                if case .failed(let errors) = event { printDiagnostics(errors) }
                Console.status(event.status(of: output))
            }
        }
    }
}
