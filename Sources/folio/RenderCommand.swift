import ArgumentParser
import Folio
import FolioCore
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render an issue manifest, a Markdown article or an archived web article to one print-ready PDF.",
        discussion: """
        An issue of several articles gets a contents page at the front and a PDF outline \
        (sections → articles). Warnings (missing or low-resolution images, characters without a \
        font, overfull or visibly letterspaced lines, scaled figures) are printed; --report \
        writes them as JSON and --strict makes any of them an error.
        """)

    @Argument(help: "An issue manifest (issue.yaml), a Markdown article (.md), an archived web article (.txt), or - for a Markdown article on standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "The PDF to write (default: the input's name with .pdf; - for standard output).")
    var output: String?

    @Option(help: "With input from standard input: the folder its image paths are relative to (default: the current folder).")
    var base: String?

    @Flag(help: "Add crop and bleed marks outside the bleed (the media box grows by 10 mm on each side).")
    var marks = false

    @Flag(help: "Write the print variant: CMYK PDF/X-3 through Ghostscript (--pdfx 4: PDF/X-4), black text as pure K, no links.")
    var print = false

    @Option(help: "The CMYK output profile for --print (default: Ghostscript's default_cmyk.icc).")
    var icc: String?

    @Option(help: ArgumentHelp("The print variant's standard: 3 (PDF/X-3 through Ghostscript: everything CMYK) or 4 (PDF/X-4 made by Folio: tagged like the screen PDF, flat colours as inks with black text as pure K, RGB images colour-managed). Implies --print.", valueName: "3|4"))
    var pdfx: Int?

    @Option(help: "Write a preflight report (JSON) to this file.")
    var report: String?

    @Flag(help: "Linearize the PDF for reading online (fast web view: the first page shows before the file has arrived).")
    var web = false

    @Flag(help: "Treat every preflight warning as an error: no PDF is written.")
    var strict = false

    @Flag(help: "Print the fit report: each article with a page budget (- {file: a.md, pages: 3}), what was done to fit it, and how far over or under it is.")
    var fitReport = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let pdfx, pdfx != 3 && pdfx != 4 { throw ValidationError("--pdfx is 3 or 4, not \(pdfx)") }
    }

    func run() throws {
        try reportingErrors {
            var job = RenderJob(input: input)
            job.processEndsAfterwards = true
            if input == "-" { job.stdin = Array(FileHandle.standardInput.readDataToEndOfFile()) }
            (job.base, job.output, job.toStandardOutput, job.icc, job.report) = (base, output, output == "-", icc, report)
            (job.request, job.print) = (RenderRequest(marks: marks, strict: strict), print || pdfx != nil)
            job.request.web = web
            job.request.pdfx4 = pdfx == 4
            let outcome: RenderOutcome
            do { outcome = try job.run(setup: common.setup) } catch let stopped as RenderStoppedByStrict {
                printDiagnostics(stopped.problems)
                throw ExitCode(2)
            }
            printDiagnostics(outcome.problems)
            // Tables and summaries go to standard error when the PDF is the standard output.
            let say = job.toStandardOutput ? FileHandle.standardError : FileHandle.standardOutput
            if fitReport { say.write(Data(Preflight.fitTable(outcome.fit).utf8)) }
            if job.toStandardOutput {
                FileHandle.standardOutput.write(try outcome.takeScratchPDF())
                say.write(Data("wrote the PDF to standard output\(outcome.summary)\n".utf8))
            } else {
                Console.status("wrote \(outcome.pdf)\(pdfx == 4 ? " (PDF/X-4)" : job.print ? " (CMYK PDF/X-3)" : "")\(outcome.summary)")
            }
        }
    }
}
