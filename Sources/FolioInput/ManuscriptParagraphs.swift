/// Where the paragraphs a manuscript's writer meant begin, in text Markdown (or a web page's
/// text) reads otherwise: ideographic-space indents, lines each ending a sentence, a list pasted
/// a line an item, paragraphs run together with their indents inside one.
import FolioCore

extension ManuscriptHabits {
    /// Spaces a writer indents a paragraph with (ideographic, em, no-break): the template indents.
    static let indentSpaces: Set<Unicode.Scalar> = ["\u{3000}", "\u{2003}", "\u{A0}", " "]

    /// `text` as the paragraphs its writer meant where several ran together in one with their
    /// indents inside it — `……十年。　　如今……`: a web page's text that lost its line breaks, two
    /// Word paragraphs joined — split after a sentence's end (。！？…, or a closing quote or
    /// bracket after one) followed by two or more ideographic spaces, each piece without them.
    /// The last piece has no blank ems at its end (`withoutTrailingBlanks`).
    static func runTogether(_ text: StyledText) -> [StyledText] {
        // Asked of every paragraph: two ideographic spaces in a row first, in its bytes.
        var string = text.string
        let doubled = string.withUTF8 { b in
            b.count >= 6 && (0...(b.count - 6)).contains { b[$0] == 0xE3 && b[$0 + 1] == 0x80 && b[$0 + 2] == 0x80 && b[$0 + 3] == 0xE3 && b[$0 + 4] == 0x80 && b[$0 + 5] == 0x80 }
        }
        guard doubled else { return [withoutTrailingBlanks(text)] }
        let s = Array(text.string.unicodeScalars)
        func endsSentence(_ end: Int) -> Bool {
            var b = end
            while b >= 0, "”’」』）》".unicodeScalars.contains(s[b]) { b -= 1 }
            return b >= 0 && "。！？…".unicodeScalars.contains(s[b])
        }
        var cuts: [Int] = [], k = 1
        while k < s.count {
            guard s[k] == "\u{3000}" else { k += 1; continue }
            var j = k, ideographic = 0
            while j < s.count, s[j] == "\u{3000}" || s[j] == " " { if s[j] == "\u{3000}" { ideographic += 1 }; j += 1 }
            var b = k - 1
            while b >= 0, s[b] == " " { b -= 1 }
            if ideographic >= 2, j < s.count, b >= 0, endsSentence(b) { cuts.append(b + 1) }
            k = j
        }
        guard !cuts.isEmpty else { return [withoutTrailingBlanks(text)] }
        let bounds = [0] + cuts + [s.count]
        return (0..<(bounds.count - 1)).map { n in
            let r = bounds[n]..<bounds[n + 1]
            let piece = text.replacingString(with: String(String.UnicodeScalarView(s[r]))) { min(max($0 - r.lowerBound, 0), r.count) }
            return n == 0 ? piece : withoutTrailingBlanks(withoutIndent(piece).0)
        }
    }

    /// `text` without the ideographic spaces (and spaces) its writer left at its end — no
    /// paragraph ends with blank ems: at a line's end they took room the line's marks were
    /// squeezed to give, and they were read aloud.
    static func withoutTrailingBlanks(_ text: StyledText) -> StyledText {
        let scalars = text.string.unicodeScalars
        guard let last = scalars.last, last == "\u{3000}" || last == " " else { return text }
        let n = scalars.reversed().prefix { $0 == "\u{3000}" || $0 == " " }.count, keep = scalars.count - n
        return text.replacingString(with: String(String.UnicodeScalarView(scalars.dropLast(n)))) { min($0, keep) }
    }

    /// `text` without the spaces its writer indented it with (`indentSpaces`), and whether it
    /// had any but plain spaces (worth a note: the writer's indent, removed).
    static func withoutIndent(_ text: StyledText) -> (StyledText, indented: Bool) {
        let lead = text.string.unicodeScalars.prefix { indentSpaces.contains($0) }
        guard !lead.isEmpty else { return (text, false) }
        return (text.droppingPrefix(scalars: lead.count), lead.contains { $0 != " " })
    }

