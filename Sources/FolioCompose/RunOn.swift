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

    /// `page` (a run-on article's first page) drawn on `held`, under a rule at `ruleY`.
    func merged(_ page: Page, under held: Page, ruleY: Pt) -> Page {
        var out = held
        let area = PageFrame(template: template, number: held.number).textArea
        out.items.append(.rect(RectItem(frame: Rect(x: area.x, y: ruleY - 0.25, width: area.width, height: 0.5), fill: template.furniture.ruleColor)))
        out.runOns.append(RunOnStart(articleID: page.articleID ?? "", firstItem: out.items.count))
        // The article's named destination (contents links, outline) is its rule, not the page top.
        out.items += page.items.map { item in
            guard case .anchor(var a) = item else { return item }
            a.point.y = ruleY - 0.25
            return .anchor(a)
        }
        return out
    }
}
