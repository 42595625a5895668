/// The Folio library: the stages wired together for one input — read → compose → write — the
/// entry point every front end calls (the `folio` command line; a preview server or any Swift
/// program the same way):
///
///     let (loaded, pipeline) = try Pipeline.open("issue.yaml", setup: Setup())
///     let composed = try pipeline.renderPDF(loaded.issue, to: "issue.pdf", date: documentDate(issueDate: loaded.issue.date))
///     let preview = try pipeline.preview(loaded, article: "matouqin", page: 2)
///
/// `Pipeline` owns one font system and template; it is not thread-safe (Pango is not), but
/// composes an issue's articles on worker threads of its own.
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import FolioText
import Foundation

/// What every run shares: where the template and fonts are, and how inputs are read.
public struct Setup: Sendable {
    /// A template file (nil: the manifest's, else Folio's `layouts/magazine-16k.yaml`).
    public var template: String?
    /// A folder with `fonts.conf`, or the file (nil: Folio's `fonts/`).
    public var fonts: String?
    public var input = InputOptions()
    /// Check every paragraph's set text against its source (`--verify`).
    public var verify = false
    /// The most pages one article may take before it is reported as overset.
    public var maxPages = 2000
    public init() {}
}

public struct Pipeline {
    /// Layout threads beside the main thread, which numbers, decorates and draws pages: one per
    /// core. (One fewer left composition — the longest part — on one core of two: 518 pages
    /// composed in 1.5 s instead of 1.0 s, for 3 MB less memory.)
    public static let layoutWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public let fontConfig: String
    public let templatePath: String
    public let fonts: FontSystem
    public let template: Template
    public let typesetter: PangoTypesetter
    /// Cairo fonts and images, kept across the PDFs this pipeline writes.
    let resources = RenderResources()
    public var verify = false
    public var maxPagesPerArticle = 2000

    public init(fontConfig: String, templatePath: String, setup: Setup = Setup()) throws {
        verify = setup.verify
        maxPagesPerArticle = setup.maxPages
        self.fontConfig = fontConfig
        self.templatePath = templatePath
        fonts = try FontSystem(configFile: fontConfig)
        template = try Resources.loadTemplate(templatePath, fonts: fonts)
        typesetter = PangoTypesetter(fonts: fonts, template: template)
    }

    /// Composes `issue` with `workers` threads laying out articles (each with its own font
    /// system) while this thread numbers the pages and passes them to `onPage` in order —
    /// `helping`: and lays out, with the pipeline's typesetter, what it would wait for (previews).
    public func compose(_ issue: Issue, workers: Int, firstPage: Int = 1, keepPages: Bool = false, contents: Bool = false,
                 articlesInIssue: Int? = nil, runOnHints: [String: Int] = [:], helping: Bool = false,
                 onPage: (Page) throws -> Void) throws -> ComposedIssue {
        var composer = IssueComposer(template: template, typesetter: typesetter, contents: contents)
        composer.articlesInIssue = articlesInIssue
        composer.runOnHints = runOnHints
        composer.verify = verify
        composer.maxPagesPerArticle = maxPagesPerArticle
        let config = fontConfig, template = self.template
        return try composer.composeInParallel(issue, workers: workers, firstPage: firstPage, keepPages: keepPages, helping: helping, makeTypesetter: {
            PangoTypesetter(fonts: try FontSystem(configFile: config), template: template)
        }, onPage: onPage)
    }

    /// Every file this run reads for `loaded` (from `input`): the input, its articles and
    /// images, the template and the font configuration. No output may replace one of them.
    public func inputs(of loaded: LoadedIssue, input: String, extra: [String] = []) -> InputSet {
        var set = InputSet()
        for f in [input, templatePath, fontConfig] + loaded.issue.sourceFiles + extra { set.add(file: f) }
        return set
    }

    /// Reads `input` and builds the pipeline for it, loading the template once: a manifest may
    /// name the template, so it is read first; an archived web article needs the template's
    /// archive settings to be read, so the pipeline comes first.
    public static func open(_ input: String, setup: Setup) throws -> (issue: LoadedIssue, pipeline: Pipeline) {
        let fonts = try Resources.fontConfig(setup.fonts)
        if input.lowercased().hasSuffix(".txt") {
            let pipeline = try Pipeline(fontConfig: fonts, templatePath: Resources.templatePath(setup.template), setup: setup)
            return (try loadIssue(input, options: setup.input, archive: pipeline.template.archive), pipeline)
        }
        let loaded = try loadIssue(input, options: setup.input)
        let pipeline = try Pipeline(fontConfig: fonts, templatePath: Resources.templatePath(setup.template, manifestTemplate: loaded.templatePath), setup: setup)
        return (loaded, pipeline)
    }

