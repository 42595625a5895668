/// Balancing a text's last page (clreq C21): its columns shortened alike until the text fills
/// them evenly — for one article, and for a parallel pair's two texts at once.
import FolioCore

extension ArticleComposer {
    /// `flows` (and their `pages`) with the columns of the page their texts end on held to the
    /// fewest grid lines under `lastLine` that keep every text on as many pages — never at the
    /// price of a widow or orphan the full columns avoided, of a paragraph or heading pushed on
    /// from a column left short, of the credits parted from the text, or of a spanning figure
    /// moved from a page's head or a heading parted from its text (`Flow.limitBrokeKeep`).
    /// Spanning figures that follow the text on pages of their own may then go under it (fewer
    /// pages: taken).
    /// `run(limits)` flows the texts again with their pages' columns held to `limits`. Unchanged
    /// when nothing is to balance.
    func balancingLastPage(_ flows: [Flow], _ pages: [[Page]], lastLine: Int, run: ([Int: Int]) -> [Flow]) -> ([Flow], [[Page]]) {
        let cols = PageFrame(template: template, number: 1).columns.count
        let page = flows.first?.textEnd.page ?? 0
        guard template.typography.balanceLastPage, cols > 1, !flows.contains(where: \.overset), flows.allSatisfy({ $0.textEnd.page == page }),
              let count = pages.first?.count, pages.allSatisfy({ $0.count == count }) else { return (flows, pages) }
        let ends = flows.map(\.textEnd)
        // Lines used, each column from its own first line (a run-on opening heads the first alone).
        let used = ends.map { e in e.columnEnds.indices.reduce(0) { $0 + max(0, e.columnEnds[$1] - e.columnTops[$1]) } }
        guard ends.contains(where: { $0.columnEnds.count > 1 }) || used.contains(where: { $0 > 1 }) else { return (flows, pages) }
        // The first limit to try: the fewest lines under which the columns, each from its first
        // line, could hold what each text used.
        var limit = (ends.flatMap(\.columnTops).min() ?? 0) + 1
        while zip(ends, used).contains(where: { e, u in e.columnTops.reduce(0) { $0 + max(0, limit - $1) } < u }) { limit += 1 }
        while limit < lastLine {
            let trial = run([page: limit])
            let trialPages = trial.map { $0.finish() }
            let trialCount = trialPages.first?.count ?? 0
            if trialPages.allSatisfy({ $0.count == trialCount }) && trialCount <= count && zip(trial, flows).allSatisfy({ t, f in
                t.textEnd.page == page && !t.limitBrokeKeep && t.keepExceptions.count <= f.keepExceptions.count && t.shortfalls.count <= f.shortfalls.count
                    && (!t.creditsAlone || f.creditsAlone)
            }) {
                return (trial, trialPages)
            }
            limit += 1
        }
        return (flows, pages)
    }
}
