/// The manifest's non-article pages: `cover:` (image, lines, price, issn, cn, serial, number),
/// `inside-front-cover:`, `inside-back-cover:` and `back-cover:` (`imprint` or an image path),
/// and `imprint:` (label: value entries, in order). Images are resolved against the manifest's
/// folder and probed like figures; a cover line naming an article takes its title and deck.
import FolioCore
import Foundation
import Yams

/// A cover as read, before its lines are matched with the issue's articles.
struct PendingCover {
    var cover: Cover
    /// Each line as written, with its location: an article (file or id) or literal text.
    var lines: [(text: String, short: String?, location: SourceLocation)] = []
}

enum CoverLoader {
    /// The cover's keys, in the order an unknown key's error lists them.
    enum CoverKey: String, CaseIterable { case image, lines, price, issn, cn, serial, number }
    private enum CoverLineKey: String, CaseIterable { case title, short }
    private enum InsertKey: String, CaseIterable { case ad, page, size }

    static func readCover(_ node: Node, _ r: YAMLReader, folder: URL, options: InputOptions, problems: inout [Diagnostic]) -> PendingCover {
        var pending = PendingCover(cover: Cover(location: r.location(node)))
        for (key, value) in r.mapping(node, keys: CoverKey.self, context: "the cover") ?? [] {
            switch key {
            case .image:
                guard let src = r.string(value) else { continue }
                pending.cover.image = image(src, at: r.location(value), folder: folder, options: options, problems: &problems)
            case .lines:
                for line in r.sequence(value) ?? [] {
                    if case .mapping = line {
                        var title = "", short: String?
                        for (k, v) in r.mapping(line, keys: CoverLineKey.self, context: "a cover line") ?? [] {
                            switch k {
                            case .title: title = r.string(v) ?? ""
                            case .short: short = r.string(v)
                            }
                        }
                        pending.lines.append((title, short, r.location(line)))
                    } else if let text = r.string(line) {
                        pending.lines.append((text, nil, r.location(line)))
                    }
                }
            case .price: pending.cover.price = r.string(value)
            case .cn: pending.cover.cn = r.string(value)
            case .serial: pending.cover.serial = r.string(value)
            case .issn:
                guard let s = r.string(value) else { continue }
                if Cover.isValidISSN(s) { pending.cover.issn = s.uppercased() } else {
                    r.error("'\(s)' is not a valid ISSN (NNNN-NNNC with its check digit); the barcode needs it", at: r.location(value))
                }
            case .number:
                guard let s = r.string(value) else { continue }
                if s.count <= 2, let n = Int(s), (0...99).contains(n) { pending.cover.addOn = String(format: "%02d", n) } else {
                    r.error("number must be the issue's number in its year, 1 to 99 (the barcode's two-digit add-on); found '\(s)'", at: r.location(value))
                }
            }
        }
        if pending.cover.issn != nil && pending.cover.addOn == nil {
            r.error("the cover has an ISSN but no 'number:' (the issue's number in its year, printed as the barcode's add-on)", at: pending.cover.location)
        }
        return pending
    }

    /// `imprint`, an image path, or a PDF (`ad: x.pdf` with `page:`, or just its path: page 1).
    static func readCoverPage(_ node: Node, _ r: YAMLReader, folder: URL, options: InputOptions, problems: inout [Diagnostic]) -> CoverPage? {
        if case .mapping = node {
            switch readInsert(node, r, folder: folder, options: options, problems: &problems) {
            case .full(let page)?: return page
            case .half?: r.error("a cover or filler page is a full page; 'size: half' is for ads after an article", at: r.location(node)); return nil
            case nil: return nil
            }
        }
        guard let s = r.string(node) else { return nil }
        if s == "imprint" { return .imprint }
        if s.lowercased().hasSuffix(".pdf") { return pdf(s, page: 1, at: r.location(node), folder: folder, problems: &problems) }
        return .image(image(s, at: r.location(node), folder: folder, options: options, problems: &problems), path: s)
    }