    /// A Markdown article given as bytes (standard input), its images relative to `base`: read
    /// as a file is (`InputFile.text`: invalid UTF-8 is a located error, CRLF line ends are folded).
    public static func open(markdown bytes: [UInt8], base: String, setup: Setup) throws -> (issue: LoadedIssue, pipeline: Pipeline) {
        let pipeline = try Pipeline(fontConfig: Resources.fontConfig(setup.fonts), templatePath: Resources.templatePath(setup.template), setup: setup)
        let path = (RegularFile.resolved(base) as NSString).appendingPathComponent("<stdin>")
        let loaded = try ArticleLoader.parse(try InputFile.text(bytes, path: path), path: path, options: setup.input)
        let issue = Issue(magazine: "", label: "", date: loaded.article.meta.date,
                          sections: [Section(title: loaded.article.meta.kicker ?? "", articles: [loaded.article])])
        return (LoadedIssue(issue: issue, templatePath: nil, warnings: loaded.warnings), pipeline)
    }

    /// An input file as an issue: a manifest (`.yaml`/`.yml`), one Markdown article, or one
    /// archived web article (`.txt`, read with the template's `archive` settings) — an issue of one.
    /// Where Word articles are converted; on first use (once per process, not per article of a
    /// batch) the folders of runs that have ended are removed (each is named after its process).
    private static let wordScratch: String = {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("folio-word-\(getuid())")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            if let pid = name.split(separator: "-").last.flatMap({ Int32($0) }), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
            }
        }
        return root
    }()

    /// Whether `input` is an issue manifest (`.yaml`, `.yml`) rather than one article.
    public static func isManifest(_ input: String) -> Bool { ["yaml", "yml"].contains(URL(fileURLWithPath: input).pathExtension.lowercased()) }

    /// - Parameter only: of a manifest, read just the articles whose path passes (see `ManifestLoader.load`).
    public static func loadIssue(_ input: String, options: InputOptions, archive: ArchiveSettings = ArchiveSettings(),
                                 only: ((String) -> Bool)? = nil, wholeSections: Bool = false) throws -> LoadedIssue {
        let ext = URL(fileURLWithPath: input).pathExtension.lowercased()
        if let problem = RegularFile.problem(input) { throw FolioError(problem) }
        if isManifest(input) { return try ManifestLoader.load(path: input, options: options, only: only, wholeSections: wholeSections) }
        let a: Article, warnings: [Diagnostic]
        switch ext {
        case "md", "markdown":
            let loaded = try ArticleLoader.load(path: input, options: options)
            (a, warnings) = (loaded.article, loaded.warnings)
        case "docx":
            // Through pandoc into a Markdown article in a scratch folder of this file's own (its
            // images are read from there when the pages are drawn); messages name the Word file.
            let scratch = (Self.wordScratch as NSString).appendingPathComponent("\(abs(input.hashValue))-\(getpid())")
            let (md, notes) = try WordImporter.importArticle(input, into: scratch)
            let loaded = try ArticleLoader.parse(try InputFile.readText(md), path: input, options: options, imagesFolder: scratch)
            (a, warnings) = (loaded.article, notes + loaded.warnings)
        case "txt":
            var lenient = options
            lenient.allowMissingImages = true   // archives often lack their images: placeholders, reported
            let loaded = try WebArchiveReader.load(path: input, settings: archive, options: lenient)
            (a, warnings) = (loaded.article, loaded.warnings)
        default:
            throw FolioError("\(input): expected an issue manifest (.yaml), a Markdown article (.md), a Word article (.docx) or an archived web article (.txt)")
        }
        let issue = Issue(magazine: "", label: "", date: a.meta.date,
                          sections: [Section(title: a.meta.kicker ?? "", articles: [a])])
        return LoadedIssue(issue: issue, templatePath: nil, warnings: warnings)
    }

    /// Composes `issue` and streams it into a PDF at `output` (atomically), with an outline, and
    /// the covers and a contents page (when the issue has more than one article) at the front.
    /// `strict`: the reading warnings, which with the composition's make the render fail.
    public func renderPDF(_ issue: Issue, to output: String, date: String, workers: Int = Pipeline.layoutWorkers,
                   options: PDFOptions = PDFOptions(), strict: [Diagnostic]? = nil) throws -> ComposedIssue {
        try createParent(of: output)
        let writer = try PDFWriter(path: output, info: Self.documentInfo(issue, date: date), options: options, resources: resources)
        var composed = try compose(issue, workers: workers, contents: issue.articles.count > 1) { try writer.write($0) }
        if composed.diagnostics.contains(where: { $0.severity == .error }) { throw FolioError(composed.diagnostics) }
        if let earlier = strict {
            // --strict: every warning is an error; the unfinished PDF is discarded.
            let warnings = (earlier + composed.diagnostics).filter { $0.severity == .warning }
            if !warnings.isEmpty {
                throw FolioError(warnings.map { Diagnostic(.error, $0.message + " (--strict)", at: $0.location, code: $0.code) })
            }
        }
        for page in composed.frontMatter { try writer.write(page) }
        writer.addOutline(composed.outline)
        writer.destinationTitles = composed.destinationTitles
        try writer.finish(moveLastToFront: composed.frontMatter.count)
        composed.diagnostics += writer.notes.map { Diagnostic(.warning, $0) }
        return composed
    }

    /// Writes an issue composed with its pages kept (the live session's), exactly as
    /// `renderPDF` writes it while composing: the same pages in the same order, the same info.
    public func writePDF(_ composed: ComposedIssue, of issue: Issue, to output: String, options: PDFOptions = PDFOptions()) throws {
        try createParent(of: output)
        let writer = try PDFWriter(path: output, info: Self.documentInfo(issue, date: documentDate(issueDate: issue.date)),
                                   options: options, resources: resources)
        for page in composed.pages + composed.frontMatter { try writer.write(page) }
        writer.addOutline(composed.outline)
        writer.destinationTitles = composed.destinationTitles
        try writer.finish(moveLastToFront: composed.frontMatter.count)
    }

    /// The PDF's title, author, subject and keywords: section titles, then the articles' tags
    /// and categories (front matter, as Hugo keeps them), once each.
    static func documentInfo(_ issue: Issue, date: String) -> DocumentInfo {
        var info = DocumentInfo(title: issue.documentTitle, author: issue.publisher ?? issue.articles.first?.meta.author, subject: issue.label, date: date)
        var words: [String] = []
        for w in issue.sections.map(\.title) + issue.articles.flatMap({ $0.meta.tags + $0.meta.categories }) where !w.isEmpty && !words.contains(w) {
            words.append(w)
        }
        info.keywords = words.joined(separator: ", ")
        // The issue's language: its first article's (a bilingual edition's other language is its articles' own).
        info.language = issue.articles.first?.meta.language
        for a in issue.articles where a.meta.language != info.language { info.articleLanguages[a.id] = a.meta.language }
        return info
    }
}

