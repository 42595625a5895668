/// What manuscripts do that Markdown does not mean, read as their writers meant it — on blocks
/// already read (`MarkdownReader`, which splits the paragraphs, keeps the only calls to cmark):
/// a bold line of its own is a section title, ideographic spaces before a paragraph are its
/// indent, a paragraph under an image with none its caption, a comma typed half-width a Chinese
/// comma, a heading with nothing under it is a section left unwritten.
import FolioCore
import Foundation

enum ManuscriptHabits {
    /// What a reader of one article found and read otherwise than written, for one note each.
    struct Found {
        /// Paragraphs begun with ideographic spaces (the indent removed).
        var indented: [SourceLocation] = []
        /// Where lines each ending a sentence were read as a paragraph each (each run's start).
        var lineEach: [SourceLocation] = []
        /// Where lines begun as a list's items (`●`, `1、`, `（1）`, `①`, `一、`) were (each paragraph's start).
        var items: [SourceLocation] = []
        /// Paragraphs holding several run together, their indents inside them (each one's start).
        var runTogether: [SourceLocation] = []
        /// Restores Chinese marks typed half-width (set for a Chinese article), with what it changed…
        var punctuation: PunctuationRestorer?
        /// …and where it first did.
        var restoredAt: SourceLocation?
        /// Spaces typed between two Han characters (printed as written), each with its paragraph
        /// and the characters around it.
        var hanSpaces: [(at: SourceLocation, words: String)] = []

        /// The note about paragraphs run together in `n` places (Markdown's and a web archive's).
        static func runTogetherNote(_ n: Int) -> String {
            "paragraphs run together\(n > 1 ? " in \(n) places" : ""), each begun with ideographic spaces after a sentence's end, are set apart (text that lost its line breaks)"
        }

        var notes: [Diagnostic] {
            var notes: [Diagnostic] = []
            if let first = indented.first {
                let n = indented.count
                notes.append(Diagnostic(.note, "\(n == 1 ? "a paragraph begins" : "\(n) paragraphs begin") with ideographic spaces (U+3000), a manuscript's indent: removed, the template indents first lines\(n > 1 ? "; a line so begun starts a paragraph, blank line or not" : "")",
                                        at: first, code: "indent"))
            }
            if let first = lineEach.first {
                notes.append(Diagnostic(.note, "\(lineEach.count == 1 ? "lines" : "lines in \(lineEach.count) places") that each end a sentence, with no blank line between, are set as paragraphs, a line each, as pasted text means them; join the lines that are one paragraph",
                                        at: first, code: "indent"))
            }
            if let first = items.first {
                notes.append(Diagnostic(.note, "lines begun as a list's items (●, 1、, （1）, ①, 一、…)\(items.count > 1 ? " in \(items.count) places" : "") are set as paragraphs of their own, a line each (they were run together); an item's wrapped lines stay with it",
                                        at: first, code: "indent"))
            }
            if let first = runTogether.first {
                notes.append(Diagnostic(.note, Self.runTogetherNote(runTogether.count), at: first, code: "indent"))
            }
            if let p = punctuation, let at = restoredAt {
                notes.append(Diagnostic(.note, p.summary + "; the first here", at: at, code: "punctuation"))
            }
            if let first = hanSpaces.first {
                let shown = hanSpaces.prefix(3).map { "'\($0.words)'" }.joined(separator: ", ") + (hanSpaces.count > 3 ? ", …" : "")
                notes.append(Diagnostic(.note, "\(plural(hanSpaces.count, "space")) between Chinese characters printed as written (\(shown)), each a hole in its line: remove those typed by mistake (a space meant, between names, may stay); the first here",
                                        at: first.at, code: "space"))
            }
            return notes
        }
    }

