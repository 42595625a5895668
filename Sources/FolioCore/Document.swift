/// The document model: what editors wrote, independent of how it is laid out.
/// An `Issue` holds sections of `Article`s; an article is front matter plus `Block`s.

/// Inline style of a span of text. Character styles by role, resolved to fonts by the template.
public enum InlineStyle: String, Hashable, Sendable {
    case regular, emphasis, strong, code
}

/// One styled run inside a `StyledText`, as a range of the text's unicode scalars.
public struct StyledSpan: Hashable, Sendable {
    public var range: Range<Int>
    public var style: InlineStyle
    public init(range: Range<Int>, style: InlineStyle) { self.range = range; self.style = style }
}

/// Text that is a link (Markdown's `[text](https://…)`), as a range of the text's unicode scalars.
public struct LinkSpan: Hashable, Sendable {
    public var range: Range<Int>
    /// Where it goes, as written: `https://…`, `mailto:…`.
    public var target: String
    public init(range: Range<Int>, target: String) { self.range = range; self.target = target }
}

/// Paragraph-level text: the characters and the inline styles over them.
/// Offsets everywhere in Folio count unicode scalars of `string`.
public struct StyledText: Hashable, Sendable {
    public private(set) var string: String
    /// Non-overlapping, sorted spans; text not covered by a span is `.regular`.
    public var spans: [StyledSpan]
    /// The links over the text, sorted, not overlapping (the PDF makes them clickable).
    public var links: [LinkSpan] = []
    /// Number of unicode scalars in `string` (kept, not recounted: appending stays O(1)).
    public private(set) var scalarCount: Int
    public init(_ string: String, spans: [StyledSpan] = []) {
        self.string = string; self.spans = spans; scalarCount = string.unicodeScalars.count
    }

    public var isBlank: Bool { string.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }

    // Equal and hashed by their bytes, not by Unicode canonical equivalence: text set from
    // different bytes is different text, and hashing bytes skips the normalisation that made
    // `String`'s hash the live preview's largest cost (paragraph memo, page hashes).
    public static func == (a: StyledText, b: StyledText) -> Bool {
        a.scalarCount == b.scalarCount && a.spans == b.spans && a.links == b.links && sameBytes(a.string, b.string)
    }
    public func hash(into h: inout Hasher) {
        h.combine(scalarCount); h.combine(spans); h.combine(links)
        hashBytes(of: string, into: &h)
    }

    /// `string` in place of the text, with the spans and links moved by `offset` (an old scalar
    /// offset → its new one; `endOffset`, if given, for their ends); those left empty are dropped.
    public func replacingString(with string: String, offset: (Int) -> Int, endOffset: ((Int) -> Int)? = nil) -> StyledText {
        func moved(_ r: Range<Int>) -> Range<Int>? {
            let lo = offset(r.lowerBound), hi = endOffset.map { $0(r.upperBound) } ?? offset(r.upperBound)
            return hi > lo ? lo..<hi : nil
        }
        var out = StyledText(string, spans: spans.compactMap { s in moved(s.range).map { StyledSpan(range: $0, style: s.style) } })
        out.links = links.compactMap { l in moved(l.range).map { LinkSpan(range: $0, target: l.target) } }
        return out
    }

    /// The text without its first `n` scalars (and leading spaces after them), spans shifted.
    public func droppingPrefix(scalars n: Int) -> StyledText {
        var scalars = Array(string.unicodeScalars.dropFirst(n))
        var cut = n
        while let f = scalars.first, f == " " { scalars.removeFirst(); cut += 1 }
        return replacingString(with: String(String.UnicodeScalarView(scalars))) { max(0, $0 - cut) }
    }

    /// Appends text in a style, merging with the previous span when the style is the same.
    public mutating func append(_ text: String, style: InlineStyle = .regular) {
        let start = scalarCount
        string += text
        scalarCount += text.unicodeScalars.count
        let end = scalarCount
        guard end > start, style != .regular else { return }
        if let last = spans.last, last.style == style, last.range.upperBound == start {
            spans[spans.count - 1].range = last.range.lowerBound..<end
        } else {
            spans.append(StyledSpan(range: start..<end, style: style))
        }
    }
}

