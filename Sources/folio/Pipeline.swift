/// The stages wired together for one input: read → compose → write.
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import FolioText
import Foundation

struct Pipeline {
    /// Layout threads beside the main thread, which numbers, decorates and writes pages: one
    /// fewer than the cores, so the machine is busy without a third copy of the fonts in memory.
    static let layoutWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)

    let fontConfig: String
    let templatePath: String
    let fonts: FontSystem
    let template: Template
    let typesetter: PangoTypesetter
    /// Cairo fonts and images, kept across the PDFs this pipeline writes.
    let resources = RenderResources()
    var verify = false
    var maxPagesPerArticle = 2000

    init(fontConfig: String, templatePath: String, common: CommonOptions? = nil) throws {
        verify = common?.verify ?? false
        maxPagesPerArticle = common?.maxPages ?? 2000
        self.fontConfig = fontConfig
        self.templatePath = templatePath
        fonts = try FontSystem(configFile: fontConfig)
        template = try Resources.loadTemplate(templatePath, fonts: fonts)
        typesetter = PangoTypesetter(fonts: fonts, template: template)
    }

    /// Composes `issue` with `workers` threads laying out articles (each with its own font
    /// system) while this thread numbers the pages and passes them to `onPage` in order.
    func compose(_ issue: Issue, workers: Int, firstPage: Int = 1, keepPages: Bool = false, contents: Bool = false,
                 onPage: (Page) throws -> Void) throws -> ComposedIssue {
        var composer = IssueComposer(template: template, typesetter: typesetter, contents: contents)
        composer.verify = verify
        composer.maxPagesPerArticle = maxPagesPerArticle
        let config = fontConfig, template = self.template
        return try composer.composeInParallel(issue, workers: workers, firstPage: firstPage, keepPages: keepPages, makeTypesetter: {
            PangoTypesetter(fonts: try FontSystem(configFile: config), template: template)
        }, onPage: onPage)
    }

    /// Every file this run reads for `loaded` (from `input`): the input, its articles and
    /// images, the template and the font configuration. No output may replace one of them.
    func inputs(of loaded: LoadedIssue, input: String, extra: [String] = []) -> InputSet {
        var set = InputSet()
        for f in [input, templatePath, fontConfig] + loaded.issue.sourceFiles + extra { set.add(file: f) }
        return set
    }

    /// Reads `input` and builds the pipeline for it, loading the template once: a manifest may
    /// name the template, so it is read first; an archived web article needs the template's
    /// archive settings to be read, so the pipeline comes first.
    static func open(_ input: String, options: InputOptions, common: CommonOptions) throws -> (issue: LoadedIssue, pipeline: Pipeline) {
        let fonts = try Resources.fontConfig(common)
        if input.lowercased().hasSuffix(".txt") {
            let pipeline = try Pipeline(fontConfig: fonts, templatePath: Resources.templatePath(common), common: common)
            return (try loadIssue(input, options: options, archive: pipeline.template.archive), pipeline)
        }
        let loaded = try loadIssue(input, options: options)
        let pipeline = try Pipeline(fontConfig: fonts, templatePath: Resources.templatePath(common, manifestTemplate: loaded.templatePath), common: common)
        return (loaded, pipeline)
    }

    /// An input file as an issue: a manifest (`.yaml`/`.yml`), one Markdown article, or one
    /// archived web article (`.txt`, read with the template's `archive` settings) — an issue of one.
    static func loadIssue(_ input: String, options: InputOptions, archive: ArchiveSettings = ArchiveSettings()) throws -> LoadedIssue {
        let ext = URL(fileURLWithPath: input).pathExtension.lowercased()
        if let problem = RegularFile.problem(input) { throw FolioError(problem) }
        if ext == "yaml" || ext == "yml" { return try ManifestLoader.load(path: input, options: options) }
        let a: Article, warnings: [Diagnostic]
        switch ext {
        case "md", "markdown":
            let loaded = try ArticleLoader.load(path: input, options: options)
            (a, warnings) = (loaded.article, loaded.warnings)
        case "txt":
            var lenient = options
            lenient.allowMissingImages = true   // archives often lack their images: placeholders, reported
            let loaded = try WebArchiveReader.load(path: input, settings: archive, options: lenient)
            (a, warnings) = (loaded.article, loaded.warnings)
        default:
            throw FolioError("\(input): expected an issue manifest (.yaml), a Markdown article (.md) or an archived web article (.txt)")
        }
        let issue = Issue(magazine: "", label: "", date: a.meta.date,
                          sections: [Section(title: a.meta.kicker ?? "", articles: [a])])
        return LoadedIssue(issue: issue, templatePath: nil, warnings: warnings)
    }

    /// Composes `issue` and streams its pages into a PDF at `output` (atomically).
    /// Composes `issue` and streams it into a PDF at `output`, with an outline, and a contents page
    /// at the front when the issue has more than one article.
    func renderPDF(_ issue: Issue, to output: String, date: String, workers: Int = Pipeline.layoutWorkers,
                   options: PDFOptions = PDFOptions(), strict: [Diagnostic]? = nil) throws -> ComposedIssue {
        try createParent(of: output)
        let title = issue.articles.count == 1 ? issue.articles[0].meta.title : [issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: " ")
        var info = DocumentInfo(title: title, author: issue.publisher ?? issue.articles.first?.meta.author, subject: issue.label, date: date)
        info.keywords = issue.sections.map(\.title).filter { !$0.isEmpty }.joined(separator: ", ")
        let writer = try PDFWriter(path: output, info: info, options: options, resources: resources)
        let composed = try compose(issue, workers: workers, contents: issue.articles.count > 1) { try writer.write($0) }
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
        try writer.finish(moveLastToFront: composed.frontMatter.count)
        return composed
    }
}

func createParent(of path: String) throws {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
        throw FolioError("cannot create the folder \(dir): \(error.localizedDescription)")
    }
}

/// The PDF's creation date: `SOURCE_DATE_EPOCH` if set, else the issue's date, else a fixed one,
/// so two runs on the same input give the same bytes.
func documentDate(issueDate: String?) -> String {
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