    /// Where the paragraphs its writer meant begin in a paragraph libcmark read (its source
    /// `lines`): the offsets of the lines that begin one (from 1), and whether it was text pasted
    /// a paragraph a line. A line begun with ideographic spaces begins one; so does every line of
    /// three or more of Chinese, each ending a sentence, none indented (where some are, the
    /// indents mark the paragraphs; text wrapped in the editor rarely breaks after a sentence
    /// every time); in either kind of manuscript, so does a section title numbered by hand,
    /// `一、缘起`, on a line of its own after a sentence's end (or first), and the line after it
    /// (`numberedHeadings` may take it for a heading). Not after a hard line break (a poem's
    /// lines), unless the line before it ends a sentence, the line begun with ideographic spaces,
    /// and the text is prose, not verse — a line of it longer than 16 letters: Word's manuscripts
    /// break their paragraphs with line breaks (Shift+Enter) as often as with paragraph marks.
    static func paragraphStarts(_ lines: ArraySlice<Substring>) -> (starts: [Int], lineEach: Bool, items: Bool) {
        let lines = Array(lines)
        func indented(_ line: Substring) -> Bool { line.unicodeScalars.drop { $0 == " " || $0 == ">" || $0 == "\t" }.first == "\u{3000}" }
        func hardBreak(_ line: Substring) -> Bool { line.hasSuffix("  ") || line.hasSuffix("\\") }
        let prose = lines.contains { $0.unicodeScalars.lazy.filter { !$0.properties.isWhitespace }.count > 16 }
        // A paragraph ended by hand: a sentence's end, a line break, and an indent.
        func endedByHand(_ k: Int) -> Bool { prose && indented(lines[k]) && endsSentence(lines[k - 1].hasSuffix("\\") ? lines[k - 1].dropLast() : lines[k - 1]) }
        func title(_ line: Substring) -> Bool { NumberedTitle(String(line))?.isTitle ?? false }
        let lineEach = lines.count >= 3 && lines.dropLast().allSatisfy { endsSentence($0) || title($0) } && !lines.contains(where: indented)
            && lines.contains { $0.unicodeScalars.contains(where: ScriptClasses.isHan) }
        let titles = lineEach || lines.contains(where: indented) ? Set(lines.indices.filter { title(lines[$0]) && ($0 == 0 || endsSentence(lines[$0 - 1])) }) : []
        let items = itemLines(lines)
        let starts = lines.indices.dropFirst().filter { k in
            (lineEach || indented(lines[k]) || titles.contains(k) || titles.contains(k - 1) || items.contains(k)) && (!hardBreak(lines[k - 1]) || endedByHand(k))
        }
        return (starts, lineEach, !items.subtracting([0]).isEmpty && !starts.isEmpty)
    }