    /// A paragraph of its own set all in bold, short and not a sentence, with text after it — a
    /// section title its writer (or Word) made by hand, `**一、缘起**` — set as a heading: kept
    /// with the lines under it, in the template's heading style, read as a heading by screen
    /// readers; one level below the article's `##` headings if it has any. Not a line that
    /// ends as a sentence or a question does or holds one that does (an interview's bold
    /// question stays bold text), nor one with a colon (a speaker's name) or a link, nor the
    /// article's first paragraph (a manuscript's bold byline). With a note naming the first.
    static func boldHeadings(_ blocks: [Block]) -> ([Block], Diagnostic?) {
        let level = titleLevel(blocks)
        var out = blocks, taken: [(String, SourceLocation)] = []
        for (i, block) in blocks.enumerated() where i > 0 && i + 1 < blocks.count {
            guard case .paragraph(let text, let at) = block, text.links.isEmpty, text.spans.contains(where: { $0.style == .strong }),
                  !text.isBlank, case .paragraph = blocks[i + 1] else { continue }
            let scalars = Array(text.string.unicodeScalars)
            let bold = text.spans.filter { $0.style == .strong }.reduce(0) { $0 + $1.range.count }
            let spaces = scalars.filter { $0.properties.isWhitespace }.count
            guard bold + spaces >= scalars.count, readsAsTitle(text.string) else { continue }
            let title = text.string.trimmingCharacters(in: .whitespaces)
            out[i] = .heading(level: level, text: StyledText(title), location: at)
            taken.append((title, at))
        }
        guard let (first, at) = taken.first else { return (out, nil) }
        let more = taken.count > 1 ? " and \(plural(taken.count - 1, "other line")) like it" : ""
        return (out, Diagnostic(.note, "the bold line '\(first)'\(more) set as \(taken.count > 1 ? "headings" : "a heading") (\(String(repeating: "#", count: level)) \(first) says so; end it with a full stop to keep it bold text)",
                                at: at, code: "bold-heading"))
    }

    /// Whether `text` reads as a title made by hand: up to 24 letters (spaces aside), not
    /// ending as a sentence or clause does, holding no sentence's end or speaker's colon.
    static func readsAsTitle(_ text: some StringProtocol) -> Bool {
        let letters = text.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard let last = letters.last, letters.count <= 24 else { return false }
        return !titleEnds.contains(last) && !letters.contains(where: notInTitles.contains)
    }

    /// The level of a section title made by hand: one below the article's `##` headings if it
    /// has any.
    static func titleLevel(_ blocks: [Block]) -> Int {
        blocks.contains { if case .heading(2, _, _) = $0 { true } else { false } } ? 3 : 2
    }

    /// The marks a manuscript sets before (or, 【】, around) a title it marks by hand.
    static let titleMarks: Set<Character> = ["【", "■", "◆", "◇", "◎", "●", "▲", "▼", "★", "☆"]

