/// No column ends short while the text goes on. Headings keep `typography.heading-keep` lines
/// of their section under them in their column (clreq C20), pull quotes are never split and
/// keep `orphans` lines under them, short code and tables are read whole, and paragraphs keep
/// their widow and orphan lines (C17);
/// when any of them has to move on to the next column for want of a line or two,
/// paragraphs of the column it leaves (a pushed paragraph itself too) are set again one line
/// shorter — squeezing the blank halves of their marks, as clreq C14 lets the breaker do
/// (`ParagraphInput.looseness` −1), never the type — until what was pushed fits. If they
/// cannot, the paragraphs before it are set a line longer until they fill the column instead
/// (looseness +1: the breaker takes it only if no line opens by 0.05 em, where a reader sees
/// letterspacing — a long paragraph whose last line is nearly full gives a line for almost
/// nothing). The longest paragraphs go first (their lines change least); a setting that would
/// end on a lone character is not taken. If neither works (short dialogue paragraphs have
/// little to give), the heading stays and keeps as many lines as a paragraph must leave at a
/// column foot (`orphans`, 2; not over a paragraph too short to split, which goes on whole) —
/// a heading with two lines under it is sound, a column ending four lines short while the text
/// goes on is not; short code (read whole, ≤ 8 lines) that
/// leaves three lines or more empty is split as a paragraph is, and a pull quote that does goes
/// after the table or box under it. Paragraphs before the column are tried too,
/// nearest first (a line moved there moves this column's lines); a change is taken only if the
/// article is then clean up to this column. A push that nothing mends is left, and the next one is taken.
import FolioCore

extension ArticleComposer {
    /// The blocks with the columns filled, their flow, and notes saying what was done. Every
    /// arrangement the composer tries (figures scaled, optional elements left out) is filled
    /// on its own: a line moved changes where the next push falls.
    func fillingShortColumns(_ collected: Collected, article: Article, firstPage: Int) -> (Collected, Flow, [Diagnostic]) {
        var log: [Diagnostic] = []
        var c = collected
        var tried = Set<Int>()
        // The flow of `c` as it stands: each accepted change hands on the flow it was judged by.
        var flow = run(c, article: article, firstPage: firstPage, limits: [:])
        // Each round resolves one push (the first left in the flow that was not given up on).
        var givenUp: [Shortfall] = []
        for _ in 0..<12 {
            guard let short = flow.shortfalls.first(where: { !givenUp.contains($0) }) else { break }
            let why = switch short.pushed {
            case .heading: "the heading after it keeps \(template.typography.headingKeep) lines in its column"
            case .pullQuote: "the pull quote after it fits in its column"
            case .paragraph: "a paragraph is not pushed on, leaving its column short"
            case .table: "the table after it fits in its column"
            case .box: "the box after it begins in its column"
            }
            // The column's paragraphs first, then those of the column before it (a line moved
            // there moves this column's lines too).
            let earlier = max(0, short.blocks.lowerBound - 120)..<short.blocks.lowerBound
            var mended = false
            for (scope, nearestFirst) in [(short.blocks, false), (earlier, true)] where !mended {
                // What was pushed fits once paragraphs (the pushed one too) free its lines…
                let tight = reset(c, scope, looseness: -1, lines: short.deficit, nearestFirst: nearestFirst, tried: &tried)
                if tight.lines >= short.deficit, let check = accepted(tight.collected, short, givenUp, article, firstPage) {
                    for at in tight.changed {
                        log.append(Diagnostic(.note, "paragraph set a line shorter (its marks squeezed) so that \(why)", at: at, code: "column-fill"))
                    }
                    (c, flow, mended) = (tight.collected, check, true)
                    break
                }
                // …or paragraphs fill the column, each a line longer, its lines opened by less
                // than a reader sees (the breaker refuses any spaced 0.05 em or more); a pushed
                // paragraph one line longer may split where it could not.
                // (A pull quote or short table the text fills its column before waits for the next column's head.)
                if short.filled { continue }
                let loose = reset(c, scope, looseness: 1, lines: short.empty, nearestFirst: nearestFirst, tried: &tried)
                if loose.lines >= short.empty - 1, let check = accepted(loose.collected, short, givenUp, article, firstPage) {
                    for at in loose.changed {
                        log.append(Diagnostic(.note, "paragraph set a line longer (its lines opened by less than 0.05 em) so that a column is not left short",
                                              at: at, code: "column-fill"))
                    }
                    (c, flow, mended) = (loose.collected, check, true)
                }
            }
            if mended { continue }
            // The block's own rule relaxed, or else the figure at the column's foot moved on.
            let resorts = [relaxing(short, in: c, article: article), deferringFootFigure(short, in: c, article: article)].compactMap { $0 }
            guard let (relaxed, note, check) = resorts.lazy.compactMap({ r in
                self.accepted(r.0, short, givenUp, article, firstPage).map { (r.0, r.1, $0) }
            }).first else {
                givenUp.append(short)
                continue
            }
            (c, flow) = (relaxed, check)
            log.append(note)
        }
        return (c, flow, log)
    }