    /// A line begun as a manuscript begins a list's item: a bullet (`●`, `•`, `·`, `◆`, `■`, `□`,
    /// `▪`, `▶`, `★`, `○`…) or a number — `1、`, `1.`, `1）`, `（1）`, `①`, and in Chinese numbers
    /// `一、`, `（一）` — with words after it; the mark's kind (one kind per list) and its number
    /// (0 for a bullet).
    static func itemMark(_ line: Substring) -> (kind: String, number: Int)? {
        let s = line.drop { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
        guard let lead = s.unicodeScalars.first else { return nil }
        if let numbered = NumberedTitle(String(s)), numbered.kind != .point { return (numbered.kind == .section ? "一、" : "(一)", numbered.number) }
        func words(after n: Int) -> Bool { s.unicodeScalars.dropFirst(n).contains { !$0.properties.isWhitespace } }
        if "●•·◆◇■□▪▶►★☆○◎▲".unicodeScalars.contains(lead) { return words(after: 1) ? ("bullet" + String(lead), 0) : nil }
        if (0x2460...0x2473).contains(lead.value) { return words(after: 1) ? ("circled", Int(lead.value) - 0x245F) : nil }
        let open = lead == "（" || lead == "("
        let digits = s.unicodeScalars.dropFirst(open ? 1 : 0).prefix { ("0"..."9").contains($0) }
        guard (1...2).contains(digits.count), let number = Int(String(String.UnicodeScalarView(digits))) else { return nil }
        let rest = s.unicodeScalars.dropFirst((open ? 1 : 0) + digits.count)
        guard let mark = rest.first, open ? (mark == "）" || mark == ")") : "、.．）)".unicodeScalars.contains(mark) else { return nil }
        // (Not a decimal: `3.5倍`.)
        if !open, mark == "." || mark == "．", let after = rest.dropFirst().first, ("0"..."9").contains(after) { return nil }
        return words(after: (open ? 2 : 1) + digits.count) ? ((open ? "(" : "") + String(mark), number) : nil
    }

    /// The kinds of `itemMark` a manuscript numbers its sections with too.
    static let sectionKinds: Set<String> = ["一、", "(一)"]

    /// The lines of a paragraph libcmark read that begin a list's items, pasted a line each: two
    /// or more begun with the same bullet, or numbered with the same mark one after another
    /// (`1、` `2、` `3、`) — an item's wrapped lines go with it, up to the line that ends the last
    /// one's sentence, after which the text goes on in a paragraph of its own. Items numbered as
    /// sections are (`一、`, `（一）`) only where none reads as a title (`一、缘起`): a manuscript's
    /// section titles are found apart (`paragraphStarts`, `numberedHeadings`), and a list of
    /// short phrases so numbered stays run in rather than be taken for empty sections.
    static func itemLines(_ lines: [Substring]) -> Set<Int> {
        // Asked of every paragraph of several lines: lines begun with a letter of its text first.
        let marked = lines.indices.compactMap { k -> (Int, String, Int)? in itemMark(lines[k]).map { (k, $0.kind, $0.number) } }
        guard marked.count >= 2 else { return [] }
        var found = Set<Int>(), run: [(Int, String, Int)] = []
        func readsAsTitle(_ r: Int) -> Bool {
            let end = r + 1 < run.count ? run[r + 1].0 : run[r].0 + 1
            return ManuscriptHabits.readsAsTitle(lines[run[r].0..<end].joined())
        }
        func close() {
            if run.count >= 2, !sectionKinds.contains(run[0].1) || !run.indices.contains(where: readsAsTitle) {
                found.formUnion(run.map(\.0))
                // The text after the list goes on in a paragraph of its own, from the line after
                // the one that ends the last item's sentence.
                let last = run[run.count - 1].0
                let limit = marked.first { $0.0 > last }?.0 ?? lines.count
                if let after = (last + 1..<limit).first(where: { endsSentence(lines[$0 - 1]) }) { found.insert(after) }
            }
            run = []
        }
        for item in marked {
            if let last = run.last, last.1 != item.1 || (item.2 != 0 && item.2 != last.2 + 1) { close() }
            run.append(item)
        }
        close()
        return found
    }

    /// Whether a source line ends a Chinese sentence: 。！？… (or ?!, or . after a Han character or a note's ①),
    /// or a closing quote or bracket after one.
    static func endsSentence(_ line: Substring) -> Bool {
        var s = line.unicodeScalars.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }[...]
        while let c = s.first, "”’」』）)》".unicodeScalars.contains(c) { s = s.dropFirst() }
        guard let c = s.first else { return false }
        if c == ".", let before = s.dropFirst().first, PunctuationRestorer.chineseSide(before) { return true }   // 。 typed half-width
        return "。！？…!?".unicodeScalars.contains(c)
    }
}
