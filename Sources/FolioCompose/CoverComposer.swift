/// The issue's non-article pages: the front cover (the masthead band with the magazine's name
/// and the issue label; the photograph from bleed to bleed across the middle; below it the
/// cover lines on the left and, on the right, the ISSN, the EAN-13 barcode with its add-on
/// drawn as vectors, the CN number and the price — no text is ever set over the picture), full-page image pages (ads, inside and
/// back covers, to the bleed) and the imprint page (版权页). None carries a running head or a folio.
import FolioCore

struct CoverComposer {
    let template: Template
    let typesetter: any Typesetter

    /// The masthead band's depth below the trim's top edge.
    static let mastheadBand = mm(50)
    /// The barcode panel: the bars' size (EAN-13 + 2 at about 80 % magnification, GS1's usual
    /// minimum on magazines) and the panel's margin.
    static let barcodeSize = Size(width: mm(38), height: mm(16))
    static let panelMargin = mm(3)

    func frontCover(_ issue: Issue, _ cover: Cover, number: Int) -> Page {
        let frame = PageFrame(template: template, number: number)
        var page = Page(size: frame.media, trim: frame.trim, number: number)
        let trim = frame.trim
        let left = trim.x + template.page.outer, right = trim.maxX - template.page.outer
        // The masthead, the magazine's name filling the width it may.
        var masthead = template.style("masthead")
        let width = right - left
        if let natural = line(issue.magazine, masthead), natural.width > width {
            masthead.size *= width / natural.width   // a long name is set smaller, never off the page
        }
        let mastheadBaseline = trim.y + mm(10) + IdeographicBox.ascent * masthead.size
        if let l = line(issue.magazine, masthead) { page.items.append(text(l, x: left, baseline: mastheadBaseline, role: .masthead)) }
        // The month, unless the label already says when (2024年第6期).
        let month: String? = issue.label.contains("年") ? nil : issue.date.flatMap { CalendarDate($0) }.map { "\($0.year)年\($0.month)月" }
        let parts: [String] = [issue.label, cover.serial, month].compactMap { $0 }.filter { !$0.isEmpty }
        let label = parts.joined(separator: "　")
        if let l = line(label, template.style("cover-issue")) {
            page.items.append(text(l, x: right - l.width, baseline: trim.y + Self.mastheadBand - mm(6), role: .coverIssue))
        }
        let bottom = trim.maxY - template.page.bottom
        let lines = coverLines(cover.lines, left: left, bottom: bottom), panel = barcodePanel(cover, right: right, bottom: bottom)
        // The photograph fills the band between, to the bleed on both sides, cropped to it.
        let imageTop = trim.y + Self.mastheadBand, imageBottom = min(lines.top, panel.top, bottom) - mm(6)
        if cover.image != nil && imageBottom > imageTop {
            page.items.append(.image(ImageItem(image: cover.image, frame: Rect(x: 0, y: imageTop, width: frame.media.width, height: imageBottom - imageTop),
                                               alt: "封面图片")))
        }
        page.items += lines.items + panel.items
        return page
    }

    /// The cover lines stacked upwards from `bottom`, each title with its short line; and where they begin.
    private func coverLines(_ lines: [CoverLine], left: Pt, bottom: Pt) -> (items: [PageItem], top: Pt) {
        guard !lines.isEmpty else { return ([], bottom) }
        let measure = mm(74), pad = Self.panelMargin, gap = mm(3)
        // Each set line with its style, and the room it takes (a gap parts two cover lines).
        var rows: [(line: SetLine, style: ParagraphStyle, role: TextRole, advance: Pt)] = []
        var height: Pt = 0
        for (n, l) in lines.enumerated() {
            if n > 0 { height += gap }
            for (role, s) in [(TextRole.coverLine, l.title), (.coverShort, l.short)] {
                guard let s else { continue }
                let style = template.style(role.rawValue)   // the role names its style
                for line in set(s, role.rawValue, measure: measure) {
                    let advance = style.leading ?? style.size * 1.4
                    rows.append((line, style, role, advance))
                    height += advance
                }
            }
            if n + 1 < lines.count, !rows.isEmpty { rows[rows.count - 1].advance += gap }
        }
        let top = bottom - height - pad
        var items: [PageItem] = []
        var y = top
        for r in rows {
            items.append(text(r.line, x: left, baseline: y + IdeographicBox.ascent * r.style.size, role: r.role))
            y += r.advance
        }
        return (items, top)
    }

