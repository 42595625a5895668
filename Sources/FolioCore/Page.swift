/// The page model: pages of positioned items that every backend (PDF, PNG, trace) draws the
/// same way. Coordinates are points from the top-left corner of the *media* box (trim + bleed).

/// A line of text at a position: `origin` is the left end of its baseline.
public struct TextItem: Hashable, Sendable {
    public var origin: Point
    public var line: SetLine
    /// What the line is (body, title, caption…): the style name, for tests and sidecars.
    public var role: TextRole
    /// A vertical line: the line is turned a quarter clockwise about its origin, so it runs down
    /// the page (traditional Mongolian, mlreq M1); upright runs stay upright (M2).
    public var vertical = false
    /// The table cell the line belongs to (row 0 is the header), for the tagged PDF's
    /// `Table` > `TR` > `TH`/`TD`.
    public var cell: TableCell?
    /// The line's language where it is not the document's (BCP 47): a Chinese article's entry
    /// on a Uyghur edition's contents page. The tagged PDF gives its element this `/Lang`, so a
    /// screen reader switches voices. nil: the language of the article (or document) around it.
    public var language: String?
    /// The list item the line belongs to, as deep as it is nested (0: none; 1: an item of a
    /// list in the text; 2: of a list inside an item…), and on an item's marker whether it
    /// begins its list (two lists one after the other are two): the tagged PDF's `L` > `LI` >
    /// `LBody` nesting.
    public var listDepth = 0
    public var startsList = false
    /// A table, box or pull quote that waited for the next column's head and was set on a later
    /// page than it was written on, after text that filled the column it left: on the first
    /// line drawn after the place it was written, its number (`readsAfter`), and on its own
    /// lines the same number (`waited`) — the tagged PDF reads it there, as written
    /// (`StructureTagger`, `PDFStructure`). Numbers are the article's own.
    public var readsAfter: [Int] = []
    public var waited: Int?
    public init(origin: Point, line: SetLine, role: TextRole, vertical: Bool = false, language: String? = nil, listDepth: Int = 0,
                startsList: Bool = false) {
        self.origin = origin; self.line = line; self.role = role; self.vertical = vertical; self.language = language
        self.listDepth = listDepth; self.startsList = startsList
    }
}

/// A cell of a table: its row (0: the header) and column.
public struct TableCell: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public init(row: Int, column: Int) { self.row = row; self.column = column }
}

public struct ImageItem: Hashable, Sendable {
    /// nil when the image is missing: backends draw a marked placeholder.
    public var image: ImageInfo?
    public var frame: Rect
    /// What the image shows, in words (its caption): the tagged PDF's `/Alt`.
    public var alt: String?
    /// Not part of the text, so left out of its structure like the other furniture: an ad placed
    /// on an article's page (a half-page ad), a contents entry's thumbnail (the entry's link
    /// reads the article's title).
    public var decorative = false
    public init(image: ImageInfo?, frame: Rect, alt: String? = nil, decorative: Bool = false) {
        self.image = image; self.frame = frame; self.alt = alt; self.decorative = decorative
    }
}

public struct RectItem: Hashable, Sendable {
    public var frame: Rect
    public var fill: Color?
    public var stroke: Color?
    public var lineWidth: Pt
    /// A row of `copies` such rectangles, each `step` to the right of the one before (a dotted
    /// leader): one item, drawn as one path — a contents page's leaders were 600 items a page.
    public var copies = 1
    public var step: Pt = 0
    public init(frame: Rect, fill: Color? = nil, stroke: Color? = nil, lineWidth: Pt = 0.5) {
        self.frame = frame; self.fill = fill; self.stroke = stroke; self.lineWidth = lineWidth
    }
    /// The area the row covers.
    public var extent: Rect {
        copies > 1 ? Rect(x: frame.x, y: frame.y, width: Double(copies - 1) * step + frame.width, height: frame.height) : frame
    }
}

/// A clickable area that jumps to a named destination (contents entries).
public struct LinkItem: Hashable, Sendable {
    public var frame: Rect
    public var destination: String
    public init(frame: Rect, destination: String) { self.frame = frame; self.destination = destination }
}

/// A named destination: where links and outline entries land.
public struct AnchorItem: Hashable, Sendable {
    public var name: String
    public var point: Point
    public init(name: String, point: Point) { self.name = name; self.point = point }
}

/// A retail barcode drawn as vectors (by libzint in the renderer): EAN-13 with its add-on,
/// written `9771234567003+06` (the ISSN's EAN with the two-digit add-on).
public struct BarcodeItem: Hashable, Sendable {
    /// Where the symbol goes, human-readable digits included (scaled to fit, kept in proportion).
    public var frame: Rect
    public var data: String
    public init(frame: Rect, data: String) { self.frame = frame; self.data = data }
}

