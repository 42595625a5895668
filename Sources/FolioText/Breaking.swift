/// Line breaking on plain values (no fonts): items with widths and glue between them, break
/// permissions from the language rules, and a breaker behind a protocol. The clreq-specific
/// knowledge lives in `ItemBuilder` (which builds the items) and `LineRules` (the tables).
import FolioCore

/// Which adjustment class a gap belongs to; justification works through them in clreq C14 order.
public enum GlueClass: Int, Hashable, Sendable, CaseIterable {
    /// No adjustment ever (inside Latin words and numbers, around connectors).
    case fixed
    /// Western word spaces.
    case space
    /// Han–Latin/digit spacing (clreq C12).
    case hanLatin
    /// The empty half of a full-width comma, pause mark, colon, semicolon or bracket (clreq C14).
    case punctuation
    /// The empty half of 。？！, squeezed last (clreq C14; some styles forbid it).
    case fullStop
    /// Inside a pair of marks already set at 1.5 em whose second mark opens (：“ ）（ ，《):
    /// the second may lose its blank half too, the 1-em setting clreq C8 allows, as the very
    /// last reduction (the ink of the two never meets).
    case adjacentPair
    /// Between ideographs: expanded last, all equally (clreq C14).
    case interCharacter
    /// A join inside an Arabic-script word that may be lengthened with tatweel (kashida, alreq A4):
    /// at most one per word; expanded before word spaces when kashida justification is on.
    case kashida
    /// Between ideographs in a language justified at its word spaces (Korean by words, Arabic
    /// script, Mongolian): the Chinese words in its text are set solid, as its own words are —
    /// opened only on a line with no other gap to open (`ItemBuilder`, `Justifier`).
    case solidIdeograph

    /// How many classes there are (their raw values are 0..<count: tables indexed by class).
    static let count = allCases.count
}

/// The space after an item: natural width, how far it may stretch and shrink, and its class.
public struct Glue: Hashable, Sendable {
    public var natural: Pt
    public var stretch: Pt
    public var shrink: Pt
    public var kind: GlueClass
    /// How far the gap between two ideographs may close once every other reduction is used up
    /// (clreq C14 reduces inter-character spacing only after the punctuation): the last resort
    /// of a line a few hundredths of an em too long, weighed by the total-fit breaker against a
    /// visibly letterspaced line (`TotalFitBreaker.tightening`). Not shrink: no other breaker,
    /// and no reduction before it, counts it.
    public var tighten: Pt = 0
    /// How far a Han–Latin space grows before the gaps between ideographs open (part of its
    /// stretch: `Justifier.hanLatinEase`); the rest of its stretch comes after them.
    public var ease: Pt = 0
    public init(natural: Pt = 0, stretch: Pt = 0, shrink: Pt = 0, kind: GlueClass = .fixed) {
        self.natural = natural; self.stretch = stretch; self.shrink = shrink; self.kind = kind
    }
    public static let fixed = Glue()

    /// Its `ease`: the growth of its stretch that keeps it at most `width` wide.
    mutating func ease(to width: Pt) { ease = min(stretch, max(0, width - natural)) }
}

public enum BreakPermission: Hashable, Sendable { case prohibited, allowed, mandatory }

/// What the breaker sees of one cluster.
public struct BreakItem: Hashable, Sendable {
    /// Advance inside a line (after adjacent-punctuation compression).
    public var width: Pt
    /// Glue between this item and the next.
    public var gap: Glue
    /// May a line end after this item?
    public var breakAfter: BreakPermission
    /// Width dropped when the item ends a line (the empty half of a closing mark, clreq C10).
    public var endTrim: Pt
    /// Width dropped when the item starts a line (the empty half of an opening mark, clreq C9).
    public var startTrim: Pt
    /// Whether the item counts as a character for the lone-character rule (clreq C16).
    public var isLetter: Bool
    /// A break after this item is a dictionary hyphenation point inside a word (clreq C19):
    /// the line then ends in a hyphen, whose width `endTrim` (negative) adds.
    public var hyphenates = false
    /// A break after this item falls between two characters of a web or e-mail address that
    /// none of its break points separates (`Addresses`): allowed, without a hyphen (it would read
    /// as part of the address), and weighed like a hyphenation — a last resort.
    public var cutsAddress = false
    public init(width: Pt, gap: Glue = .fixed, breakAfter: BreakPermission = .prohibited,
                endTrim: Pt = 0, startTrim: Pt = 0, isLetter: Bool = true) {
        self.width = width; self.gap = gap; self.breakAfter = breakAfter
        self.endTrim = endTrim; self.startTrim = startTrim; self.isLetter = isLetter
    }
}

extension Collection<BreakItem> {
    /// How many of the items are letters (a paragraph's last line needs two: clreq C16).
    var letterCount: Int { reduce(0) { $0 + ($1.isLetter ? 1 : 0) } }
}

/// The measure of each line: the first may be indented.
public struct Measures: Hashable, Sendable {
    public var first: Pt
    public var rest: Pt
    public init(first: Pt, rest: Pt) { self.first = first; self.rest = rest }
    public func callAsFunction(_ line: Int) -> Pt { line == 0 ? first : rest }
}

/// Chooses where lines end. Returns item ranges, one per line, covering all items in order.
public protocol LineBreaker: Sendable {
    func breakLines(_ items: [BreakItem], measures: Measures) -> [Range<Int>]
}

/// Natural width, shrink and stretch of items `range` set as one line.
public struct LineMetrics: Hashable, Sendable {
    public var natural: Pt
    public var shrink: Pt
    public var stretch: Pt
    /// The last resort past `shrink` (`Glue.tighten`), not in `ratio`.
    public var tighten: Pt

