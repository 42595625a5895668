/// Turns shaped clusters into break items by the language rules: break permissions (C4–C7,
/// UAX #14 refined), adjacent-punctuation compression (C8), line-edge trims (C9, C10),
/// Han–Latin spacing (C12) and the glue classes justification uses (C14).
import FolioCore

struct ItemBuilder {
    var rules: LineRules
    /// The body em: spacing amounts are fractions of it.
    var em: Pt
    var typography = Typography()
    /// Scalar offsets after which a word may be hyphenated (from the dictionary, clreq C19).
    var hyphenationPoints: Set<Int> = []
    /// Vertical lines: marks keep their listed classes (their `vert` forms are measured
    /// horizontally, so the ink side of the shaped glyph does not apply).
    var vertical = false
    /// Display text (`ParagraphStyle.breaksBetweenWords`): the only offsets where a line may
    /// break between two CJK characters (`WordBreaks.displayBreaks`); nil for body text.
    var wordBreaks: Set<Int>? = nil

    /// Items plus, per item, how far its glyphs shift left (a compressed opening mark).
    struct Result {
        var items: [BreakItem]
        var shift: [Pt]
    }

    /// Nominal stretch of one gap, for the total-fit breaker's badness (clreq C14 lets
    /// inter-character gaps take whatever remains; ¼ em each is "comfortable").
    var interCharacterStretch: Pt { em * Self.interCharacterStretchEm }
    static let interCharacterStretchEm = 0.25
    /// How far a gap between two ideographs may close as a last resort (`Glue.tighten`): 1/32 em,
    /// a third of a point in 10-point type — below what a reader sees, where the letterspacing it
    /// spares (0.08 em and more) is not.
    var ideographTightening: Pt { em / 32 }
    /// Marks whose empty half is squeezed last (clreq C14).
    static let fullStops: ScalarSet = "。？！．"
    static let ellipses: ScalarSet = "\u{2026}\u{22EF}"
    static let interpuncts: ScalarSet = "\u{B7}\u{30FB}\u{2027}"
    /// Spaces no line ends at (UAX #14 class GL).
    static let noBreakSpaces: ScalarSet = "\u{A0}\u{202F}\u{2007}"