/// An image placed in an article, with its caption.
/// Where a figure goes: in the column where it is mentioned (or the next), at the top or the
/// foot of a column, across all columns at the top of a page, or on a page of its own to the bleed.
public enum FigurePlacement: String, Hashable, Sendable, CaseIterable {
    /// Where it is mentioned (`column`), at the top of a column, at the foot of one.
    case column, top, bottom, span
    case fullBleed = "full-bleed"
}

public struct Figure: Hashable, Sendable {
    public var path: String
    public var caption: StyledText
    public var image: ImageInfo?
    public var location: SourceLocation
    public var placement: FigurePlacement
    /// May be left out to fit the article's page budget (`![说明](a.jpg "optional")`).
    public var optional = false
    public init(path: String, caption: StyledText, image: ImageInfo?, location: SourceLocation, placement: FigurePlacement = .column) {
        self.path = path; self.caption = caption; self.image = image; self.location = location; self.placement = placement
    }
}

/// What Folio knows about an image file without decoding it.
public struct ImageInfo: Hashable, Sendable {
    /// JPEG, PNG, GIF (first frame), WebP and TIFF are raster; SVG and a PDF page are drawn as
    /// vectors (their size is their intrinsic size in points).
    public enum Format: String, Sendable { case jpeg, png, svg, gif, webp, tiff, pdf }
    public var path: String
    public var format: Format
    /// The size as the image is seen: after the EXIF orientation (a portrait photo stored on its
    /// side is taller than wide here).
    public var pixelWidth: Int
    public var pixelHeight: Int
    /// The EXIF orientation (1–8; 1: as stored): how the stored pixels turn to be seen.
    public var orientation = 1
    /// The page of a PDF graphic (`map.pdf#page=2`), from 1.
    public var page = 1
    /// A TIFF with more pages than the first, which is the one placed (a warning says so).
    public var hasMorePages = false
    /// The file the editor gave when `path` is a conversion of it (an EPS, placed as the PDF
    /// Ghostscript makes of it): that file is the input to watch and never to overwrite.
    public var convertedFrom: String?
    public init(path: String, format: Format, pixelWidth: Int, pixelHeight: Int) {
        self.path = path; self.format = format; self.pixelWidth = pixelWidth; self.pixelHeight = pixelHeight
    }
    /// Whether the stored image is turned a quarter (EXIF 5–8): stored width and height swap.
    public var quarterTurned: Bool { (5...8).contains(orientation) }
    public var isVector: Bool { format == .svg || format == .pdf }
}

/// A simple table: a header row, body rows, and an alignment per column.
public struct Table: Hashable, Sendable {
    public enum ColumnAlignment: String, Hashable, Sendable { case start, center, end }
    public var header: [String]
    public var rows: [[String]]
    public var alignments: [ColumnAlignment]
    public var location: SourceLocation
    public init(header: [String], rows: [[String]], alignments: [ColumnAlignment], location: SourceLocation) {
        self.header = header; self.rows = rows; self.alignments = alignments; self.location = location
    }
    public var columnCount: Int { max(header.count, rows.map(\.count).max() ?? 0) }
}

/// A block of an article body.
public indirect enum Block: Hashable, Sendable {
    case heading(level: Int, text: StyledText, location: SourceLocation)
    case paragraph(StyledText, location: SourceLocation)
    case quote([Block], location: SourceLocation)
    case list(ordered: Bool, items: [[Block]], location: SourceLocation)
    case figure(Figure)
    case rule(location: SourceLocation)
    /// A framed, tinted box (a notice, a sidebar, publisher boilerplate kept as a box).
    case box(title: String?, [Block], location: SourceLocation)
    case table(Table)
    /// A pull quote: a short passage set large between rules, kept whole. An optional one
    /// (`> [!pull optional]`) may be left out to fit the article's page budget.
    case pullQuote(StyledText, optional: Bool, location: SourceLocation)
    /// Code (a fenced or indented Markdown code block): its lines as written, spaces and all.
    case code(String, location: SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .heading(_, _, let l), .paragraph(_, let l), .quote(_, let l), .list(_, _, let l), .rule(let l), .box(_, _, let l): return l
        case .figure(let f): return f.location
        case .table(let t): return t.location
        case .pullQuote(_, _, let l), .code(_, let l): return l
        }
    }
}