    /// Section titles a Chinese manuscript numbers by hand and writes as plain lines of their
    /// own — `一、缘起`, `二、路上`, under them `（一）草场`, `（二）…`, and under those `1．春季`, `2、…` —
    /// set as headings, as bold ones are: the first kind one level below the article's `##`
    /// headings if it has any, each other one level below the title it is under (a point's
    /// title with text under it, not another point). Only where every paragraph so numbered is such a line
    /// (short, not ending as or holding a sentence, not the last block) and the numbers run in
    /// order from 一 (a `（一）` run again from 一 under each title above it), at least to 二:
    /// `一、要加强领导。` and a lone `一、` are a list's, not titles — sentences numbered one after
    /// another in paragraphs side by side are passed over as a list. With a note naming the first.
    static func numberedHeadings(_ blocks: [Block]) -> ([Block], Diagnostic?) {
        // Each paragraph's and heading's number, read once (a paragraph made a heading below
        // keeps its title's text, and so its number).
        let numbered = blocks.map { b -> NumberedTitle? in
            switch b {
            case .paragraph(let text, _), .heading(_, let text, _): NumberedTitle(text.string)
            default: nil
            }
        }
        // A section's level: that of one already a heading (marked up, or bold), else below `##`.
        let marked = blocks.indices.lazy.compactMap { i -> Int? in
            guard case .heading(let level, _, _) = blocks[i], numbered[i]?.kind == .section else { return nil }
            return level
        }.first
        let top = marked ?? titleLevel(blocks)
        // A sentence so numbered beside the one numbered before or after it is a list's item
        // (`一、不超载放牧；` `二、每户轮换草场；`), which the titles' numbers run past.
        func listItem(_ i: Int, _ item: NumberedTitle) -> Bool {
            [i - 1, i + 1].contains { k in
                guard blocks.indices.contains(k), case .paragraph = blocks[k],
                      let other = numbered[k], other.kind == item.kind, !other.isTitle else { return false }
                return other.number == item.number + (k < i ? -1 : 1)
            }
        }
        var out = blocks, taken: [(String, SourceLocation)] = []
        for kind in [NumberedTitle.Kind.section, .subsection, .point] {
            // Each title with its level: a section's `top`, a subsection's one below the heading
            // its run is under (`top` with none).
            var found: [(Int, NumberedTitle, level: Int)] = [], inOrder = true, expected = 1, under: Int?, reached = 0
            for (i, block) in out.enumerated() {
                if case .heading(let level, _, _) = block {
                    if let title = numbered[i], title.kind == kind, title.number == expected {
                        expected += 1                                        // one marked up as a heading, or bold
                        reached = max(reached, title.number)
                    } else if kind != .section {
                        (expected, under) = (1, level)
                    }
                    continue
                }
                guard case .paragraph(let text, _) = block, let title = numbered[i], title.kind == kind else { continue }
                if !title.isTitle && listItem(i, title) { continue }
                guard i + 1 < out.count, text.links.isEmpty, title.isTitle, title.number == expected else { inOrder = false; break }
                // A point's title has text under it (short lines numbered 1. 2. side by side are a list).
                if kind == .point {
                    guard case .paragraph = out[i + 1], numbered[i + 1]?.kind != .point else { inOrder = false; break }
                }
                found.append((i, title, kind == .section ? top : min(4, under.map { $0 + 1 } ?? top)))
                expected += 1
                reached = max(reached, title.number)
            }
            guard inOrder, !found.isEmpty, reached >= 2 else { continue }
            for (i, title, level) in found {
                guard case .paragraph(_, let at) = out[i] else { continue }
                out[i] = .heading(level: level, text: StyledText(title.text), location: at)
                taken.append((title.text, at))
            }
        }
        guard let (first, at) = taken.min(by: { $0.1.line < $1.1.line }) else { return (out, nil) }
        let more = taken.count > 1 ? " and \(plural(taken.count - 1, "other numbered line")) like it" : ""
        return (out, Diagnostic(.note, "the numbered line '\(first)'\(more) set as \(taken.count > 1 ? "headings" : "a heading") (a line '## \(first)' says so; end it with a full stop to keep it text)",
                                at: at, code: "numbered-heading"))
    }