    /// An ad among a section's articles: a full page (`- ad: ads/bank.pdf`, `page: 2` of a PDF),
    /// or with `size: half` the foot of the page where the article before it ends.
    enum InsertSpec { case full(CoverPage), half(HalfPageAd) }

    static func readInsert(_ node: Node, _ r: YAMLReader, folder: URL, options: InputOptions, problems: inout [Diagnostic]) -> InsertSpec? {
        var path: String?, page = 1, at = r.location(node), half = false
        for (k, v) in r.mapping(node, keys: InsertKey.self, context: "an ad among the articles") ?? [] {
            switch k {
            case .ad: path = r.string(v); at = r.location(v)
            case .page: page = r.int(v, range: 1...10_000) ?? 1
            case .size:
                switch r.string(v) {
                case "half": half = true
                case "full": half = false
                case let other: r.error("an ad's size is full or half, not '\(other ?? "")'", at: r.location(v))
                }
            }
        }
        guard let path else { r.error("an insert needs 'ad:' (an image or a PDF)", at: r.location(node)); return nil }
        let isPDF = path.lowercased().hasSuffix(".pdf")
        if half {
            let source = isPDF && page > 1 ? "\(path)#page=\(page)" : path
            return .half(HalfPageAd(image: image(source, at: at, folder: folder, options: options, problems: &problems), path: path, location: at))
        }
        guard isPDF else { return .full(.image(image(path, at: at, folder: folder, options: options, problems: &problems), path: path)) }
        return pdf(path, page: page, at: at, folder: folder, problems: &problems).map { .full($0) }
    }

    /// A PDF page: the file must be a readable PDF (its page count is checked when it is drawn).
    private static func pdf(_ path: String, page: Int, at: SourceLocation, folder: URL, problems: inout [Diagnostic]) -> CoverPage? {
        let resolved = ArticleLoader.resolvePath(path, folder: folder)
        if let problem = RegularFile.problem(resolved, noun: "PDF") {
            problems.append(Diagnostic(.error, problem, at: at, code: "missing-image"))
            return nil
        }
        guard let head = try? RegularFile.read(resolved, limit: 5), head == Array("%PDF-".utf8) else {
            problems.append(.error("\(path) is not a PDF file", at: at))
            return nil
        }
        return .pdf(path: resolved, page: page)
    }

    static func readImprint(_ node: Node, _ r: YAMLReader) -> [ImprintEntry] {
        guard case .mapping(let m) = node else {
            r.error("imprint must be a mapping of labels to values (主办: …)", at: r.location(node))
            return []
        }
        return m.compactMap { k, v in
            guard let label = k.string, let value = r.string(v) else { return nil }
            return ImprintEntry(label: label, value: value)
        }
    }

    /// The cover lines with articles resolved: a line naming an article's file or id takes its
    /// title, and its deck as the short line unless one is given.
    static func resolve(_ pending: PendingCover, articles: [Article], problems: inout [Diagnostic]) -> Cover {
        var cover = pending.cover
        for line in pending.lines {
            let id = PathName.stem(line.text)
            if line.text.hasSuffix(".md") || line.text.hasSuffix(".txt") {
                guard let a = articles.first(where: { $0.id == id }) else {
                    problems.append(.error("the cover line names the article '\(line.text)', which the issue does not have", at: line.location))
                    continue
                }
                cover.lines.append(CoverLine(title: a.meta.title, short: line.short ?? a.meta.deck))
            } else {
                cover.lines.append(CoverLine(title: line.text, short: line.short))
            }
        }
        return cover
    }

    private static func image(_ src: String, at loc: SourceLocation, folder: URL, options: InputOptions, problems: inout [Diagnostic]) -> ImageInfo? {
        let (info, problem) = ArticleLoader.resolveImage(src, folder: folder, options: options)
        if let problem {
            problems.append(Diagnostic(options.allowMissingImages ? .warning : .error, problem, at: loc, code: "missing-image"))
        }
        return info
    }
}