    /// ISSN above the bars, the EAN-13 digits under them, CN and price beneath; and where it begins.
    private func barcodePanel(_ cover: Cover, right: Pt, bottom: Pt) -> (items: [PageItem], top: Pt) {
        let small = template.style("cover-small"), pad = Self.panelMargin
        let lines = [cover.issn.map { "ISSN \($0)" }, cover.cn.map { $0.hasPrefix("CN") ? $0 : "CN \($0)" }, cover.price].compactMap { $0 }
        guard cover.barcodeData != nil || !lines.isEmpty else { return ([], bottom) }
        let leading = small.leading ?? small.size * 1.3
        let bars = cover.barcodeData != nil ? Self.barcodeSize : Size(width: 0, height: 0)
        let width = max(bars.width, lines.compactMap { line($0, small)?.width }.max() ?? 0)
        let height = bars.height + (cover.ean13 != nil ? leading : 0) + Double(lines.count) * leading
        let x = right - width, top = bottom - height - pad
        var items: [PageItem] = []
        var y = top
        if let issn = lines.first, cover.issn != nil, let l = line(issn, small) {
            items.append(text(l, x: x, baseline: y + IdeographicBox.ascent * small.size, role: .coverSmall))
            y += leading
        }
        if let data = cover.barcodeData, let ean = cover.ean13 {
            items.append(.barcode(BarcodeItem(frame: Rect(x: x, y: y, width: bars.width, height: bars.height), data: data)))
            y += bars.height
            // The human-readable digits: 9 771234 567003, and the add-on's.
            let digits = Array(ean)
            let readable = "\(digits[0]) \(String(digits[1...6])) \(String(digits[7...12]))　\(cover.addOn ?? "")"
            if let l = line(readable, small) { items.append(text(l, x: x, baseline: y + IdeographicBox.ascent * small.size, role: .coverSmall)); y += leading }
        }
        for s in lines.dropFirst(cover.issn != nil ? 1 : 0) {
            if let l = line(s, small) { items.append(text(l, x: x, baseline: y + IdeographicBox.ascent * small.size, role: .coverSmall)) }
            y += leading
        }
        return (items, top)
    }

    /// A full-page image to the bleed (an ad, an inside or back cover).
    func imagePage(_ image: ImageInfo?, number: Int, alt: String) -> Page {
        let frame = PageFrame(template: template, number: number)
        return Page(size: frame.media, trim: frame.trim,
                    items: [.image(ImageItem(image: image, frame: Rect(x: 0, y: 0, width: frame.media.width, height: frame.media.height), alt: alt))],
                    number: number)
    }

    /// A page of a PDF (an ad delivered as PDF) to the bleed, as vectors.
    func pdfPage(_ path: String, page: Int, number: Int, alt: String) -> Page {
        let frame = PageFrame(template: template, number: number)
        return Page(size: frame.media, trim: frame.trim,
                    items: [.pdfPage(PDFPageItem(frame: Rect(x: 0, y: 0, width: frame.media.width, height: frame.media.height), path: path, page: page, alt: alt))],
                    number: number)
    }

    /// The imprint page (版权页): the magazine and issue as its title, then each entry as
    /// `label：value`, in the text area's first column.
    func imprintPage(_ issue: Issue, number: Int) -> Page {
        let frame = PageFrame(template: template, number: number)
        var page = Page(size: frame.media, trim: frame.trim, number: number)
        let area = frame.textArea
        var y = area.y
        let title = template.style("imprint-title"), body = template.style("imprint")
        for l in set([issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: "　"), "imprint-title", measure: area.width) {
            page.items.append(text(l, x: area.x, baseline: y + IdeographicBox.ascent * title.size, role: .imprintTitle))
            y += title.leading ?? title.size * 1.5
        }
        page.items.append(.rect(RectItem(frame: Rect(x: area.x, y: y + mm(2), width: area.width, height: 0.5), fill: template.furniture.ruleColor)))
        y += mm(6)
        for entry in issue.imprint {
            for l in set("\(entry.label)：\(entry.value)", "imprint", measure: frame.columns[0].width) {
                page.items.append(text(l, x: area.x, baseline: y + IdeographicBox.ascent * body.size, role: .imprint))
                y += body.leading ?? body.size * 1.6
            }
        }
        return page
    }

    private func text(_ l: SetLine, x: Pt, baseline: Pt, role: TextRole) -> PageItem {
        .text(TextItem(origin: Point(x: x, y: baseline), line: l, role: role))
    }

    private func line(_ s: String, _ style: ParagraphStyle) -> SetLine? {
        var style = style
        style.alignment = .start
        style.firstLineIndent = 0
        return typesetter.set(ParagraphInput(text: StyledText(s), style: style, language: "zh-Hans", location: SourceLocation(file: template.name),
                                             indentFirstLine: false), measure: IssueComposer.furnitureMeasure).lines.first
    }

    private func set(_ s: String, _ styleName: String, measure: Pt = mm(74)) -> [SetLine] {
        var style = template.style(styleName)
        style.firstLineIndent = 0
        return typesetter.set(ParagraphInput(text: StyledText(s), style: style, language: "zh-Hans", location: SourceLocation(file: template.name),
                                             indentFirstLine: false), measure: measure).lines
    }
}
