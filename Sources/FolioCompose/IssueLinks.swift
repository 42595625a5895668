/// Links between an issue's articles, as the issue composer places them (`ArticleLinks`).
import FolioCore

extension IssueComposer {
    /// `issue` with a named destination at each heading a link of it leads to, named after its
    /// article's (`anchorName`).
    static func anchored(_ issue: Issue) -> Issue { ArticleLinks(issue).anchoring(issue, anchor: anchorName).issue }
}
