/// The template model: page geometry, the baseline grid, fonts by role and script, and
/// paragraph styles by name. Loaded from `layouts/*.yaml` by FolioInput; every field has a
/// default so that a template only states what it changes.

/// Writing systems Folio chooses fonts for.
public enum Script: String, CaseIterable, Hashable, Sendable {
    case han, latin, hangul, mongolian, arabic
}

/// A font role (body, heading, …): one family per script, tried in `order`.
public struct FontRole: Hashable, Sendable {
    public var families: [Script: String]
    public var weight: Int
    public init(families: [Script: String], weight: Int = 400) { self.families = families; self.weight = weight }

    /// The family list Pango should try, primary script first, then the others in a fixed order,
    /// so coverage gaps fall back to configured fonts only (never to whatever a machine has).
    public func familyList(primary: Script = .han) -> [String] {
        var out: [String] = []
        for s in [primary] + Script.allCases where !out.contains(families[s] ?? "") {
            if let f = families[s] { out.append(f) }
        }
        return out
    }
}

public enum Alignment: String, Hashable, Sendable { case justify, start, center, end }

/// A paragraph style: font, size, colour, alignment and how many grid lines it takes.
public struct ParagraphStyle: Hashable, Sendable {
    public var font: String = "body"
    public var size: Pt = 10
    public var weight: Int? = nil
    public var color: Color = .black
    public var alignment: Alignment = .justify
    /// First-line indent in ems of `size` (clreq C15: 2 em).
    public var firstLineIndent: Double = 0
    /// Line pitch for this style; nil means the body grid pitch.
    public var leading: Pt? = nil
    /// Grid lines left empty before and after the block.
    public var spaceBefore: Int = 0
    public var spaceAfter: Int = 0
    /// Lines break only between words (display styles: titles, decks, headings, captions,
    /// credits), as ICU's dictionary segments Chinese; body text breaks between any two
    /// characters, as clreq wants.
    public var breaksBetweenWords = false
    public init() {}
}

/// Page size, margins (inner/outer for facing pages) and bleed.
public struct PageGeometry: Hashable, Sendable {
    public var trim: Size = Size(width: mm(210), height: mm(285))
    public var bleed: Pt = mm(3)
    public var top: Pt = mm(20)
    public var bottom: Pt = mm(22)
    public var inner: Pt = mm(20)
    public var outer: Pt = mm(17)
    public var facing: Bool = true
    /// The spine side of a recto: left for Chinese and Mongolian books, right for books read
    /// right to left (Uyghur, Kazakh editions; alreq A1 mirrors the page structure).
    public var bindingOnRight: Bool = false
    /// An issue with covers has a page count that is a multiple of this (4: saddle stitch; 16
    /// is common for perfect binding); blank pages before the back covers make it up.
    public var signature: Int = 4
    public init() {}
    /// The trimmed page with its bleed all round: what is drawn.
    public var media: Size { Size(width: trim.width + 2 * bleed, height: trim.height + 2 * bleed) }
}

/// The baseline grid: body size and the fixed pitch every body line sits on (clreq C2, C3).
public struct Grid: Hashable, Sendable {
    public var bodySize: Pt = 10
    /// Baseline-to-baseline distance. 17 pt on 10 pt type is a 70 % line gap (clreq C2: 50–100 %).
    public var pitch: Pt = 17
    public var columns: Int = 2
    /// The smallest gutter; the gutter grows so that each column is a whole number of ems (clreq C1).
    public var minGutter: Pt = mm(6)
    public init() {}
}

/// Running heads and folios.
public struct Furniture: Hashable, Sendable {
    public var runningHead: Bool = true
    public var folio: Bool = true
    public var ruleColor: Color = Color(red: 0.75, green: 0.1, blue: 0.1)
    /// The contents page's heading (bilingual editions name it in both languages).
    public var contentsTitle = "目录"
    /// The mark that ends an article, after its credits (■; empty: none).
    public var endMark = "■"
    /// Tint behind boxes and sidebars.
    public var boxColor: Color = Color(red: 0.96, green: 0.93, blue: 0.88)
    /// Contents entries across the text area (1), in the grid's columns (2), or in columns only
    /// when one wide column would need more than one page (nil: auto).
    public var contentsColumns: Int?
    /// Each contents entry shows its article's lead image beside it.
    public var contentsThumbnails = false
    public init() {}
}