/// Front matter of an article.
public struct ArticleMeta: Hashable, Sendable {
    public var title: String = ""
    public var kicker: String?
    public var deck: String?
    public var author: String?
    public var date: String?
    public var source: String?
    public var editor: String?
    public var language: String = "zh-Hans"
    public var variant: String?
    /// `horizontal-tb`, `vertical-rl` (vertical Chinese) or `vertical-lr` (traditional
    /// Mongolian); nil: the language's own (vertical-lr for Mongolian, else horizontal).
    public var declaredWritingMode: DeclaredWritingMode?
    /// Hugo's habits, kept: `draft: true` articles are skipped by `folio batch`; tags and
    /// categories become the PDF's keywords; `weight` and `slug` are kept for tools downstream.
    public var draft = false
    public var tags: [String] = []
    public var categories: [String] = []
    public var slug: String?
    public var weight: Int?
    public init() {}

    /// How the article's lines run and advance: the declared mode, else its language's.
    public var writingMode: WritingMode { WritingMode(language: language, declared: declaredWritingMode) }
}

/// One article: its identity, front matter and body.
public struct Article: Hashable, Sendable {
    /// Stable identifier (the file name without extension), used by `preview --article`.
    public var id: String
    public var meta: ArticleMeta
    public var blocks: [Block]
    public var location: SourceLocation
    /// The pages the manifest gives the article (`- {file: a.md, pages: 3}`), if any.
    public var budget: PageBudget?
    /// A half-page ad at the foot of the article's last page (manifest `size: half`).
    public var endAd: HalfPageAd?
    /// The manifest accepts that the article's last page is left partly empty (`ends-with-space:
    /// true`): no warning about it.
    public var endsWithSpace = false
    /// Which of `blocks` is the heading Folio put over the footnotes it gathered (`Footnotes`):
    /// its own word, printed in the article's language (`Labels.notes`), not the writer's.
    public var notesHeading: Int?
    /// The ids the writer gave headings (`## 新的变化 {#change}`), by the heading's source line.
    public var headingIDs: [Int: String] = [:]
    /// The named destinations to set at headings, by the heading's source line: those a link of
    /// the document leads to (`ArticleLinks.anchoring`).
    public var headingAnchors: [Int: String] = [:]
    public init(id: String, meta: ArticleMeta, blocks: [Block], location: SourceLocation) {
        self.id = id; self.meta = meta; self.blocks = blocks; self.location = location
    }
}

public struct Section: Hashable, Sendable {
    public var title: String
    public var articles: [Article]
    /// Bilingual pairs: the section starts on an even page, so its first article (the minority
    /// language) and the next (its Chinese version) face each other on one spread.
    public var facing = false
    /// Bilingual parallel text: articles in pairs, the first on the spread's first page and its
    /// translation on the facing page, paragraph by paragraph at the same height (implies `facing`).
    public var parallel = false
    /// Full pages (ads, inserts) among the articles, in order.
    public var inserts: [Insert] = []
    /// `flow: continuous` (news pages): each article after the first starts below the end of
    /// the one before, on the same page, under a rule, when its opening and a few lines fit there.
    public var runOn = false
    /// A run-on section taken up from its middle (a preview, `PreviewIndex`): its first article
    /// runs on from this grid line of the page before the section's first folio, under the end
    /// of an article that is not composed — as it did when the whole section was.
    public var firstRunsOnAt: Int?
    public init(title: String, articles: [Article], facing: Bool = false, parallel: Bool = false) {
        self.title = title; self.articles = articles; self.facing = facing || parallel; self.parallel = parallel
    }
}