    func build(_ p: ShapedParagraph) -> Result {
        let clusters = p.clusters
        let n = clusters.count
        var items = [BreakItem]()
        items.reserveCapacity(n)
        var shift = [Pt](repeating: 0, count: n)
        // A cluster's class is its first character's; a full-width mark behaves as its ink sits
        // in the font used (clreq C11): ink in the first half squeezes like a closing mark.
        var classes = clusters.map { c -> CharClass in
            let cls = CharClass.of(p.scalars[c.range.lowerBound])
            guard !vertical, let side = c.inkSide else { return cls }
            switch side {
            case .start: return .closing
            case .end: return .opening
            case .centre: return .fullwidthOther
            }
        }
        // An enclosing mark in a cluster of its own spaces like the character it encloses.
        for i in 1..<max(1, n) where clusters[i].attachedToPrevious { classes[i] = classes[i - 1] }
        // Is the cluster an ellipsis (…, ⋯)? Beside one the gap may open, inside …… never (C7, C14).
        func ellipsis(_ i: Int) -> Bool { i < n && Self.ellipses.contains(p.scalars[clusters[i].range.lowerBound]) }
        // Is the mark set full width here? (Curly quotes are proportional in some fonts.)
        func fullWidth(_ i: Int) -> Bool { clusters[i].advance >= 0.9 * em }
        // A full-width interpunct, its dot centred (· ・ ‧), not in code.
        func interpunct(_ i: Int) -> Bool {
            i < n && classes[i] == .fullwidthOther && Self.interpuncts.contains(p.scalars[clusters[i].range.lowerBound]) && fullWidth(i) && !p.isCode(cluster: i)
        }
        // clreq C8: a pair of adjacent marks takes `adjacentPunctuation` ems: the first loses
        // its empty half (1.5 em), and at 1 em the second loses its empty half too.
        let half = em / 2
        let pairCut = min(half, max(0, (2 - typography.adjacentPunctuation) * em) / 2)
        let hanLatin = typography.hanLatinSpace * em
        // Room a Han–Latin space has to grow, used only after every other gap (clreq C12, C14).
        let hanLatinGrowth = max(0, typography.hanLatinMax * em - hanLatin)

        // Where only word spaces stretch (Korean, Arabic script, Mongolian: the breaker's
        // `stretchReference` 1), the Chinese words in the text are set solid as the language's
        // own words are: their ideographs never open (a Korean line's `民族网인간이` had opened
        // its two gaps by 1.72 em while its spaces stood at ½ em).
        let solidIdeographs = rules.justifiesAtWordSpaces
        let kashidaAfter = typography.kashida ? kashidaPoints(p) : []
        // Inside a web or e-mail address a line breaks only where `Addresses` lets it, and never
        // with a hyphen: each boundary inside one, and whether a line may end there (nil: never;
        // false: as a last resort).
        var insideAddress: [Int: Bool?] = [:]
        for a in p.addresses {
            let breaks = Addresses.breaks(in: p.scalars, a)
            for b in (a.lowerBound + 1)..<a.upperBound { insideAddress[b] = .some(breaks[b]) }
        }
        for i in 0..<n {
            let c = clusters[i], cls = classes[i]
            var item = BreakItem(width: c.advance)
            item.isLetter = cls == .ideograph || cls == .hangul || cls == .word
            if cls == .ideographicSpace { item.endTrim = c.advance }     // a blank em vanishes at a line end
            let prevCls: CharClass? = i > 0 ? classes[i - 1] : nil
            let nextCls: CharClass? = i + 1 < n ? classes[i + 1] : nil
            let stop = Self.fullStops.contains(p.scalars[c.range.lowerBound])
            var pairCompressed = false
            // Code is set as written: its marks keep their full width and its spaces theirs, and
            // no Han–Latin space comes between its characters (they would move its columns);
            // where code meets the text around it (inline code) the text's rules apply.
            let asWritten = p.isCode(cluster: i)

            if cls == .closing && fullWidth(i) && !asWritten {
                if let nx = nextCls, nx == .closing || nx == .opening || nx == .fullwidthOther, fullWidth(i + 1) {
                    item.width -= half                                   // C8
                    pairCompressed = true                                // and never opened again
                } else {
                    item.endTrim = half                                  // C10: half width at line end
                    item.gap = Glue(shrink: half, kind: stop ? .fullStop : .punctuation)   // C14
                }
            }
            if cls == .fullwidthOther && stop && fullWidth(i) && !asWritten {
                item.gap = Glue(shrink: half / 2, kind: .fullStop)       // ！？ are centred: a quarter each side
            }
            if cls == .opening && fullWidth(i) && !asWritten {
                if let pv = prevCls, pv == .opening || pv == .closing, fullWidth(i - 1) {
                    // After a closing mark the pair is already 1.5 em; at 1 em, or after another
                    // opening mark, this one loses its empty left half.
                    let cut = pv == .opening ? half : (pairCut > 0 && typography.adjacentPunctuation < 1.5 ? pairCut : 0)
                    item.width -= cut
                    shift[i] = -cut
                } else {
                    item.startTrim = half                                // C9: an opening mark at line start
                }
            }

            // Glue to the next item.
            if let ncls = nextCls {
                if asWritten && p.isCode(cluster: i + 1) {
                    // A space of code keeps its width (a line may still end at a breaking one).
                    if cls == .space {
                        item.width = 0
                        item.gap = Glue(natural: c.advance, stretch: em / 2, kind: .space)
                    } else {
                        item.gap = .fixed
                    }
                } else if cls == .space {
                    // A word space; next to Han it is the Han–Latin space (C12), replacing the
                    // space's own width; between Hangul words a ¼ em word space (klreq).
                    let cjkSide = (prevCls?.isCJK ?? false) || ncls.isCJK
                    let hanSide = cjkSide && prevCls != .hangul && ncls != .hangul
                    let natural = cjkSide ? hanLatin : c.advance
                    item.width = 0
                    item.gap = Glue(natural: natural, stretch: hanSide ? hanLatinGrowth : em / 2,
                                    shrink: max(0, natural - (cjkSide ? em / 8 : em / 4)), kind: hanSide ? .hanLatin : .space)
                    if hanSide { item.gap.ease(to: Justifier.hanLatinEase * em) }
                } else if ncls == .space {
                    // The space item carries the glue; a closing mark keeps its squeeze capacity.
                    if item.gap.kind != .punctuation && item.gap.kind != .fullStop { item.gap = .fixed }
                } else if (cls == .ideograph && ncls == .word) || (cls == .word && ncls == .ideograph) {
                    // C12: ¼ em, squeezed to ⅛ em; it grows last, and a single letter or digit
                    // between two Han characters (阿Q, A股, 3号) never grows: it is part of a name.
                    let single = cls == .word ? isLoneWordCluster(i, classes) : isLoneWordCluster(i + 1, classes)
                    item.gap = Glue(natural: hanLatin, stretch: single ? 0 : hanLatinGrowth, shrink: hanLatin / 2, kind: .hanLatin)
                    item.gap.ease(to: Justifier.hanLatinEase * em)
                } else if (cls == .connector && !ellipsis(i)) || (ncls == .connector && !ellipsis(i + 1)) || (ellipsis(i) && ellipsis(i + 1)) {
                    // C14: never around dashes and solidi, never inside an ellipsis (……); beside
                    // an ellipsis the gap is an ordinary one, and takes its share below.
                    item.gap = .fixed
                } else if item.gap.kind == .punctuation || item.gap.kind == .fullStop {
                    item.gap.stretch = interCharacterStretch             // squeezable, and takes its share of expansion
                } else if (cls.isCJK || ncls.isCJK) && !(cls == .opening && ncls == .opening)
                            && (rules.justifyBetweenLetters || (cls == .ideograph && ncls == .ideograph)
                                || (rules.hangul == .characters && cls == .hangul && ncls == .hangul)) {
                    item.gap = solidIdeographs ? Glue(kind: .solidIdeograph) : Glue(stretch: interCharacterStretch, kind: .interCharacter)
                    if cls == .ideograph && ncls == .ideograph { item.gap.tighten = ideographTightening }
                } else {
                    item.gap = .fixed
                }
                // An opening mark may lose its empty left half when squeezed (C14).
                if ncls == .opening && fullWidth(i + 1) && cls != .opening && cls != .closing && cls != .space
                    && item.gap.kind != .hanLatin && item.gap.kind != .fixed {
                    item.gap.kind = .punctuation
                    item.gap.shrink = half
                }
            }
            // An interpunct set full width (阿依古丽·买买提) gives up a quarter em on each side, to
            // ½ em, equally (C14: after word spaces, before brackets and commas).
            if (item.gap.kind == .interCharacter || item.gap.kind == .solidIdeograph) && (interpunct(i) || interpunct(i + 1)) {
                item.gap.kind = .punctuation
                item.gap.shrink = half / 2
            }
            // A compressed pair keeps its 1.5 em (C8): the gap inside it never stretches, and
            // shrinks (to 1 em) only before an opening mark, whose blank half is on this side.
            if pairCompressed {
                item.gap = nextCls == .opening && typography.adjacentPunctuation > 1 ? Glue(shrink: half, kind: .adjacentPair) : .fixed
            }
            if typography.kashida && kashidaAfter.contains(i) { item.gap = Glue(stretch: em, kind: .kashida) }
            if i + 1 < n && clusters[i + 1].attachedToPrevious { item.gap = .fixed }
            item.breakAfter = permission(after: i, p, classes)
            if !insideAddress.isEmpty, let inside = insideAddress[c.range.upperBound], item.breakAfter != .mandatory {
                // Its gaps open like those between ideographs (a few hundredths of an em, where a
                // line of an address ends a character short of the measure), never as spaces.
                item.gap = Glue(stretch: interCharacterStretch, kind: .interCharacter)
                item.breakAfter = inside == nil ? .prohibited : .allowed
                item.cutsAddress = inside == false
            } else if item.breakAfter == .prohibited, !asWritten, hyphenationPoints.contains(c.range.upperBound) {
                item.breakAfter = .allowed
                item.hyphenates = true
                item.endTrim = -p.fonts[c.font].hyphenMark(rightToLeft: c.rtl).advance
            }
            items.append(item)
        }
        return Result(items: items, shift: shift)
    }

