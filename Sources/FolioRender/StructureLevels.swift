/// The elements `StructureTagger` makes of text: the element of each role, how a contents entry
/// reads, and what it keeps as it goes — the heading levels so far, the lists open on a page.
import FolioCore

extension StructureTagger {
    /// The contents entry whose first line is `items`' first, as read aloud: its title's lines
    /// (a space where one was at a break), a space, its page number.
    static func spokenEntry(_ items: ArraySlice<PageItem>) -> String {
        var title = "", number = ""
        for case .text(let t) in items {
            if t.role == .contentsPage { number = t.line.text; break }
            guard t.role == .contentsEntry, title.isEmpty || t.line.range.lowerBound > 0 else { break }
            title += t.line.text
            if t.line.range.count > t.line.text.unicodeScalars.count, !title.hasSuffix(" ") { title += " " }
        }
        while title.hasSuffix(" ") { title.removeLast() }
        return number.isEmpty ? title : title + " " + number
    }

    /// The element for a text role; nil: furniture, left out of the structure.
    static func tag(for role: TextRole) -> String? {
        switch role {
        case .runningHead, .folio, .tableHeaderRepeated: return nil
        case .title, .masthead, .contentsTitle: return "H1"
        case .heading, .displayHeading, .contentsSection: return "H2"
        case .subheading: return "H3"
        case .caption: return "Caption"
        case .quote, .pullQuote: return "BlockQuote"
        case .boxTitle, .boxHeading: return "H3"   // in an article, one level under the box's section: `HeadingLevels`
        case .kicker, .deck, .byline, .body, .list, .code, .listLabel, .credits, .box, .table, .tableHeader,
             .coverIssue, .coverLine, .coverShort, .coverSmall, .imprintTitle, .imprint,
             .contentsLabel, .contentsEntry, .contentsPage, .contentsDeck: return "P"
        }
    }
}

/// A box's title is a heading one level under the section it sits in (after an article's title
/// `H2`, after an `H2` `H3`…), its headings one under its title: a screen reader's list of
/// headings then shows the box where it is, and no level is skipped. (A fixed level would skip
/// one — an `H3` right after the title's `H1` — or put the box beside its section.) For the same
/// reason a subheading (`###`) with no heading (`##`) over it since the title is an `H2`.
struct HeadingLevels {
    /// The level of the last heading outside boxes (the article's title: 1), and of the box's
    /// title; whether a heading came since the title.
    private var section = 1, box: Int?, headed = false

    /// The element of a line of `role` (nil: not a heading the levels govern), and notes the
    /// levels; `starts`: the line begins an element (not a heading's second line).
    mutating func tag(for role: TextRole, starts: Bool) -> String? {
        switch role {
        case .title: section = 1; box = nil; headed = false
        case .heading, .displayHeading: section = 2; box = nil; headed = true
        case .subheading:
            section = headed ? 3 : 2; box = nil
            return "H\(section)"
        case .boxTitle:
            if starts { box = min(6, section + 1) }
            return "H\(box ?? min(6, section + 1))"
        case .boxHeading: return "H\(min(6, (box ?? section) + 1))"
        case .box: break
        default: box = nil
        }
        return nil
    }
}

/// A list the tagger has open on a page (`StructureTagger.draw`): its element (`L`, or
/// `listContinuation`), whether an item's `LI` > `LBody` is open in it, and the element open in
/// that body.
struct OpenList {
    var tag: String
    var item = false
    var child: (tag: String, role: TextRole)?
}