    /// Section titles a manuscript marks by hand on lines of their own — `【缘起】`, `■ 缘起`,
    /// `◆缘起` — set as headings without their marks (the heading's style marks them now), where
    /// the article has two or more, each short (≤ 24 letters), not ending as or holding a
    /// sentence, with a paragraph after it, and not its first block (a byline's `□`) — nor begun
    /// with the mark of a paragraph beside it, a list's item. With a note naming the first.
    static func markedHeadings(_ blocks: [Block]) -> ([Block], Diagnostic?) {
        func title(_ block: Block) -> String? {
            guard case .paragraph(let text, _) = block, text.links.isEmpty,
                  let lead = text.string.first(where: { $0 != " " && $0 != "\u{3000}" }), titleMarks.contains(lead) else { return nil }
            let s = text.string.trimmingCharacters(in: .whitespaces)
            let words = s.hasPrefix("【") ? (s.hasSuffix("】") && s.count > 2 ? s.dropFirst().dropLast() : nil) : s.dropFirst()
            guard let title = words?.trimmingCharacters(in: .whitespaces), readsAsTitle(title), !title.contains(where: { "【】".contains($0) }) else { return nil }
            return title
        }
        // A paragraph begun with the same mark as the one before or after it is a list's item (`● 不超载放牧`).
        func lead(_ k: Int) -> Character? {
            guard blocks.indices.contains(k), case .paragraph(let text, _) = blocks[k] else { return nil }
            return text.string.first(where: { $0 != " " && $0 != "\u{3000}" })
        }
        let found = blocks.indices.dropFirst().compactMap { i -> (Int, String)? in
            guard i + 1 < blocks.count, case .paragraph = blocks[i + 1], let t = title(blocks[i]),
                  lead(i - 1) != lead(i), lead(i + 1) != lead(i) else { return nil }
            return (i, t)
        }
        guard found.count >= 2, case .paragraph(let first, let firstAt) = blocks[found[0].0] else { return (blocks, nil) }
        let level = titleLevel(blocks)
        var out = blocks
        for (i, t) in found { out[i] = .heading(level: level, text: StyledText(t), location: blocks[i].location) }
        return (out, Diagnostic(.note, "the marked line '\(first.string)' and \(plural(found.count - 1, "other")) like it set as headings, without their marks",
                                at: firstAt, code: "marked-heading"))
    }

    /// A paragraph begun as a manuscript numbers its sections: `一、…` (a section), `（一）…`
    /// (a subsection, also with half-width brackets), numbers 一 to 九十九; or `1．…`, `1、…` (1 to
    /// 99, a point, in Chinese words).
    struct NumberedTitle {
        enum Kind { case section, subsection, point }
        let kind: Kind, number: Int, text: String
        /// Whether it reads as a title: up to 24 letters, not ending as or holding a sentence.
        let isTitle: Bool