    /// Letters that never join to the following letter (right-joining only): no kashida after them.
    static let rightJoining: ScalarSet = "اأإآدذرزژوۇۆۈۋۅۉەءئةې\u{0671}\u{0672}\u{0673}\u{0675}\u{0676}\u{0677}"

    /// Lam and the alefs it makes its ligature with (لا, لأ, لإ, لآ): a kashida never parts
    /// them — the ligature is obligatory (alreq A4), and the tatweel between them drew
    /// `ئىنسانلـار` in the Uyghur edition's first line.
    static let lams: ScalarSet = "\u{0644}\u{06B5}\u{06B6}\u{06B7}\u{06B8}\u{076A}"
    static let alefs: ScalarSet = "\u{0622}\u{0623}\u{0625}\u{0627}\u{0671}\u{0672}\u{0673}\u{0675}"

    /// One join per Arabic-script word where a kashida may go: the last join between two letters
    /// of the word whose first letter connects forward (alreq A4 prefers joins late in the word),
    /// not between lam and alef.
    func kashidaPoints(_ p: ShapedParagraph) -> Set<Int> {
        let arabic = ScriptClasses.isArabicLetter
        var points = Set<Int>(), candidate: Int? = nil
        let clusters = p.clusters
        for i in 0..<clusters.count {
            let first = p.scalars[clusters[i].range.lowerBound], last = p.scalars[clusters[i].range.upperBound - 1]
            if !arabic(first) {
                if let c = candidate { points.insert(c) }
                candidate = nil
                continue
            }
            if i + 1 < clusters.count, case let next = p.scalars[clusters[i + 1].range.lowerBound], arabic(next), !Self.rightJoining.contains(last),
               !(Self.lams.contains(last) && Self.alefs.contains(next)) {
                candidate = i
            }
        }
        if let c = candidate { points.insert(c) }
        return points
    }

