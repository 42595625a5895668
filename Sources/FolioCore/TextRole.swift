/// What a line of text on a page is. The tagged PDF makes its structure element of it
/// (FolioRender's `StructureTagger`, an exhaustive switch: a new role must say what it is
/// there), the text trace prints its raw value, and tests find lines by it.
public enum TextRole: String, Hashable, Sendable, CaseIterable {
    // An article's opening and text.
    case kicker, title, deck, byline
    case body, quote, heading, subheading
    /// A chapter heading of a literary opening, set large with a rule under it.
    case displayHeading = "display-heading"
    case list
    /// A block of code, set line by line as written.
    case code
    /// A list item's marker (`1.`, `•`).
    case listLabel = "list-label"
    case caption, credits
    case pullQuote = "pull-quote"
    case box
    case boxTitle = "box-title"
    /// A heading inside a box, set as the box's title is.
    case boxHeading = "box-heading"
    case table
    case tableHeader = "table-header"
    /// A table's header row repeated at the head of a later column or page (furniture).
    case tableHeaderRepeated = "table-header-repeated"
    // Page furniture.
    case runningHead = "running-head"
    case folio
    // Covers, the imprint and the contents page.
    case masthead
    case coverIssue = "cover-issue"
    case coverLine = "cover-line"
    case coverShort = "cover-short"
    case coverSmall = "cover-small"
    case imprintTitle = "imprint-title"
    case imprint
    case contentsTitle = "contents-title"
    case contentsLabel = "contents-label"
    case contentsSection = "contents-section"
    case contentsEntry = "contents-entry"
    case contentsPage = "contents-page"
    case contentsDeck = "contents-deck"
}
