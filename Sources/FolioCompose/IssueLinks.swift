/// An issue's links between articles and to headings, worked out once for a composition
/// (`ArticleLinks`): the issue with a named destination at each heading a link leads to (named
/// after its article's, `IssueComposer.anchorName`), the links, and what those destinations are.
import FolioCore

struct IssueLinks {
    let issue: Issue
    let links: ArticleLinks
    let titles: [String: String]

    init(_ issue: Issue) {
        links = ArticleLinks(issue)
        (self.issue, titles) = links.anchoring(issue, anchor: IssueComposer.anchorName)
    }
}
