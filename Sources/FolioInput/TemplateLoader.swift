/// Reads `layouts/*.yaml` into a `Template`. Every key is optional (defaults come from
/// `Template`), unknown keys and bad values are errors with file:line:column.
import FolioCore
import Foundation
import Yams

public enum TemplateLoader {
    public static func load(path: String) throws -> Template {
        let text = try InputFile.readText(path)
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Template {
        let r = YAMLReader(file: file)
        var t = Template()
        t.name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        guard let root = r.parse(text) else { try r.check(); return t }
        for (key, value) in r.mapping(root, keys: TemplateKey.self, context: "the template") ?? [] {
            switch key {
            case .name: t.name = r.string(value) ?? t.name
            case .labels:
                // `labels: {ug: {byline: …, source: …, editor: …, continued: …, notes: …}}`: what Folio prints around articles in that language.
                guard case .mapping(let map) = value else { r.error("labels must map languages to their labels", at: r.location(value)); continue }
                for (k, v) in map {
                    guard let language = r.string(k) else { continue }
                    var labels = t.labels(for: language)
                    for (key, x) in r.mapping(v, keys: LabelKey.self, context: "labels") ?? [] {
                        guard let text = r.string(x) else { continue }
                        switch key {
                        case .byline: labels.byline = text
                        case .source: labels.source = text
                        case .editor: labels.editor = text
                        case .continued: labels.continued = text
                        case .notes: labels.notes = text
                        }
                    }
                    t.labels[language] = labels
                }
            case .figures:
                for (_, v) in r.mapping(value, keys: FiguresKey.self, context: "figures") ?? [] {
                    if let x = r.double(v), x >= 0.3, x <= 1 { t.figureMinScale = x } else {
                        r.error("figures.min-scale must be from 0.3 to 1 (the share of a figure's size it may shrink to)", at: r.location(v))
                    }
                }
            case .page: readPage(value, r, &t.page)
            case .grid: readGrid(value, r, &t.grid)
            case .typography: readTypography(value, r, &t.typography)
            case .openings:
                guard case .mapping(let map) = value else { r.error("openings must map names to variants", at: r.location(value)); continue }
                for (k, v) in map {
                    guard let name = r.string(k) else { continue }
                    var variant = OpeningVariant()
                    for (key, x) in r.mapping(v, keys: OpeningKey.self, context: "an opening variant") ?? [] {
                        if key == .span {
                            if r.string(x) == "all" { variant.span = nil } else { variant.span = r.int(x, range: 1...6) }
                        } else if let style = r.string(x) {
                            if t.styles[style] == nil && Template.defaultStyles[style] == nil {
                                r.error("opening '\(name)' names the style '\(style)', which the template does not define", at: r.location(x))
                            }
                            if key == .titleStyle { variant.titleStyle = style } else { variant.headingStyle = style }
                        }
                    }
                    t.openings[name] = variant
                }
            case .archive:
                for (k, v) in r.mapping(value, keys: ArchiveKey.self, context: "archive") ?? [] {
                    switch k {
                    case .boilerplate:
                        guard let s = r.string(v) else { continue }
                        if let b = ArchiveSettings.Boilerplate(rawValue: s) { t.archive.boilerplate = b } else {
                            r.error("boilerplate must be box or drop; found '\(s)'", at: r.location(v))
                        }
                    case .boilerplatePatterns:
                        var patterns: [String] = []
                        for p in r.sequence(v) ?? [] {
                            guard let s = r.string(p) else { continue }
                            if (try? Regex(s)) == nil { r.error("not a valid regular expression: \(s)", at: r.location(p)) } else { patterns.append(s) }
                        }
                        t.archive.boilerplatePatterns = patterns
                    case .restorePunctuation: t.archive.restorePunctuation = r.bool(v) ?? true
                    }
                }
            case .fonts:
                for (role, v) in r.mapping(value, allowed: Array(Set(t.fonts.keys).union(["caption", "title"])).sorted(), context: "fonts") ?? [] {
                    t.fonts[role] = readFont(v, r, base: t.fonts[role] ?? t.font("body"))
                }
            case .styles:
                let names = Template.defaultStyles.keys.sorted()
                for (name, v) in r.mapping(value, allowed: names, context: "styles") ?? [] {
                    t.styles[name] = readStyle(v, r, base: t.style(name), fonts: Array(t.fonts.keys))
                }
            case .furniture:
                for (k, v) in r.mapping(value, keys: FurnitureKey.self, context: "furniture") ?? [] {
                    switch k {
                    case .runningHead: t.furniture.runningHead = r.bool(v) ?? true
                    case .folio: t.furniture.folio = r.bool(v) ?? true
                    case .ruleColor: t.furniture.ruleColor = color(v, r) ?? t.furniture.ruleColor
                    case .boxColor: t.furniture.boxColor = color(v, r) ?? t.furniture.boxColor
                    case .contentsTitle: t.furniture.contentsTitle = r.string(v) ?? t.furniture.contentsTitle
                    case .endMark: t.furniture.endMark = r.string(v) ?? t.furniture.endMark
                    case .contentsColumns: t.furniture.contentsColumns = r.string(v) == "auto" ? nil : r.int(v, range: 1...2)
                    case .contentsThumbnails: t.furniture.contentsThumbnails = r.bool(v) ?? false
                    }
                }
            }
        }
        // Styles may only name font roles that exist.
        for (name, s) in t.styles where t.fonts[s.font] == nil {
            r.error("style '\(name)' uses the font role '\(s.font)', which the template does not define", at: SourceLocation(file: file))
        }
        try r.check()
        return t
    }

    private static func readPage(_ node: Node, _ r: YAMLReader, _ p: inout PageGeometry) {
        for (k, v) in r.mapping(node, keys: PageKey.self, context: "page") ?? [] {
            switch k {
            case .binding:
                guard let s = r.string(v) else { continue }
                if s == "left" || s == "right" { p.bindingOnRight = s == "right" } else {
                    r.error("binding must be left or right; found '\(s)'", at: r.location(v))
                }
            case .trim:
                guard let s = r.string(v) else { continue }
                let parts = s.lowercased().replacingOccurrences(of: "mm", with: "").split(whereSeparator: { $0 == "x" || $0 == "×" })
                    .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                if parts.count == 2, parts.allSatisfy({ $0 >= 50 && $0 <= 2000 }) {
                    p.trim = Size(width: mm(parts[0]), height: mm(parts[1]))
                } else {
                    r.error("trim must be WIDTHxHEIGHT in millimetres between 50 and 2000, e.g. 210x285; found '\(s)'", at: r.location(v))
                }
            case .bleed: if let b = positive(v, r, max: 20) { p.bleed = mm(b) }
            case .facing: p.facing = r.bool(v) ?? true
            case .signature:
                // The binding's multiple of pages: 4 for saddle stitch, 8/16/32 for sewn or perfect binding.
                if let n = r.int(v, range: 1...64) {
                    if [1, 2, 4, 8, 16, 32, 64].contains(n) { p.signature = n } else { r.error("signature must be 1, 2, 4, 8, 16, 32 or 64 pages", at: r.location(v)) }
                }
            case .margins:
                for (side, m) in r.mapping(v, keys: MarginKey.self, context: "margins") ?? [] {
                    guard let value = positive(m, r, max: 200) else { continue }
                    switch side {
                    case .top: p.top = mm(value)
                    case .bottom: p.bottom = mm(value)
                    case .inner: p.inner = mm(value)
                    case .outer: p.outer = mm(value)
                    }
                }
            }
        }
        if p.inner + p.outer >= p.trim.width - mm(20) || p.top + p.bottom >= p.trim.height - mm(20) {
            r.error("the margins leave less than 20 mm for text", at: r.location(node))
        }
    }

    private static func readGrid(_ node: Node, _ r: YAMLReader, _ g: inout Grid) {
        for (k, v) in r.mapping(node, keys: GridKey.self, context: "grid") ?? [] {
            switch k {
            case .bodySize:
                // clreq C2: running text is never below 六号 (7.875 pt).
                if let s = r.double(v, unit: "pt") {
                    if s >= 7.875 && s <= 24 { g.bodySize = s } else { r.error("body-size must be from 7.875 to 24 pt (clreq C2), found \(s)", at: r.location(v)) }
                }
            case .pitch: if let p = positive(v, r, max: 100, unit: "pt") { g.pitch = p }
            case .columns: g.columns = r.int(v, range: 1...6) ?? g.columns
            case .minGutter: if let m = positive(v, r, max: 50) { g.minGutter = mm(m) }
            }
        }
        // clreq C2: the line gap is 50–100 % of the character size.
        let gap = (g.pitch - g.bodySize) / g.bodySize
        if gap < 0.5 - 1e-9 || gap > 1.0 + 1e-9 {
            r.error("pitch \(g.pitch) pt on \(g.bodySize) pt type gives a line gap of \(Int((gap * 100).rounded())) %; clreq C2 asks for 50–100 %", at: r.location(node))
        }
    }

    private static func readTypography(_ node: Node, _ r: YAMLReader, _ t: inout Typography) {
        for (k, v) in r.mapping(node, keys: TypographyKey.self, context: "typography") ?? [] {
            switch k {
            case .kinsoku:
                guard let s = r.string(v) else { continue }
                if let level = Typography.Kinsoku(rawValue: s) { t.kinsoku = level } else {
                    r.error("kinsoku must be basic, gb or strict (clreq C6); found '\(s)'", at: r.location(v))
                }
            case .hangulBreaks:
                guard let s = r.string(v) else { continue }
                if let b = Typography.HangulBreaks(rawValue: s) { t.hangulBreaks = b } else {
                    r.error("hangul-breaks must be words or characters (klreq K2); found '\(s)'", at: r.location(v))
                }
            case .breaker:
                guard let s = r.string(v) else { continue }
                if let b = Typography.Breaker(rawValue: s) { t.breaker = b } else {
                    r.error("breaker must be total-fit or greedy; found '\(s)'", at: r.location(v))
                }
            case .adjacentPunctuation:
                // clreq C8: a pair of marks takes 1.5 em, some styles 1 em.
                if let x = r.double(v, unit: "em") {
                    if x >= 1 && x <= 2 { t.adjacentPunctuation = x } else { r.error("adjacent-punctuation must be from 1 to 2 em (clreq C8)", at: r.location(v)) }
                }
            case .hanLatinSpace:
                // clreq C12: from ⅛ to ½ em.
                if let x = r.double(v, unit: "em") {
                    if x >= 0.125 && x <= 0.5 { t.hanLatinSpace = x } else { r.error("han-latin-space must be from 0.125 to 0.5 em (clreq C12)", at: r.location(v)) }
                }
            case .hanLatinMax:
                // clreq C12/C14: expanded to at most ½ em; styles cap it lower.
                if let x = r.double(v, unit: "em") {
                    if x >= 0.125 && x <= 0.5 { t.hanLatinMax = x } else { r.error("han-latin-max must be from 0.125 to 0.5 em (clreq C12)", at: r.location(v)) }
                }
            case .headingKeep: t.headingKeep = r.int(v, range: 1...6) ?? t.headingKeep
            case .orphans: t.orphans = r.int(v, range: 1...5) ?? t.orphans
            case .widows: t.widows = r.int(v, range: 1...5) ?? t.widows
            case .kashida: t.kashida = r.bool(v) ?? false
            case .uncovered:
                switch r.string(v) {
                case "error": t.uncoveredIsError = true
                case "warning": t.uncoveredIsError = false
                case let other?: r.error("typography 'uncovered' is error or warning, found '\(other)'", at: r.location(v))
                case nil: break
                }
            case .balanceLastPage: t.balanceLastPage = r.bool(v) ?? t.balanceLastPage
            }
        }
    }

    private static func readFont(_ node: Node, _ r: YAMLReader, base: FontRole) -> FontRole {
        var role = base
        let keys = Script.allCases.map(\.rawValue) + ["weight"]
        for (k, v) in r.mapping(node, allowed: keys, context: "a font role") ?? [] {
            if k == "weight" { role.weight = r.int(v, range: 100...900) ?? role.weight; continue }
            if let script = Script(rawValue: k), let family = r.string(v) { role.families[script] = family }
        }
        return role
    }

    private static func readStyle(_ node: Node, _ r: YAMLReader, base: ParagraphStyle, fonts: [String]) -> ParagraphStyle {
        var s = base
        for (k, v) in r.mapping(node, keys: StyleKey.self, context: "a paragraph style") ?? [] {
            switch k {
            case .font: s.font = r.string(v) ?? s.font
            case .size: if let x = positive(v, r, max: 200, unit: "pt") { s.size = x }
            case .weight: s.weight = r.int(v, range: 100...900)
            case .color: s.color = color(v, r) ?? s.color
            case .align:
                guard let a = r.string(v) else { continue }
                if let al = Alignment(rawValue: a) { s.alignment = al } else {
                    r.error("align must be justify, start, center or end; found '\(a)'", at: r.location(v))
                }
            case .indent: if let x = r.double(v, unit: "em"), x >= 0, x <= 10 { s.firstLineIndent = x }
            case .leading: if let x = positive(v, r, max: 200, unit: "pt") { s.leading = x }
            case .spaceBefore: s.spaceBefore = r.int(v, range: 0...20) ?? 0
            case .wordBreaks: s.breaksBetweenWords = r.bool(v) ?? s.breaksBetweenWords
            case .spaceAfter: s.spaceAfter = r.int(v, range: 0...20) ?? 0
            }
        }
        return s
    }

    private static func positive(_ v: Node, _ r: YAMLReader, max: Double, unit: String = "mm") -> Double? {
        guard let x = r.double(v, unit: unit) else { return nil }
        guard x >= 0 && x <= max else { r.error("expected a value from 0 to \(Int(max)) \(unit), found \(x)", at: r.location(v)); return nil }
        return x
    }

    private static func color(_ v: Node, _ r: YAMLReader) -> Color? {
        guard let s = r.string(v) else { return nil }
        guard let c = Color(hex: s) else { r.error("expected a colour as #rrggbb, found '\(s)'", at: r.location(v)); return nil }
        return c
    }
}

/// The keys of each section of a template, in the order an unknown key's error lists them.
private enum TemplateKey: String, CaseIterable {
    case name, page, grid, typography, fonts, styles, furniture, archive, openings, figures, labels
}
private enum LabelKey: String, CaseIterable { case byline, source, editor, continued, notes }
private enum FiguresKey: String, CaseIterable { case minScale = "min-scale" }
private enum OpeningKey: String, CaseIterable { case span, titleStyle = "title-style", headingStyle = "heading-style" }
private enum ArchiveKey: String, CaseIterable {
    case boilerplate, boilerplatePatterns = "boilerplate-patterns", restorePunctuation = "restore-punctuation"
}
private enum FurnitureKey: String, CaseIterable {
    case runningHead = "running-head", folio, ruleColor = "rule-color", boxColor = "box-color", contentsTitle = "contents-title",
         endMark = "end-mark", contentsColumns = "contents-columns", contentsThumbnails = "contents-thumbnails"
}
private enum PageKey: String, CaseIterable { case trim, bleed, margins, facing, binding, signature }
private enum MarginKey: String, CaseIterable { case top, bottom, inner, outer }
private enum GridKey: String, CaseIterable { case bodySize = "body-size", pitch, columns, minGutter = "min-gutter" }
private enum TypographyKey: String, CaseIterable {
    case kinsoku, adjacentPunctuation = "adjacent-punctuation", hanLatinSpace = "han-latin-space", hanLatinMax = "han-latin-max",
         breaker, hangulBreaks = "hangul-breaks", headingKeep = "heading-keep", orphans, widows, balanceLastPage = "balance-last-page", kashida, uncovered
}
private enum StyleKey: String, CaseIterable {
    case font, size, weight, color, align, indent, leading, spaceBefore = "space-before", spaceAfter = "space-after", wordBreaks = "word-breaks"
}