    public init(_ items: [BreakItem], _ range: Range<Int>) {
        var natural: Pt = 0, shrink: Pt = 0, stretch: Pt = 0, tighten: Pt = 0
        for k in range {
            natural += items[k].width
            if k < range.upperBound - 1 {
                natural += items[k].gap.natural
                shrink += items[k].gap.shrink
                stretch += items[k].gap.stretch
                tighten += items[k].gap.tighten
            }
        }
        if let first = range.first { natural -= items[first].startTrim }
        if let last = range.last { natural -= items[last].endTrim }
        self.natural = natural; self.shrink = shrink; self.stretch = stretch; self.tighten = tighten
    }

    /// How hard the line is pulled (>0) or pushed (<0) relative to its capacity; 0 is perfect.
    public func ratio(for measure: Pt) -> Double {
        let d = measure - natural
        if abs(d) < 1e-6 { return 0 }
        if d > 0 { return stretch > 0 ? d / stretch : .infinity }
        return shrink > 0 ? d / shrink : -.infinity
    }
}

/// First-fit breaking with shrink: each line takes the break, of the last one that fits without
/// shrinking and the first one that needs shrinking, whose adjustment ratio is smaller; then a
/// paragraph whose last line would hold a lone character pulls one more unit down (clreq C16).
public struct GreedyBreaker: LineBreaker {
    /// Room kept at the end of a line cut inside an overlong word, for the hyphen drawn there.
    public var emergencyHyphen: Pt = 0
    /// A line shorter than this share of the measure is "nearly empty": rather than leave it so
    /// (and letter-spaced) before a word longer than any line, the word is cut on it.
    static let nearlyEmpty = 0.7
    public init(emergencyHyphen: Pt = 0) { self.emergencyHyphen = emergencyHyphen }

    public func breakLines(_ items: [BreakItem], measures: Measures) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < items.count {
            let end = nextBreak(items, from: start, measure: measures(lines.count))
            lines.append(start..<end)
            start = end
        }
        avoidLoneCharacter(items, &lines, measures: measures)
        return lines
    }

    /// The end (exclusive) of the line that starts at `start`.
    func nextBreak(_ items: [BreakItem], from start: Int, measure: Pt) -> Int {
        var natural: Pt = -items[start].startTrim, shrink: Pt = 0
        var loose: (end: Int, ratio: Double)? = nil
        var k = start
        while k < items.count {
            natural += items[k].width
            let lineWidth = natural - items[k].endTrim
            let canEnd = items[k].breakAfter != .prohibited || k == items.count - 1
            if canEnd {
                if items[k].breakAfter == .mandatory && lineWidth <= measure + 1e-6 { return k + 1 }
                if lineWidth <= measure + 1e-6 {
                    loose = (k + 1, 0)
                    if items[k].breakAfter == .mandatory { return k + 1 }
                } else if lineWidth - shrink <= measure + 1e-6 {
                    // Fits only by shrinking: compare with the loose candidate.
                    let tight = LineMetrics(items, start..<(k + 1)).ratio(for: measure)
                    guard let l = loose else { return k + 1 }
                    let looseRatio = LineMetrics(items, start..<l.end).ratio(for: measure)
                    return abs(tight) < abs(looseRatio) ? k + 1 : l.end
                } else {
                    break
                }
            }
            if lineWidth - shrink > measure + 1e-6 && loose != nil { break }
            natural += items[k].gap.natural
            shrink += items[k].gap.shrink
            k += 1
        }
        if let l = loose {
            // If what follows is one word longer than any line, cutting it here (with a hyphen)
            // beats leaving this line nearly empty and letter-spaced.
            guard overlongRun(items, from: l.end, measure: measure), LineMetrics(items, start..<l.end).natural < measure * Self.nearlyEmpty else { return l.end }
        } else if k >= items.count {
            return items.count
        }
        // Nothing fits (an unbreakable run longer than the line): cut where the measure runs out,
        // less room for the hyphen that marks the cut, keeping at least one item, so nothing is
        // lost and nothing overflows.
        var width: Pt = 0, end = start
        while end < items.count {
            width += items[end].width
            if width > measure - emergencyHyphen && end > start { break }
            width += items[end].gap.natural
            end += 1
        }
        return max(end, start + 1)
    }

    /// Whether the unbreakable run starting at `from` is wider than a whole line.
    func overlongRun(_ items: [BreakItem], from: Int, measure: Pt) -> Bool {
        var width: Pt = 0, k = from
        while k < items.count {
            width += items[k].width
            if width > measure { return true }
            if items[k].breakAfter != .prohibited { return false }
            width += items[k].gap.natural
            k += 1
        }
        return false
    }

    /// clreq C16 / jlreq J5: a last line of one character (plus punctuation) takes one more unit
    /// from the line before, if that line can still be justified.
    func avoidLoneCharacter(_ items: [BreakItem], _ lines: inout [Range<Int>], measures: Measures) {
        guard lines.count >= 2, let last = lines.last else { return }
        guard items[last].letterCount < 2 else { return }
        let prevIndex = lines.count - 2
        let prev = lines[prevIndex]
        // A line the writer ended (a hard break, a line of code) keeps its last characters.
        guard items[prev.upperBound - 1].breakAfter != .mandatory else { return }
        // The latest earlier break in the previous line that leaves it at least two units.
        var cut = prev.upperBound - 2
        while cut > prev.lowerBound {
            if items[cut].breakAfter == .allowed { break }
            cut -= 1
        }
        guard cut > prev.lowerBound else { return }
        let newLast = (cut + 1)..<last.upperBound
        guard LineMetrics(items, newLast).natural <= measures(lines.count - 1) + 1e-6 else { return }
        lines[prevIndex] = prev.lowerBound..<(cut + 1)
        lines[lines.count - 1] = newLast
    }
}
