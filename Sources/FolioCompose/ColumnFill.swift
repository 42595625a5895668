/// No column ends short while the text goes on. Headings keep `typography.heading-keep` lines
/// of their section under them in their column (clreq C20), and paragraphs keep their widow and
/// orphan lines (C17); when either has to move on to the next column for want of a line or two,
/// paragraphs of the column it leaves (a pushed paragraph itself too) are set again one line
/// shorter — squeezing the blank halves of their marks, as clreq C14 lets the breaker do
/// (`ParagraphInput.looseness` −1), never the type — until what was pushed fits. The
/// longest paragraphs go first (their lines lose least); a tighter setting that would end on
/// a lone character is not taken. If nothing frees enough lines (short dialogue paragraphs
/// have little to squeeze), the heading stays and keeps as many lines as a paragraph must leave
/// at a column foot (`orphans`, 2) — a heading with two lines under it is sound, a column
/// ending four lines short while the text goes on is not.
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
        // Each round resolves one pushed heading (the first left in the flow), a few at most.
        for _ in 0..<6 {
            guard let short = flow.shortfall else { return (c, flow, log) }
            let candidates = short.blocks.filter { c.paragraphInputs[$0] != nil && !tried.contains($0) }
                .sorted { lineCount(c.blocks[$0]) > lineCount(c.blocks[$1]) || (lineCount(c.blocks[$0]) == lineCount(c.blocks[$1]) && $0 < $1) }
            var trial = c, freed = 0, tightened: [SourceLocation] = []
            for k in candidates where freed < short.deficit {
                tried.insert(k)
                guard case .paragraph(let lines, let role, let x) = trial.blocks[k], let source = c.paragraphInputs[k] else { continue }
                var input = source.input
                input.looseness = -1
                let tight = typesetter.set(input, measure: source.measure).lines
                guard tight.count < lines.count, !Self.endsOnLoneCharacter(tight) else { continue }
                trial.blocks[k] = .paragraph(lines: tight, role: role, xOffset: x)
                freed += lines.count - tight.count
                tightened.append(source.input.location)
            }
            if freed >= short.deficit {
                let check = run(trial, article: article, firstPage: firstPage, limits: [:])
                // Taken only if that heading now stays (a later one may still move on: next round).
                if check.shortfall?.blocks != short.blocks {
                    let why = short.heading ? "the heading after it keeps \(template.typography.headingKeep) lines in its column"
                                            : "a paragraph is not pushed on, leaving its column short"
                    for at in tightened {
                        log.append(Diagnostic(.note, "paragraph set a line shorter (its marks squeezed) so that \(why)", at: at, code: "column-fill"))
                    }
                    (c, flow) = (trial, check)
                    continue
                }
            }
            // The heading stays with the lines a column foot must hold, if that is enough.
            let heading = short.blocks.upperBound, keep = template.typography
            guard short.heading, keep.headingKeep > keep.orphans, short.deficit <= keep.headingKeep - keep.orphans else { return (c, flow, log) }
            var relaxed = c
            relaxed.relaxedHeadings.insert(heading)
            let check = run(relaxed, article: article, firstPage: firstPage, limits: [:])
            guard check.shortfall?.blocks != short.blocks else { return (c, flow, log) }
            (c, flow) = (relaxed, check)
            let at = SourceLocation(file: article.location.file, line: heading < c.lines.count ? c.lines[heading] : 0)
            log.append(Diagnostic(.note, "heading keeps \(keep.orphans) lines under it, not \(keep.headingKeep): no paragraph before it in its column could be set shorter",
                               at: at, code: "column-fill"))
        }
        return (c, flow, log)
    }

    private func lineCount(_ b: FlowBlock) -> Int {
        if case .paragraph(let lines, _, _) = b { return lines.count } else { return 0 }
    }

    /// A paragraph of more than one line whose last line holds a single ideograph (clreq C16).
    static func endsOnLoneCharacter(_ lines: [SetLine]) -> Bool {
        guard lines.count > 1, let last = lines.last else { return false }
        return last.text.unicodeScalars.filter(ScriptClasses.isHan).count < 2 && last.text.unicodeScalars.contains(where: ScriptClasses.isHan)
    }
}