    /// The last resorts, where no paragraph could be set shorter or longer: the pushed heading
    /// stays with the lines a column foot must hold (`orphans`), if that is enough; pushed short
    /// code is split as a paragraph is (`orphans` lines at the foot, `widows` at the head) where,
    /// read whole, it leaves three lines or more of its column empty (a listing that goes on in
    /// the next column reads on; a hole of three lines while the text goes on reads as an end);
    /// a pushed box begins where it left three lines empty, with its title and the two lines it
    /// keeps, no line to spare.
    private func relaxing(_ short: Shortfall, in c: Collected, article: Article) -> (Collected, Diagnostic)? {
        let keep = template.typography
        var relaxed = c
        switch short.pushed {
        case .heading:
            let heading = short.blocks.upperBound
            // (Not one that keeps what must begin whole under it: a table, short code, a
            // paragraph too short to split. Relaxed, it keeps `relaxedKeep`; a heading
            // right under it — a subheading — is relaxed with it.)
            guard heading < c.blocks.count, case .block(_, _, _, let keeps, _, _, _) = c.blocks[heading], keeps >= keep.headingKeep else { return nil }
            let under = c.blocks.relaxedKeep(heading, keep)
            guard under < keeps, short.deficit <= keeps - under else { return nil }
            var k: Int? = heading
            while let h = k { relaxed.relaxedBlocks.insert(h); k = c.blocks.headingUnder(h) }
            return (relaxed, note("heading keeps \(under) lines under it, not \(keeps): no paragraph before it in its column could be set shorter, nor fill the column set longer", at: heading, in: c, article))
        case .paragraph:
            let code = short.blocks.upperBound - 1
            guard short.empty >= Self.hole, code >= 0, code < c.blocks.count, !c.relaxedBlocks.contains(code), c.blocks[code].keptWhole != nil else { return nil }
            relaxed.relaxedBlocks.insert(code)
            return (relaxed, note("code split across columns: read whole, it left \(short.empty) lines of its column empty and no paragraph before it could fill them", at: code, in: c, article))
        case .box:
            let box = short.blocks.upperBound
            // (Only where it then begins here: not where its title keeps a paragraph too short to split.)
            guard short.empty >= Self.hole, box < c.blocks.count, case .box(let parts, _) = c.blocks[box], !c.relaxedBlocks.contains(box),
                  short.empty >= Flow.linesToBegin(box: parts, relaxed: true, keep) else { return nil }
            relaxed.relaxedBlocks.insert(box)
            return (relaxed, note("box begins at a column's foot with no line to spare: moved on, it left \(short.empty) lines of its column empty and no paragraph before it could fill them", at: box, in: c, article))
        case .pullQuote:
            // A pull quote is an excerpt, read anywhere near its place: where it moved on and left
            // a hole, it goes after the table or box that follows it, which may begin there.
            let quote = short.blocks.upperBound
            guard short.empty >= Self.hole, !short.filled, quote < c.blocks.count, !c.relaxedBlocks.contains(quote),
                  let next = c.blocks[(quote + 1)...].firstIndex(where: { !$0.isSkip }) else { return nil }
            let noun: String
            switch c.blocks[next] {
            case .table: noun = "table"
            case .box: noun = "box"
            default: return nil
            }
            relaxed = c.moving(quote, before: next + 1)
            relaxed.relaxedBlocks.insert(next)
            return (relaxed, note("pull quote set after the \(noun) that follows it: before it, it left \(short.empty) lines of its column empty and no paragraph could fill them",
                                  at: quote, in: c, article))
        case .table: return nil
        }
    }

    /// The other last resort, where what was pushed left three lines or more empty above a
    /// figure set at the column's foot (`bottom`): the figure goes to the foot of the next
    /// column, and the text, the pushed block with it, fills this one (a hole above a picture
    /// reads as the article's end; the picture one column on still follows its mention).
    private func deferringFootFigure(_ short: Shortfall, in c: Collected, article: Article) -> (Collected, Diagnostic)? {
        guard short.empty >= Self.hole, let k = short.blocks.last(where: { k in
            guard k < c.blocks.count, !c.relaxedBlocks.contains(k), case .figure(let f) = c.blocks[k] else { return false }
            return f.figure.placement == .bottom
        }) else { return nil }
        var relaxed = c
        relaxed.relaxedBlocks.insert(k)
        return (relaxed, note("figure set at the foot of the next column: at this one's, it left \(short.empty) lines empty above it and no paragraph could fill them",
                              at: k, in: c, article))
    }