    /// Whether cluster `i` is a one-cluster word (a letter or digit) between two ideographs.
    func isLoneWordCluster(_ i: Int, _ classes: [CharClass]) -> Bool {
        i > 0 && i + 1 < classes.count && classes[i] == .word && classes[i - 1] == .ideograph && classes[i + 1] == .ideograph
    }

    /// May a line end after cluster `i`?
    func permission(after i: Int, _ p: ShapedParagraph, _ classes: [CharClass]) -> BreakPermission {
        let clusters = p.clusters
        guard i + 1 < clusters.count else { return .allowed }
        let boundary = clusters[i].range.upperBound
        if p.mustBreakBefore[boundary] { return .mandatory }
        let left = p.scalars[boundary - 1], right = p.scalars[boundary]
        var allowed = p.breakBefore[boundary]
        // UAX #14 glues “ ” ‘ ’ to both neighbours; between CJK characters any gap may break (C4).
        if rules.breakBetweenIdeographs && isCJKLike(classes[i]) && isCJKLike(classes[i + 1]) {
            allowed = wordBreaks?.contains(boundary) ?? true
        }
        // A full-width closing mark may end a line before a Latin word or a number, and an
        // opening one start a line after it, as beside an ideograph (C4 and C5 still apply
        // below): UAX #14 glues the quotation marks “ ” to a Latin neighbour (LB19), which kept
        // `路。”2024` on one line and spaced out the line before it.
        if wordBreaks == nil && ((classes[i] == .closing && classes[i + 1] == .word) || (classes[i] == .word && classes[i + 1] == .opening)) {
            allowed = true
        }
        // After a breaking space a line may end (not after a no-break one: 10\u{A0}km, code's indents).
        if classes[i] == .space && !Self.noBreakSpaces.contains(left) { allowed = allowed || classes[i + 1] != .space }
        if rules.noStart.contains(right) && !startsTwoEmDash(boundary, p) || rules.noEnd.contains(left) { allowed = false }
        // Korean word mode: only spaces separate words (klreq K2). By characters, a number
        // keeps the counter after it (2024년, 15일, 3명): a line never starts with it.
        if rules.hangul == .words && classes[i] != .space && classes[i + 1] != .space { allowed = false }
        if rules.hangul == .characters && classes[i + 1] == .hangul && ("0"..."9").contains(left) { allowed = false }
        // A suffix joined by U+202F or U+180E stays with its word (mlreq M4).
        if left == "\u{202F}" || left == "\u{180E}" || right == "\u{202F}" || right == "\u{180E}" { allowed = false }
        if left == right && rules.unbreakableDoubles.contains(left) { allowed = false }       // C7
        // A space may not be pushed to a line start: break after it, not before it.
        if classes[i + 1] == .space || classes[i + 1] == .ideographicSpace { allowed = false }
        return allowed ? .allowed : .prohibited
    }

    private func isCJKLike(_ c: CharClass) -> Bool { c.isCJK || c == .connector }

    /// Whether a two-em dash (——) begins at `boundary` and the rules let it start a line (C6).
    private func startsTwoEmDash(_ boundary: Int, _ p: ShapedParagraph) -> Bool {
        rules.twoEmDashMayStart && p.scalars[boundary] == "—" && boundary + 1 < p.scalars.count && p.scalars[boundary + 1] == "—"
    }
}