/// The words Folio itself prints around an article's text, in one language: the byline's
/// prefix (`文／林晓岚`), the credits' labels (`来源：` `责编：`), the contents heading's
/// continuation mark (`目录（续）`) and the heading over an article's gathered footnotes (`注释`).
public struct Labels: Hashable, Sendable {
    public var byline = "文／"
    public var source = "来源："
    public var editor = "责编："
    public var continued = "（续）"
    public var notes = "注释"
    public init() {}
}

/// Typographic choices of a template (TYPOGRAPHY.md §1.1).
public struct Typography: Hashable, Sendable {
    /// Line-start/line-end prohibition level (clreq C4–C6).
    public enum Kinsoku: String, Hashable, Sendable, CaseIterable { case basic, gb, strict }
    /// How line breaks are chosen: the whole paragraph at once, or line by line.
    public enum Breaker: String, Hashable, Sendable, CaseIterable { case totalFit = "total-fit", greedy }
    /// Where Hangul lines may break (klreq K2): between words (어절) only, or between any two
    /// syllables — what narrow columns want, where a long word left to the next line opens
    /// the words of the one before by an em or more.
    public enum HangulBreaks: String, Hashable, Sendable, CaseIterable { case words, characters }
    public var kinsoku: Kinsoku = .basic
    public var hangulBreaks: HangulBreaks = .words
    /// Width of two adjacent full-width marks in ems (clreq C8: 1.5, some styles 1).
    public var adjacentPunctuation: Double = 1.5
    /// Han–Latin/digit spacing in ems (clreq C12: ¼ em).
    public var hanLatinSpace: Double = 0.25
    /// The widest a Han–Latin/digit space may grow when a line is justified, in ems. It grows
    /// only after every other gap (clreq C12 allows up to ½ em and "many styles cap it"; ⅜ em
    /// keeps 阿Q one name).
    public var hanLatinMax: Double = 0.375
    public var breaker: Breaker = .totalFit
    /// Lines a paragraph must keep at a column foot (orphans) and head (widows) (clreq C17).
    public var orphans: Int = 2
    /// Body lines a heading keeps below it in its column (clreq C20). A heading that would move
    /// on leaving its column short first gets room from paragraphs set a line tighter, or has
    /// the column filled by paragraphs set a line looser (never visibly), and only then keeps
    /// `orphans` lines, with a note (FolioCompose's ColumnFill). Three, as the issue asks.
    public var headingKeep: Int = 3
    public var widows: Int = 2
    /// Balance the columns of an article's last page (clreq C21).
    public var balanceLastPage: Bool = true
    /// Justify Arabic-script lines partly by lengthening joins with tatweel (kashida, alreq A4),
    /// one per word, before widening word spaces.
    public var kashida: Bool = false
    /// A character no configured font covers stops the render (an error naming it) instead of
    /// being reported as a warning: the edition templates, where a fallback glyph would be a
    /// misprint; archives keep warnings so that one odd character does not fail an article.
    public var uncoveredIsError: Bool = false
    public init() {}
}

/// How archived web articles are imported (FolioInput's web-archive reader).
public struct ArchiveSettings: Hashable, Sendable {
    public enum Boilerplate: String, Hashable, Sendable, CaseIterable { case box, drop }
    /// Publisher boilerplate (subscription notices…): set as a box at the end, or dropped (and reported).
    public var boilerplate: Boilerplate = .box
    /// Regular expressions; a line matching one starts the boilerplate, which runs to the end.
    public var boilerplatePatterns: [String] = ["^欢迎订阅", "^订阅(热线|电话|方式|办法)", "邮发代号", "^(开户行|开户银行|户名|开户名|账号|帐号)[:：]",
                                                "^(扫码|扫描二维码)", "^(本刊|本报)?(征订|订阅)启事"]
    /// Restore full-width punctuation in CJK context.
    public var restorePunctuation = true
    public init() {}
}