    /// A column-fill note at block `k`'s source line.
    private func note(_ message: String, at k: Int, in c: Collected, _ article: Article) -> Diagnostic {
        Diagnostic(.note, message, at: SourceLocation(file: article.location.file, line: k < c.lines.count ? c.lines[k] : 0), code: "column-fill")
    }

    /// The paragraphs of `blocks` set again with `looseness`, longest first (or, before the
    /// column, nearest first: a line moved there shifts fewer columns), until `lines` lines are
    /// gained or freed; one ending on a lone character is not taken.
    private func reset(_ c: Collected, _ blocks: Range<Int>, looseness: Int, lines wanted: Int, nearestFirst: Bool = false,
                       tried: inout Set<Int>) -> (collected: Collected, lines: Int, changed: [SourceLocation]) {
        let open = blocks.filter { c.paragraphInputs[$0] != nil && !tried.contains(looseness * 100_000 + $0) }
        let candidates = nearestFirst ? open.reversed()
            : open.sorted { lineCount(c.blocks[$0]) > lineCount(c.blocks[$1]) || (lineCount(c.blocks[$0]) == lineCount(c.blocks[$1]) && $0 < $1) }
        var trial = c, moved = 0, changed: [SourceLocation] = []
        for k in candidates where moved < wanted {
            tried.insert(looseness * 100_000 + k)
            guard let (block, at) = resetParagraph(k, of: trial, looseness: looseness) else { continue }
            trial.blocks[k] = block
            moved += 1
            changed.append(at)
        }
        return (trial, moved, changed)
    }

    /// Paragraph `k` of `c` set again from its input with `looseness` (−1: a line shorter, its
    /// marks squeezed; +1: a line longer), and where it was written; nil where that does not
    /// take or give exactly the line, or where its last line would hold a lone character.
    func resetParagraph(_ k: Int, of c: Collected, looseness: Int) -> (FlowBlock, SourceLocation)? {
        guard case .paragraph(let lines, let role, let x, let depth) = c.blocks[k], let source = c.paragraphInputs[k] else { return nil }
        var input = source.input
        input.looseness = looseness
        let set = typesetter.set(input, measure: source.measure).lines
        guard set.count == lines.count + looseness, !Self.endsOnLoneCharacter(set) else { return nil }
        return (.paragraph(lines: set, role: role, xOffset: x, listDepth: depth), source.input.location)
    }

    /// The flow of `trial` if no column up to `short`'s is left short in it (but those given up
    /// on): the article is clean to a later point than before (a push further on: next round).
    private func accepted(_ trial: Collected, _ short: Shortfall, _ givenUp: [Shortfall], _ article: Article, _ firstPage: Int) -> Flow? {
        let check = run(trial, article: article, firstPage: firstPage, limits: [:])
        let left = check.shortfalls.filter { !givenUp.contains($0) && $0.blocks.upperBound <= short.blocks.upperBound }
        return left.isEmpty ? check : nil
    }

    private func lineCount(_ b: FlowBlock) -> Int {
        if case .paragraph(let lines, _, _, _) = b { return lines.count } else { return 0 }
    }

    /// A paragraph of more than one line whose last line holds a single ideograph (clreq C16).
    static func endsOnLoneCharacter(_ lines: [SetLine]) -> Bool {
        guard lines.count > 1, let last = lines.last else { return false }
        return last.text.unicodeScalars.filter(ScriptClasses.isHan).count < 2 && last.text.unicodeScalars.contains(where: ScriptClasses.isHan)
    }
}

extension ArticleComposer {
    /// Empty grid lines at a column's foot that read as an end while the text goes on: where a
    /// push leaves this many and no paragraph can fill them, a last resort is taken.
    static let hole = 3
}

/// A block pushed to the next column, leaving its column short (see `Flow.shortfalls`).
struct Shortfall: Equatable {
    /// The blocks of the column it leaves, the pushed one last (a heading, pull quote, table or box: just after them).
    var blocks: Range<Int>
    /// The grid lines it lacked.
    var deficit: Int
    /// The grid lines left empty at the column's foot.
    var empty: Int
    var pushed: Pushed
    /// The text after it fills the column (a pull quote or short table that waits for the next column's head):
    /// nothing is left empty unless the composer keeps it in place.
    var filled = false

    /// What was pushed: a paragraph (its widow or orphan lines), a heading (the lines it keeps
    /// under it), a pull quote (never split) or a table (a short one is never split, a long one
    /// starts with two rows) or a box (it begins with three lines, or whole).
    enum Pushed { case paragraph, heading, pullQuote, table, box }
}
