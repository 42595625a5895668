/// Run-on sections (`flow: continuous`, news pages): an article after the first starts on the
/// page where the one before it ends, one blank grid line under its lowest line, with a rule
/// in that blank line — when its opening and a few lines of text fit there; otherwise on a new
/// page as usual. The article is composed again for that start (its ordinary composition, done
/// in parallel with the others, serves when it does not run on).
import FolioCore

extension IssueComposer {
    /// Where an article can start under the content of `page`: its first grid line, and where
    /// the rule above it goes (the middle of the blank line); nil when no grid line is left.
    func runOnStart(below page: Page) -> (line: Int, ruleY: Pt)? {
        let frame = PageFrame(template: template, number: page.number)
        let top = frame.baseline(0) - IdeographicBox.ascent * template.grid.bodySize
        let low = ArticleComposer.lowestPoint(of: page)
        // Grid lines 0..<used hold something; line `used` stays blank and carries the rule.
        let used = max(0, Int(((low - top) / frame.pitch - 1e-6).rounded(.up)))
        guard used + 1 < frame.lineCount else { return nil }
        return (used + 1, ruleY(above: used + 1, on: frame))
    }

    /// Where the rule above an article running on from grid line `line` goes: the middle of
    /// the blank line above it.
    func ruleY(above line: Int, on frame: PageFrame) -> Pt {
        frame.baseline(0) - IdeographicBox.ascent * template.grid.bodySize + (Double(line) - 0.5) * frame.pitch
    }

    /// `article` composed to run on: under the text of `held` (the page the article before it
    /// ended on), or — a section taken up from its middle (`Section.firstRunsOnAt`, given as
    /// `takenUpAt`) — from that line of the page before folio `next`, under an article not
    /// composed (that page's content is not drawn). `composed` is the article as composed
    /// ahead, used when it was composed for that line (`IssueComposer.runOnHints`), else it is
    /// composed again. Nil when there is no room or its opening does not fit there.
    func runningOn(_ article: Article, composed ahead: ComposedArticle, under held: Page?, takenUpAt line: Int?,
                   next: Int) -> (composed: ComposedArticle, page: Page, ruleY: Pt, line: Int)? {
        let under: Page, start: (line: Int, ruleY: Pt)
        if let line {
            let frame = PageFrame(template: template, number: next - 1)
            (under, start) = (Page(size: frame.media, trim: frame.trim, number: next - 1), (line, ruleY(above: line, on: frame)))
        } else if let held, let s = runOnStart(below: held) {
            (under, start) = (held, s)
        } else {
            return nil
        }
        let composed = ahead.ranOn && ahead.startLine == start.line ? ahead
            : articleComposer.compose(article, firstPage: 1, startLine: start.line)
        return composed.ranOn ? (composed, under, start.ruleY, start.line) : nil
    }

    /// `page` (a run-on article's first page) drawn on `held`, under a rule at `ruleY`, which its
    /// named destination `anchor` moves to.
    func merged(_ page: Page, under held: Page, ruleY: Pt, anchor: String) -> Page {
        var out = held
        let area = PageFrame(template: template, number: held.number).textArea
        out.items.append(.rect(RectItem(frame: Rect(x: area.x, y: ruleY - 0.25, width: area.width, height: 0.5), fill: template.furniture.ruleColor)))
        out.runOns.append(RunOnStart(articleID: page.articleID ?? "", firstItem: out.items.count))
        // The article's named destination (contents links, outline) is its rule, not the page top
        // (a heading's stays at its heading).
        out.items += page.items.map { item in
            guard case .anchor(var a) = item, a.name == anchor else { return item }
            a.point.y = ruleY - 0.25
            return .anchor(a)
        }
        return out
    }
}