/// An article-opening variant: how many columns the headline block spans and its title style.
public struct OpeningVariant: Hashable, Sendable {
    /// Columns the opening spans, from the first in reading order; nil: all of them.
    public var span: Int?
    /// The paragraph style of the headline.
    public var titleStyle: String
    /// The style of the article's chapter and section headings (levels 1–2): `heading`, or
    /// `display-heading` for literary pieces — centred, larger, a short rule under it.
    public var headingStyle = "heading"
    public init(span: Int? = nil, titleStyle: String = "title", headingStyle: String = "heading") {
        self.span = span; self.titleStyle = titleStyle; self.headingStyle = headingStyle
    }
    /// Headings in this style are display headings (centred, with a rule under them).
    public var displayHeadings: Bool { headingStyle != "heading" }
}

public struct Template: Hashable, Sendable {
    public var name: String = "magazine-16k"
    /// Opening variants by name; an article picks one with `variant:` (default `feature`).
    public var openings: [String: OpeningVariant] = [
        "feature": OpeningVariant(),
        "news": OpeningVariant(span: 1, titleStyle: "title-news"),
        "literary": OpeningVariant(headingStyle: "display-heading"),
    ]
    public var typography = Typography()
    public var archive = ArchiveSettings()
    public var page = PageGeometry()
    public var grid = Grid()
    public var furniture = Furniture()
    /// The labels by language (BCP 47, as articles name theirs); `zh-Hans`'s are built in, and
    /// serve any language the template gives none for (`labels(for:)`).
    public var labels: [String: Labels] = ["zh-Hans": Labels()]
    public func labels(for language: String) -> Labels {
        labels[language] ?? labels[LanguageInfo(language).primary] ?? labels["zh-Hans"] ?? Labels()
    }
    /// Whether `language` has labels of its own (Chinese has the built-in ones), rather than
    /// borrowing the Chinese.
    private func hasLabels(for language: String) -> Bool {
        let primary = LanguageInfo(language).primary
        return labels[language] != nil || labels[primary] != nil || primary == "zh"
    }
    /// One note for each language of `issue` whose articles print the Chinese labels (`文／`,
    /// `来源：`, `责编：`, `注释`) for want of their own here, at its first such article.
    public func borrowedLabels(in issue: Issue) -> [Diagnostic] {
        var said: Set<String> = []
        var notes: [Diagnostic] = []
        for a in issue.articles where !hasLabels(for: a.meta.language) && !said.contains(a.meta.language) {
            let m = a.meta
            guard m.author != nil || m.source != nil || m.editor != nil || a.notesHeading != nil else { continue }
            said.insert(m.language)
            let key = LanguageInfo(m.language).primary
            notes.append(Diagnostic(.note, "the template has no labels for \(m.language): its articles' byline, credits and notes heading are printed with the Chinese ones (文／ 来源： 责编： 注释); give the words in \(m.language) as labels.\(key) in the template",
                                    at: a.location, code: "labels"))
        }
        return notes
    }
    public var fonts: [String: FontRole] = Template.defaultFonts
    public var styles: [String: ParagraphStyle] = Template.defaultStyles
    /// The smallest share of its size a figure may be scaled to when an article is fitted back
    /// from a short last page (`figures.min-scale`).
    public var figureMinScale: Double = 0.7
    public init() {}

    /// The style of a name; unknown names fall back to body (the loader rejects them earlier).
    public func style(_ name: String) -> ParagraphStyle { styles[name] ?? styles["body"] ?? ParagraphStyle() }
    public func font(_ role: String) -> FontRole { fonts[role] ?? fonts["body"] ?? FontRole(families: [:]) }

