/// The manifest's non-article pages: `cover:` (image, lines, price, issn, cn, serial, number),
/// `inside-front-cover:`, `inside-back-cover:` and `back-cover:` (`imprint` or an image path),
/// and `imprint:` (label: value entries, in order). Images are resolved against the manifest's
/// folder and probed like figures; a cover line naming an article takes its title and deck.
import FolioCore
import Foundation
import Yams

/// A cover as read, before its lines are matched with the articles.
struct PendingCover {
    var cover: Cover
    /// Each line as written, with its location: an article (file or id) or literal text.
    var lines: [(text: String, short: String?, location: SourceLocation)] = []
}

enum CoverLoader {
    static let coverKeys = ["image", "lines", "price", "issn", "cn", "serial", "number"]

    static func readCover(_ node: Node, _ r: YAMLReader, folder: URL, options: InputOptions, problems: inout [Diagnostic]) -> PendingCover {
        var pending = PendingCover(cover: Cover(location: r.location(node)))
        for (key, value) in r.mapping(node, allowed: coverKeys, context: "the cover") ?? [] {
            switch key {
            case "image":
                guard let src = r.string(value) else { continue }
                pending.cover.image = image(src, at: r.location(value), folder: folder, options: options, problems: &problems)
            case "lines":
                for line in r.sequence(value) ?? [] {
                    if case .mapping = line {
                        var title = "", short: String?
                        for (k, v) in r.mapping(line, allowed: ["title", "short"], context: "a cover line") ?? [] {
                            if k == "title" { title = r.string(v) ?? "" } else { short = r.string(v) }
                        }
                        pending.lines.append((title, short, r.location(line)))
                    } else if let text = r.string(line) {
                        pending.lines.append((text, nil, r.location(line)))
                    }
                }
            case "price": pending.cover.price = r.string(value)
            case "cn": pending.cover.cn = r.string(value)
            case "serial": pending.cover.serial = r.string(value)
            case "issn":
                guard let s = r.string(value) else { continue }
                if Cover.isValidISSN(s) { pending.cover.issn = s.uppercased() } else {
                    r.error("'\(s)' is not a valid ISSN (NNNN-NNNC with its check digit); the barcode needs it", at: r.location(value))
                }
            default:
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

    /// `imprint` or an image path.
    static func readCoverPage(_ node: Node, _ r: YAMLReader, folder: URL, options: InputOptions, problems: inout [Diagnostic]) -> CoverPage? {
        guard let s = r.string(node) else { return nil }
        if s == "imprint" { return .imprint }
        return .image(image(s, at: r.location(node), folder: folder, options: options, problems: &problems), path: s)
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
            let id = URL(fileURLWithPath: line.text).deletingPathExtension().lastPathComponent
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