/// A whole issue: the magazine's name and number, and its sections in order.
public struct Issue: Hashable, Sendable {
    public var magazine: String
    /// The issue label as printed, e.g. "2024年第6期".
    public var label: String
    public var date: String?
    public var publisher: String?
    public var sections: [Section]
    /// The front cover (nil: the issue starts with its contents, as an article or archive does).
    public var cover: Cover?
    public var insideFrontCover: CoverPage?
    public var insideBackCover: CoverPage?
    public var backCover: CoverPage?
    /// The imprint page's entries, in the manifest's order.
    public var imprint: [ImprintEntry] = []
    /// Pages (house ads, notices) that make up the binding's multiple before any blank page.
    public var fillers: [CoverPage] = []
    /// The issue's total pages from the manifest (`pages: 36`), if given.
    public var budget: PageBudget?
    public init(magazine: String, label: String, date: String? = nil, publisher: String? = nil, sections: [Section]) {
        self.magazine = magazine; self.label = label; self.date = date; self.publisher = publisher; self.sections = sections
    }
    public var articles: [Article] { sections.flatMap(\.articles) }

    /// The imprint goes at the foot of the contents page (as many magazines print it) when it
    /// has entries and no cover or filler page is the imprint page.
    public var imprintOnContents: Bool {
        !imprint.isEmpty && ![insideFrontCover, insideBackCover, backCover].contains(.imprint) && !fillers.contains(.imprint)
    }
}

extension Issue {
    /// The files the issue was read from: every article and every image found for a figure.
    public var sourceFiles: [String] {

        let pages: [CoverPage] = [insideFrontCover, insideBackCover, backCover].compactMap { $0 } + sections.flatMap { $0.inserts.map(\.page) } + fillers
        let pageFiles: [String] = pages.compactMap { page -> String? in
            switch page {
            case .image(let info, _): return info?.path
            case .pdf(let path, _): return path
            case .imprint: return nil
            }
        }
        return articles.flatMap { [$0.location.file] + $0.foundImageFiles } + [cover?.image?.path].compactMap { $0 } + pageFiles
    }

    /// Where the images not found would be (relative paths from their article's folder), so a
    /// live preview notices when one arrives.
    public var missingImageFiles: [String] { articles.flatMap(\.missingImageFiles) }

    /// Every figure in `blocks`, in quotes, boxes and lists too, in reading order.
    public static func figures(in blocks: [Block]) -> [Figure] {
        Block.leaves(of: blocks).compactMap { if case .figure(let f) = $0 { f } else { nil } }
    }
}

extension Block {
    /// `blocks` with each quote, box and list replaced by the blocks it holds, in reading order:
    /// every heading, paragraph, figure and the rest, wherever it stands.
    public static func leaves(of blocks: [Block]) -> [Block] {
        blocks.flatMap { b -> [Block] in
            switch b {
            case .quote(let inner, _), .box(_, let inner, _): return leaves(of: inner)
            case .list(_, let items, _): return items.flatMap { leaves(of: $0) }
            case .heading, .paragraph, .figure, .rule, .table, .pullQuote, .code: return [b]
            }
        }
    }
}

extension Article {
    /// Where the article's images not found would be, from its folder.
    public var missingImageFiles: [String] {
        Issue.figures(in: blocks).filter { $0.image == nil && !$0.path.isEmpty }.map { f -> String in
            if f.path.hasPrefix("/") { return f.path }
            let folder = location.file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            return (folder.isEmpty ? "." : folder) + "/" + (f.path.split(separator: "#").first.map(String.init) ?? f.path)
        }
    }

    /// The images of the article's figures and of its half-page ad, as found.
    public var images: [ImageInfo] { (Issue.figures(in: blocks).map(\.image) + [endAd?.image]).compactMap { $0 } }

    /// The image files the article's figures read (an EPS and the PDF made of it both).
    public var foundImageFiles: [String] { images.flatMap { [$0.path, $0.convertedFrom].compactMap { $0 } } }

    /// Every image file the article reads (found ones) or would read (missing ones).
    public var imageFiles: [String] { foundImageFiles + missingImageFiles }
}
