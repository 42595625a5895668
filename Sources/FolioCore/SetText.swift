/// Typeset text as values: the seam between FolioText (which shapes and breaks with Pango) and
/// the stages after it. No C object crosses it; fonts travel as `FontRef`s (a file and a size)
/// that a renderer opens itself.
#if canImport(Glibc)
import Glibc   // memcmp
#endif

/// A font face at a size: enough for any backend to draw the same glyphs.
public struct FontRef: Hashable, Sendable {
    public var file: String
    public var index: Int
    public var size: Pt
    public init(file: String, index: Int, size: Pt) { self.file = file; self.index = index; self.size = size }
}

/// One glyph, positioned relative to the start of its line on the baseline.
public struct PlacedGlyph: Hashable, Sendable {
    public var id: UInt32
    public var x: Pt
    public var y: Pt
    public init(id: UInt32, x: Pt, y: Pt) { self.id = id; self.x = x; self.y = y }
}

/// How many UTF-8 bytes of a run's text map to how many of its glyphs, in order (for PDF text
/// extraction, like `cairo_text_cluster_t`).
public struct ClusterMap: Hashable, Sendable {
    public var bytes: Int
    public var glyphs: Int
    public init(bytes: Int, glyphs: Int) { self.bytes = bytes; self.glyphs = glyphs }
}

/// Glyphs of one font and colour, with the text they show.
public struct GlyphRun: Hashable, Sendable {
    public var font: FontRef
    public var color: Color
    public var glyphs: [PlacedGlyph]
    public var text: String
    public var clusters: [ClusterMap]
    /// In a vertical line, glyphs that stay upright (Han and full-width marks, mlreq M2),
    /// each turned back about the centre of its em box.
    public var upright = false
    /// Right-to-left run: `glyphs` are in visual order, `text` and `clusters` in logical order, so
    /// the first cluster maps to the last glyphs (Cairo's backward cluster flag).
    public var backward = false
    /// Where the run's text starts in its paragraph (unicode scalars), to read a line's runs in
    /// logical order whatever their visual order.
    public var logicalStart = 0
    public init(font: FontRef, color: Color, glyphs: [PlacedGlyph], text: String, clusters: [ClusterMap],
                upright: Bool = false, backward: Bool = false, logicalStart: Int = 0) {
        self.font = font; self.color = color; self.glyphs = glyphs; self.text = text; self.clusters = clusters
        self.upright = upright; self.backward = backward; self.logicalStart = logicalStart
    }

    // The text by its bytes (see `StyledText`).
    public static func == (a: GlyphRun, b: GlyphRun) -> Bool {
        a.font == b.font && a.color == b.color && a.glyphs == b.glyphs && a.clusters == b.clusters && a.upright == b.upright
            && a.backward == b.backward && a.logicalStart == b.logicalStart && sameBytes(a.text, b.text)
    }
    public func hash(into h: inout Hasher) {
        h.combine(font); h.combine(color); h.combine(glyphs); h.combine(clusters)
        h.combine(upright); h.combine(backward); h.combine(logicalStart)
        hashBytes(of: text, into: &h)
    }
}

/// Whether two strings are the same UTF-8 bytes, compared at once (`elementsEqual` on their
/// UTF-8 views went byte by byte: a typesetter's lookups of the paragraphs it shaped compare
/// whole paragraphs).
@inline(__always) public func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var a = a, b = b
    return a.withUTF8 { pa in b.withUTF8 { pb in pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0 } }
}

/// Feeds a string's UTF-8 bytes to `h` (no Unicode normalisation, unlike `String.hash(into:)`).
@inline(__always) public func hashBytes(of s: String, into h: inout Hasher) {
    var s = s
    s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    h.combine(s.utf8.count)
}

/// A finished line: glyph runs positioned from its start, and the source text it covers.
public struct SetLine: Hashable, Sendable {
    public var runs: [GlyphRun]
    /// The advance from the line start to the end of its last glyph.
    public var width: Pt
    public var ascent: Pt
    public var descent: Pt
    /// The unicode-scalar range of the paragraph text this line shows (spaces at a break included).
    public var range: Range<Int>
    /// The links on the line (a Markdown link's text, a web or e-mail address printed in the
    /// text), where they are: the PDF makes them clickable.
    public var links: [LineLink] = []
    /// Set only on a justified line whose ideographs stand visibly apart (`LooseLine`).
    public var loose: LooseLine?
    public init(runs: [GlyphRun], width: Pt, ascent: Pt, descent: Pt, range: Range<Int>) {
        self.runs = runs; self.width = width; self.ascent = ascent; self.descent = descent; self.range = range
    }