        init?(_ string: String) {
            // Asked of every paragraph: its first letter first (trimming and counting a whole
            // paragraph each time was 1.7 % of the 518-page issue's CPU).
            // (The number and its mark are read before the paragraph is copied without its blanks.)
            let body = string.drop { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
            guard let lead = body.first, "一二三四五六七八九十（(0123456789".contains(lead) else { return nil }
            if lead.isASCII {
                // `1．草场`, `2、` — a point under a subsection, in Chinese words (not `3.5倍`; `1. `
                // begins Markdown's numbered list, and stays one).
                let digits = body.prefix { $0.isASCII && $0.isNumber }
                var rest = body.dropFirst(digits.count)
                guard (1...2).contains(digits.count), let number = Int(digits), number > 0, let mark = rest.first, ".．、".contains(mark) else { return nil }
                rest = rest.dropFirst()
                guard let next = rest.first, !next.isNumber, rest.unicodeScalars.contains(where: ScriptClasses.isHan) else { return nil }
                self.kind = .point; self.number = number; self.text = string.trimmingCharacters(in: .whitespaces)
                isTitle = ManuscriptHabits.readsAsTitle(text)
                return
            }
            var rest = body, kind = Kind.section
            if let open = rest.first, open == "（" || open == "(" {
                kind = .subsection
                rest = rest.dropFirst()
            }
            let digits = rest.prefix { "一二三四五六七八九十".contains($0) }
            guard let number = Self.value(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let mark = rest.first, kind == .section ? mark == "、" : (mark == "）" || mark == ")") else { return nil }
            guard rest.dropFirst().unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
            let text = string.trimmingCharacters(in: .whitespaces)
            self.kind = kind; self.number = number; self.text = text
            isTitle = ManuscriptHabits.readsAsTitle(text)
        }

        /// 一 … 九十九 written as Chinese numbers are (十一, 二十, 二十三).
        static func value(_ s: Substring) -> Int? {
            let digit: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
            let parts = s.split(separator: "十", omittingEmptySubsequences: false)
            switch parts.count {
            case 1: return s.count == 1 ? digit[s.first!] : nil
            case 2:
                let tens = parts[0].isEmpty ? 1 : (parts[0].count == 1 ? digit[parts[0].first!] : nil)
                let ones = parts[1].isEmpty ? 0 : (parts[1].count == 1 ? digit[parts[1].first!] : nil)
                guard let tens, let ones else { return nil }
                return tens * 10 + ones
            default: return nil
            }
        }
    }

    /// What a title made by hand never ends with, and never holds (with the Arabic script's and
    /// Mongolian's marks, for the editions).
    static let titleEnds: Set<Unicode.Scalar> = ["。", "．", ".", "！", "!", "？", "?", "；", ";", "，", ",", "、", "…", "—",
                                                 "؟", "،", "؛", "۔", "᠂", "᠃"]
    static let notInTitles: Set<Unicode.Scalar> = ["。", "！", "？", "；", "!", "?", ";", "：", ":", "\n", "؟", "؛", "᠃"]

    /// An image written with no caption, `![](a.jpg)`, and under it the paragraph a manuscript
    /// captions it with — `图为……`, `上图：……`, a photographer's credit `（本刊记者 林晓岚 摄）` —
    /// that paragraph is its caption: printed under the image wherever the image goes (it had
    /// stayed in the text, a column away from it), and read as its text alternative. Only a
    /// short paragraph (≤ 120 letters) with no link. With a note naming the first.
    static func captionParagraphs(_ blocks: [Block]) -> ([Block], Diagnostic?) {
        let leads = ["图为", "图：", "图:", "上图", "下图", "左图", "右图", "图片：", "图片来源", "摄影：", "摄影:", "（摄影", "(摄影"]
        var out: [Block] = [], taken: [SourceLocation] = []
        var i = 0
        while i < blocks.count {
            if case .figure(var figure) = blocks[i], figure.caption.isBlank, i + 1 < blocks.count,
               case .paragraph(let text, let at) = blocks[i + 1], text.links.isEmpty, text.scalarCount <= 120 {
                let words = text.string.trimmingCharacters(in: .whitespaces)
                let credit = (words.hasPrefix("（") || words.hasPrefix("(")) && (words.hasSuffix("摄）") || words.hasSuffix("摄)"))
                if credit || leads.contains(where: words.hasPrefix) {
                    figure.caption = text
                    out.append(.figure(figure))
                    taken.append(at)
                    i += 2
                    continue
                }
            }
            out.append(blocks[i])
            i += 1
        }
        guard let first = taken.first else { return (out, nil) }
        let what = taken.count == 1 ? "this paragraph is" : "this paragraph and \(plural(taken.count - 1, "other")) like it are"
        return (out, Diagnostic(.note, "\(what) the caption of the image above it (written with none): printed under the image", at: first, code: "caption"))
    }

    /// Headings with nothing under them: one at the article's end (or a box's), or one the next
    /// heading of its level or above follows at once — a section whose text was cut or not yet
    /// written (a heading above a subheading is not one). `blocks`: the article's, up to the
    /// notes Folio gathers under their own heading (`Footnotes`); `whole`: what they are.
    static func emptySections(_ blocks: ArraySlice<Block>, whole: String = "the article") -> [Diagnostic] {
        func named(_ text: StyledText) -> String {
            let words = text.string.trimmingCharacters(in: .whitespaces)
            return words.isEmpty ? "an empty heading" : "the heading '\(words)'"
        }
        var said: [Diagnostic] = []
        for (i, block) in zip(blocks.indices, blocks) {
            if case .box(_, let inner, _) = block { said += emptySections(inner[...], whole: "its box") }
            guard case .heading(let level, let text, let at) = block else { continue }
            var why: String
            if i + 1 == blocks.endIndex {
                why = "ends \(whole) with nothing under it"
            } else if case .heading(let next, let nextText, _) = blocks[i + 1], next <= level {
                why = "has nothing under it before \(named(nextText))"
            } else { continue }
            said.append(.warning("\(named(text)) \(why); write its text or take it out", at: at, code: "empty-section"))
        }
        return said
    }
}