/// How `render` writes an issue: marks, strictness, and the print variant.
public struct RenderRequest: Sendable {
    /// Crop and bleed marks on a slug around every page.
    public var marks = false
    /// Every reading or composing warning is an error: no PDF is written.
    public var strict = false
    /// The CMYK output profile of the print variant (PDF/X-3 through Ghostscript), nil for the screen PDF.
    public var printProfile: String?
    /// The print variant as PDF/X-4, made by Folio (tagged, text and vectors as drawn, RGB
    /// images colour-managed) rather than PDF/X-3 through Ghostscript.
    public var pdfx4 = false
    /// Linearized for reading online (`--web`; the print variant is Ghostscript's and is not).
    public var web = false
    public init(marks: Bool = false, strict: Bool = false) { self.marks = marks; self.strict = strict }
}

extension Pipeline {
    /// Renders `loaded` to `output` as `request` asks: the screen PDF, or the print variant
    /// (links left out, as PDF/X wants, flat colours as inks): PDF/X-4 written directly, or
    /// PDF/X-3 drawn to a hidden file first, then converted by Ghostscript.
    public func render(_ loaded: LoadedIssue, to output: String, _ request: RenderRequest) throws -> ComposedIssue {
        let print = request.printProfile != nil
        let viaGhostscript = print && !request.pdfx4
        let target = viaGhostscript ? AtomicFile.temporaryPath(for: output) + ".rgb.pdf" : output
        defer { if viaGhostscript { unlink(target) } }
        var options = PDFOptions(marks: request.marks, links: !print, forPrint: print, linearize: request.web && !print)
        // Both standards: flat colours as the profile's inks, black overprinting (PrintX4.swift).
        if let profile = request.printProfile { (options.printIntent, options.pdfx4) = (try PrintIntent(profilePath: profile), request.pdfx4) }
        let composed = try renderPDF(loaded.issue, to: target, date: documentDate(issueDate: loaded.issue.date),
                                     options: options, strict: request.strict ? loaded.warnings : nil)
        if let profile = request.printProfile, viaGhostscript {
            try PrintConverter.convert(target, to: output, title: loaded.issue.documentTitle, profile: profile)
        }
        return composed
    }
}

/// Creates the folder `path` goes in.
public func createParent(of path: String) throws {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
        throw FolioError("cannot create the folder \(dir): \(error.localizedDescription)")
    }
}

/// The PDF's creation date: `SOURCE_DATE_EPOCH` if set, else the issue's date, else a fixed one,
/// so two runs on the same input give the same bytes.
public func documentDate(issueDate: String?) -> String {
    if let e = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let secs = Double(e) {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: secs))
    }
    if let text = issueDate, let d = CalendarDate(text) {
        return "\(d.year)-\(d.month < 10 ? "0" : "")\(d.month)-\(String(format: "%02d", d.day ?? 1))T00:00:00"
    }
    return "2000-01-01T00:00:00"
}