    /// Where its leftmost glyph stands from the line start: the blank before the text of a
    /// right-to-left line (its width runs from the start), below 0 where an opening mark's blank
    /// half hangs before the line (clreq C9).
    public var firstGlyphX: Pt { runs.flatMap(\.glyphs).map(\.x).min() ?? 0 }

    /// The line's text in logical order.
    public var text: String { runsInReadingOrder.map(\.text).joined() }
    /// The runs in logical (reading) order, whatever their order on the line (a right-to-left
    /// line's runs are kept in visual order): how the text reads, and how the PDF draws them so
    /// that its text layer reads the same.
    public var runsInReadingOrder: [GlyphRun] {
        if zip(runs, runs.dropFirst()).allSatisfy({ $0.logicalStart <= $1.logicalStart }) { return runs }
        return runs.enumerated().sorted { ($0.element.logicalStart, $0.offset) < ($1.element.logicalStart, $1.offset) }.map(\.element)
    }
}

/// A justified line letterspaced so that a reader sees it — its ideographs 0.10 em or more apart
/// (pdfcheck's "very loose") — and the paragraph it is from: what the composer reports of the
/// lines it printed, for the editor to reword (a Latin word or a number that cannot break, a
/// run of dashes, a narrow column).
public struct LooseLine: Hashable, Sendable {
    /// The space added between two ideographs, in ems.
    public var letterspacing: Double
    public var location: SourceLocation
    /// From what a reader sees letterspacing (pdfcheck 1.2's `very_loose`).
    public static let visible = 0.10
    public init(letterspacing: Double, location: SourceLocation) { self.letterspacing = letterspacing; self.location = location }
}

/// A piece of a line that is a link (a link's text, a web or e-mail address printed in the text,
/// or the part of one on this line): from `start` to `end` along the line, from its origin.
public struct LineLink: Hashable, Sendable {
    public var start: Pt
    public var end: Pt
    /// Where it goes: `https://…`, `mailto:…`; `#article-3`, the named destination of an
    /// article's first page (`ArticleLinks`: until the issue composer places the page, the
    /// article link the reader made).
    public var uri: String
    public init(start: Pt, end: Pt, uri: String) { self.start = start; self.end = end; self.uri = uri }
}

/// A paragraph to set: its text, style, and where it came from.
public struct ParagraphInput: Hashable, Sendable {
    public var text: StyledText
    public var style: ParagraphStyle
    /// Language tag (BCP 47), choosing the language rules and fonts.
    public var language: String
    public var location: SourceLocation
    /// Whether the first line is indented (a paragraph continuing after a figure is not).
    public var indentFirstLine: Bool
    /// Set for vertical lines (nil: as the language is written).
    public var vertical: Bool? = nil
    /// −1: in as few lines as the breaker can (TeX's `\looseness=-1`; the flow asks for it to
    /// make room for a heading and the lines it keeps); 0: the best-looking breaks; +1: in one
    /// line more, when no line then opens visibly (to fill a column a heading leaves).
    public var looseness = 0
    /// How far in the lines after the first start (their measure that much shorter): a wrapped
    /// line of code hangs under its own start (`CodeText`).
    public var hanging: Pt = 0
    /// Lines run left to right whatever the language's direction: code, which a program reads so
    /// in a right-to-left article too.
    public var leftToRight = false
    public init(text: StyledText, style: ParagraphStyle, language: String, location: SourceLocation, indentFirstLine: Bool = true) {
        self.text = text; self.style = style; self.language = language; self.location = location
        self.indentFirstLine = indentFirstLine
    }
}

/// A set paragraph: its lines and anything the typesetter had to report (uncovered characters…).
public struct SetParagraph: Hashable, Sendable {
    public var lines: [SetLine]
    public var diagnostics: [Diagnostic]
    public init(lines: [SetLine], diagnostics: [Diagnostic] = []) { self.lines = lines; self.diagnostics = diagnostics }
}

/// Shapes and breaks paragraphs into lines of a given measure. FolioText implements it with
/// Pango; tests use a fixed-pitch double. One instance per thread (Pango is not thread-safe).
public protocol Typesetter: AnyObject {
    func set(_ paragraph: ParagraphInput, measure: Pt) -> SetParagraph
}