/// A page of a PDF drawn into `frame` as vectors (poppler), scaled to fill it.
public struct PDFPageItem: Hashable, Sendable {
    public var frame: Rect
    public var path: String
    /// From 1.
    public var page: Int
    /// What the page is, in words (`封底`, `广告`): the tagged PDF's `/Alt`.
    public var alt: String?
    public init(frame: Rect, path: String, page: Int, alt: String? = nil) { self.frame = frame; self.path = path; self.page = page; self.alt = alt }
}

/// A closed set of things a page can show.
public enum PageItem: Hashable, Sendable {
    case text(TextItem)
    case image(ImageItem)
    case rect(RectItem)
    case link(LinkItem)
    case anchor(AnchorItem)
    case barcode(BarcodeItem)
    case pdfPage(PDFPageItem)
}

/// One finished page.
public struct Page: Hashable, Sendable {
    /// The media box: trim plus bleed on every side.
    public var size: Size
    /// The trim box inside the media box.
    public var trim: Rect
    public var items: [PageItem]
    /// The printed page number (folio).
    public var number: Int
    /// The article this page belongs to, if any.
    public var articleID: String?
    /// The lines of the article's file whose text is on the page (the live preview shows them;
    /// not part of the drawing).
    public var sourceLines: ClosedRange<Int>?
    /// Run-on articles that start on this page below the end of `articleID`'s text, in order:
    /// each one's id and the index of its first item (the tagged PDF gives each its own `Art`).
    public var runOns: [RunOnStart] = []
    public init(size: Size, trim: Rect, items: [PageItem] = [], number: Int, articleID: String? = nil) {
        self.size = size; self.trim = trim; self.items = items; self.number = number; self.articleID = articleID
    }
    public var bleed: Pt { trim.x }

    /// The page without link annotations (for PDF/X, which allows none): neither the contents
    /// page's nor the addresses' in its lines.
    public var withoutLinks: Page {
        var p = self
        p.items.removeAll { if case .link = $0 { return true } else { return false } }
        for (k, item) in p.items.enumerated() {
            if case .text(var t) = item, !t.line.links.isEmpty {
                t.line.links = []
                p.items[k] = .text(t)
            }
        }
        return p
    }
}

/// Where a second article begins on a page (`Page.runOn`).
public struct RunOnStart: Hashable, Sendable {
    public var articleID: String
    public var firstItem: Int
    public init(articleID: String, firstItem: Int) { self.articleID = articleID; self.firstItem = firstItem }
}

/// An entry of the PDF outline (bookmarks): a title, where it goes, and its children.
public struct OutlineEntry: Hashable, Sendable {
    public var title: String
    public var destination: String
    public var children: [OutlineEntry]
    public init(title: String, destination: String, children: [OutlineEntry] = []) {
        self.title = title; self.destination = destination; self.children = children
    }
}

/// Document-level information for the PDF writer.
public struct DocumentInfo: Hashable, Sendable {
    public var title: String
    public var author: String?
    public var subject: String?
    public var keywords: String?
    /// Creation date as `YYYY-MM-DDThh:mm:ss`; fixed so two runs give the same bytes.
    public var date: String
    /// The document's language (BCP 47), written as the catalog's `/Lang`.
    public var language: String?
    /// Each article's language where it is another (a bilingual edition's), by article id: its
    /// `Art` element's `/Lang`.
    public var articleLanguages: [String: String] = [:]
    public init(title: String, author: String? = nil, subject: String? = nil, date: String) {
        self.title = title; self.author = author; self.subject = subject; self.date = date
    }
}

extension PageItem {
    /// The area the item covers on the page (a text line: its ascent to its descent along its
    /// advance); nil for links and anchors, which draw nothing.
    public var bounds: Rect? {
        switch self {
        case .text(let t): return Rect(x: t.origin.x, y: t.origin.y - t.line.ascent, width: t.line.width, height: t.line.ascent + t.line.descent)
        case .image(let i): return i.frame
        case .rect(let r): return r.extent
        case .barcode(let b): return b.frame
        case .pdfPage(let p): return p.frame
        case .link, .anchor: return nil
        }
    }

    /// The same item moved by (dx, dy).
    public func translated(dx: Pt, dy: Pt = 0) -> PageItem {
        switch self {
        case .text(var t): t.origin.x += dx; t.origin.y += dy; return .text(t)
        case .image(var i): i.frame.x += dx; i.frame.y += dy; return .image(i)
        case .rect(var r): r.frame.x += dx; r.frame.y += dy; return .rect(r)
        case .link(var l): l.frame.x += dx; l.frame.y += dy; return .link(l)
        case .anchor(var a): a.point.x += dx; a.point.y += dy; return .anchor(a)
        case .barcode(var b): b.frame.x += dx; b.frame.y += dy; return .barcode(b)
        case .pdfPage(var p): p.frame.x += dx; p.frame.y += dy; return .pdfPage(p)
        }
    }
}