    public static let defaultFonts: [String: FontRole] = {
        let serif: [Script: String] = [.han: "Noto Serif CJK SC", .latin: "Noto Serif CJK SC", .hangul: "Noto Serif CJK KR",
                                       .mongolian: "Noto Sans Mongolian", .arabic: "Noto Naskh Arabic"]
        var sans = serif
        sans[.han] = "Noto Sans CJK SC"; sans[.latin] = "Noto Sans CJK SC"; sans[.hangul] = "Noto Sans CJK KR"
        sans[.arabic] = "Noto Sans Arabic"
        // Code: Latin letters all of one width (half an em), so that its columns line up.
        var mono = sans
        mono[.han] = "Noto Sans Mono CJK SC"; mono[.latin] = "Noto Sans Mono CJK SC"; mono[.hangul] = "Noto Sans Mono CJK KR"
        return ["body": FontRole(families: serif), "heading": FontRole(families: sans, weight: 700),
                "sans": FontRole(families: sans), "emphasis": FontRole(families: sans), "mono": FontRole(families: mono)]
    }()

    public static let defaultStyles: [String: ParagraphStyle] = {
        func make(_ f: (inout ParagraphStyle) -> Void) -> ParagraphStyle { var s = ParagraphStyle(); f(&s); return s }
        let red = Color(red: 0.75, green: 0.1, blue: 0.1)
        return [
            "body": make { $0.firstLineIndent = 2 },
            "heading": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 12; $0.alignment = .start; $0.spaceBefore = 1 },
            // Chapter headings of literary pieces: centred and larger, a short rule under them.
            "display-heading": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 14; $0.alignment = .center; $0.spaceBefore = 2 },
            "subheading": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 10.5; $0.alignment = .start },
            // Block quotes: inset on both sides (by the composer), no first-line indent, a lighter colour.
            "quote": make { $0.font = "emphasis"; $0.size = 9.5; $0.firstLineIndent = 0; $0.color = Color(red: 0.22, green: 0.25, blue: 0.32) },
            // List items: the first paragraph of an item is not indented (its marker stands before it), a later one is.
            "list": make { $0.size = 10; $0.firstLineIndent = 2 },
            // Code blocks: as written, line by line, inset 2 em (by the composer), never justified.
            "code": make { $0.font = "mono"; $0.size = 9; $0.alignment = .start },
            "title": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 26; $0.leading = 34; $0.alignment = .start },
            "title-news": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 17; $0.leading = 22; $0.alignment = .start },
            "kicker": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 10; $0.color = red; $0.alignment = .start },
            "deck": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 11; $0.leading = 17; $0.alignment = .start
                $0.color = Color(red: 0.3, green: 0.3, blue: 0.3) },
            "byline": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 9; $0.alignment = .start },
            "caption": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 8; $0.leading = 12; $0.alignment = .start
                $0.color = Color(red: 0.25, green: 0.25, blue: 0.25) },
            "credits": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 8; $0.leading = 12; $0.alignment = .end },
            "pull-quote": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 13; $0.leading = 20; $0.alignment = .start; $0.color = red },
            "table": make { $0.font = "sans"; $0.size = 9; $0.alignment = .start },
            "table-header": make { $0.font = "heading"; $0.size = 9; $0.alignment = .start },
            "contents": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 10.5; $0.alignment = .start },
            "contents-deck": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 8.5; $0.alignment = .start
                $0.color = Color(red: 0.4, green: 0.4, blue: 0.4) },
            "box": make { $0.font = "sans"; $0.size = 9; $0.firstLineIndent = 2 },
            "box-title": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 9.5; $0.alignment = .start },
            "running-head": make { $0.font = "sans"; $0.size = 8; $0.alignment = .start },
            "folio": make { $0.font = "heading"; $0.size = 9; $0.alignment = .start },
            // The covers and the imprint page.
            "masthead": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 60; $0.leading = 66; $0.alignment = .start; $0.color = red },
            "cover-issue": make { $0.font = "heading"; $0.size = 12; $0.alignment = .start },
            "cover-line": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 17; $0.leading = 22; $0.alignment = .start },
            "cover-short": make { $0.breaksBetweenWords = true; $0.font = "sans"; $0.size = 9.5; $0.leading = 14; $0.alignment = .start },
            "cover-small": make { $0.font = "sans"; $0.size = 7; $0.leading = 9; $0.alignment = .start },
            "imprint-title": make { $0.breaksBetweenWords = true; $0.font = "heading"; $0.size = 14; $0.alignment = .start },
            "imprint": make { $0.font = "sans"; $0.size = 9; $0.leading = 16; $0.alignment = .start },
        ]
    }()
}
