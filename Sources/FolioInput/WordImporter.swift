/// Word articles (`.docx`, also as WPS saves them) read through pandoc: its docx reader knows
/// Word's styles (Title, Subtitle, Author, headings, Image Caption), tables, footnotes and
/// images. The result is a Folio Markdown article with YAML front matter and its images in
/// `media/` beside it, so editors can go on working in Markdown (`folio import`), or render the
/// Word file directly (`folio render a.docx`, `folio batch` over folders holding .docx).
///
/// Mapping: Title → `title`, Subtitle → `deck`, Author → `author`, Date → `date`; headings stay
/// headings; an image followed by its caption paragraph becomes a figure with that caption;
/// pipe-table-shaped tables stay tables; footnotes become numbered notes (①②…) gathered under a
/// 注释 heading at the end, with a note saying so. What pandoc cannot express as Markdown comes
/// through as raw HTML, which the Markdown reader reports — nothing is dropped silently.
import FolioCore
import Foundation

public enum WordImporter {
    /// Writes `<stem>.md` (and `media/`) into `folder` from the Word file `docx`; returns the
    /// Markdown path and notes about what was mapped.
    public static func importArticle(_ docx: String, into folder: String) throws -> (path: String, notes: [Diagnostic]) {
        if let problem = RegularFile.problem(docx, noun: "Word file") { throw FolioError(problem) }
        guard let head = try? RegularFile.read(docx, limit: 4), head == [0x50, 0x4B, 0x03, 0x04] else {
            throw FolioError("\(docx) is not a Word (.docx) file: it is not a zip archive", at: SourceLocation(file: docx))
        }
        let folder = URL(fileURLWithPath: folder).standardizedFileURL.path   // pandoc runs in it
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: docx).standardizedFileURL.path
        // Metadata through a template: one field per line, as plain text.
        let template = (folder as NSString).appendingPathComponent(".folio-word-meta.tpl")
        try "$title$\n$subtitle$\n$for(author)$$author$$sep$、$endfor$\n$date$\n".write(toFile: template, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: template) }
        let meta = try pandoc(["-f", "docx", "-t", "plain", "--wrap=none", "--template=" + template, source], in: folder, docx: docx)
        let body = try pandoc(["-f", "docx", "-t", "gfm-raw_html", "--wrap=none", "--extract-media=.", source], in: folder, docx: docx)
        var fields = meta.components(separatedBy: "\n")
        while fields.count < 4 { fields.append("") }
        let (markdown, notes) = article(body: body, title: fields[0], deck: fields[1], author: fields[2], date: fields[3],
                                        fallbackTitle: URL(fileURLWithPath: docx).deletingPathExtension().lastPathComponent, docx: docx)
        let out = (folder as NSString).appendingPathComponent(URL(fileURLWithPath: docx).deletingPathExtension().lastPathComponent + ".md")
        try AtomicFile.write(Array(markdown.utf8), to: out)
        return (out, notes)
    }

    /// The Markdown article: front matter, then the body with captions folded into figures and
    /// footnotes turned into numbered notes.
    static func article(body: String, title: String, deck: String, author: String, date: String,
                        fallbackTitle: String, docx: String) -> (String, [Diagnostic]) {
        var notes: [Diagnostic] = [], deck = deck
        var blocks = body.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        var title = title.trimmingCharacters(in: .whitespaces)
        // No Title style: the first heading is the title, or a first line that reads as one.
        if title.isEmpty, let first = blocks.first, !first.contains("\n"),
           let heading = ArticleLoader.titleLine(Substring(first), path: docx) ?? ArticleLoader.plainTitle(Substring(first), next: "") {
            title = heading
            blocks.removeFirst()
            // …and a subtitle line under it (`——一个嘎查的十年`) the deck, where Word has none.
            if deck.trimmingCharacters(in: .whitespaces).isEmpty, let next = blocks.first, !next.contains("\n"), let subtitle = ArticleLoader.subtitle(Substring(next)) {
                deck = subtitle
                blocks.removeFirst()
            }
        }
        if title.isEmpty {
            title = fallbackTitle
            notes.append(Diagnostic(.warning, "the Word file has no title (Title style or document property); the file name is used", at: SourceLocation(file: docx), code: "word-import"))
        }
        // An image paragraph followed by a paragraph equal to its alt text: that is its caption.
        var folded: [String] = []
        for b in blocks {
            if let last = folded.last, last.hasPrefix("!["), let close = last.range(of: "]("),
               String(last[last.index(last.startIndex, offsetBy: 2)..<close.lowerBound]) == b { continue }
            folded.append(b)
        }
        // Footnotes (pandoc writes `[^n]: text`, further lines indented) → ① text under 注释.
        let endnotes = Footnotes.endnotes(in: folded.joined(separator: "\n\n"), keepLines: false)
        var credits = ArticleMeta()
        credits.author = author.trimmingCharacters(in: .whitespaces).isEmpty ? nil : ManuscriptHabits.authorName(author).name
        // A manuscript in Chinese has its marks written as its render sets them.
        let chinese = Self.chinese(body)
        let (text, written) = writtenOut(endnotes.markdown, notes: endnotes.count, restoringMarks: chinese, credits: &credits)
        if !written.isEmpty {
            notes.append(Diagnostic(.note, "the Word manuscript read as its writer meant it: \(written.joined(separator: "; "))", at: SourceLocation(file: docx), code: "word-import"))
        }
        if endnotes.count > 0 {
            notes.append(Diagnostic(.note, "\(plural(endnotes.count, "footnote")) of the Word file became numbered notes at the end, under the heading 注释 (printed in the article's language)", at: SourceLocation(file: docx), code: "word-import"))
        }
        // The heads' marks as the body's (a render sets them so).
        if chinese {
            var restorer = PunctuationRestorer()
            title = restorer.restore(title)
            deck = restorer.restore(deck)
        }
        var front = "---\ntitle: \(quoted(title))\n"
        if !deck.trimmingCharacters(in: .whitespaces).isEmpty { front += "deck: \(quoted(deck))\n" }
        for (key, value) in [("author", credits.author), ("source", credits.source), ("editor", credits.editor)] {
            if let value { front += "\(key): \(quoted(value))\n" }
        }
        if let d = CalendarDate(date.trimmingCharacters(in: .whitespaces)) { front += "date: \(d.description)\n" } else if !date.trimmingCharacters(in: .whitespaces).isEmpty {
            notes.append(Diagnostic(.warning, "the Word file's date '\(date)' is not a date Folio reads; left out", at: SourceLocation(file: docx), code: "word-import"))
        }
        return (front + "---\n\n" + text + "\n", notes)
    }

    /// pandoc's Markdown of a manuscript with what Folio reads otherwise than written
    /// (`ManuscriptHabits`) written as it is read — a line of its own in bold or numbered `一、`
    /// as a heading, the paragraph under an image that captions it as the image's caption, the
    /// ideographic spaces a paragraph was indented with removed — so that the imported article
    /// says what it means (and no render of it needs a note); with what was written so, for a note.
    static func writtenOut(_ markdown: String, notes: Int, restoringMarks: Bool, credits: inout ArticleMeta) -> (String, [String]) {
        var reader = MarkdownReader(file: "", lineOffset: 0) { path, caption, at in Figure(path: path, caption: caption, image: nil, location: at) }
        let blocks = reader.read(markdown)
        var lines = markdown.components(separatedBy: "\n")
        func blank(_ i: Int) -> Bool { lines[i].allSatisfy(\.isWhitespace) }
        /// The source lines of the paragraph at `at`, and the blank line after it (taken out with it).
        func paragraph(at: SourceLocation) -> Range<Int> {
            let end = lines.indices[(at.line - 1)...].first(where: blank) ?? lines.endIndex
            return (at.line - 1)..<min(end + 1, lines.endIndex)
        }
        var gone = IndexSet(), headings = 0, captions = 0
        var written: [String] = []
        // The manuscript's frame (`ManuscriptHabits.frame`: byline, notes section, closing lines,
        // editor's note), written where the notes about it say: the credits as front matter.
        var framed = blocks
        let frame = ManuscriptHabits.frame(&framed, meta: &credits, gathered: ArticleLoader.notesHeading(blocks, notes: notes)).notes
        func framedBlock(at: SourceLocation) -> Block? { framed.first { $0.location == at } }
        for note in frame {
            guard let at = note.location else { continue }
            switch (note.code, framedBlock(at: at)) {
            case ("author", _), ("closing", _):
                gone.insert(integersIn: paragraph(at: at))
            case ("notes", .heading(let level, let label, _)?):
                lines[at.line - 1] = String(repeating: "#", count: level) + " " + label.string
            case ("editors-note", .box(let title?, _, _)?):
                // Its label cut from the line as written, markup and all.
                let range = paragraph(at: at).filter { !blank($0) }, line = lines[range.first!]
                guard let cut = line.firstIndex(where: { "：:】]〕］".contains($0) }) else { continue }
                var body = line[line.index(after: cut)...].drop { $0 == "：" || $0 == ":" || $0.isWhitespace }
                if line[..<cut].components(separatedBy: "**").count % 2 == 0, body.hasPrefix("**") { body = body.dropFirst(2) }   // **【编者按】**…
                lines[range.first!] = "> [!box] \(title)\n> " + body
                for k in range.dropFirst() { lines[k] = "> " + lines[k] }
            default: continue
            }
        }
        let said = Dictionary(grouping: frame, by: \.code).mapValues(\.count)
        if said["author"] != nil { written.append("the byline as the author") }
        if said["notes"] != nil { written.append("the notes' label as their heading") }
        // (An end mark, `（完）`, is left out, not a credit.)
        let ends = frame.filter { note in
            note.code == "closing" && blocks.contains { if case .paragraph(let text, note.location) = $0 { ManuscriptHabits.endMarks.contains(ManuscriptHabits.closingWords(text.string)) } else { false } }
        }.count
        if let n = said["closing"], n > ends { written.append("\(plural(n - ends, "closing line")) as credits") }
        if ends > 0 { written.append("the end mark left out") }
        if said["editors-note"] != nil { written.append("the editor's note as a box") }
        for block in blocks {
            switch block {
            case .heading(let level, let text, let at) where lines.indices.contains(at.line - 1) && !lines[at.line - 1].hasPrefix("#"):
                // As written (its escapes kept), but without the marks of a marked one (【缘起】).
                let written = lines[at.line - 1].replacingOccurrences(of: "**", with: "").trimmingCharacters(in: .whitespaces)
                let title = written.first.map(ManuscriptHabits.titleMarks.contains) == true ? text.string : written
                lines[at.line - 1] = String(repeating: "#", count: level) + " " + title
                headings += 1
            case .figure(let figure) where !figure.caption.isBlank:
                let i = figure.location.line - 1
                guard lines.indices.contains(i), lines[i].hasPrefix("![]("),
                      let start = lines.indices[(i + 1)...].first(where: { !blank($0) }) else { continue }
                let end = lines.indices[start...].first(where: blank) ?? lines.endIndex
                // (Brackets in it come escaped from pandoc, as the image's text needs them.)
                let caption = lines[start..<end].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                lines[i] = "![" + caption + "]" + lines[i].dropFirst(3)
                gone.insert(integersIn: (i + 1)..<end)
                captions += 1
            default: continue
            }
        }
        var indents = 0
        for at in reader.habits.indented where lines.indices.contains(at.line - 1) {
            let i = at.line - 1
            let unindented = String(lines[i].unicodeScalars.drop { ManuscriptHabits.indentSpaces.contains($0) })
            guard unindented != lines[i] else { continue }          // (in a quote, after its `>`)
            lines[i] = unindented
            indents += 1
            // A paragraph begun on the line after another's end (a line break, Shift+Enter, and
            // an indent): a blank line between, as Markdown separates paragraphs.
            if i > 0, !blank(i - 1), !gone.contains(i - 1) {
                var before = Substring(lines[i - 1])
                if before.hasSuffix("\\") { before = before.dropLast() }
                lines[i - 1] = String(before.reversed().drop { $0 == " " }.reversed())
                lines[i] = "\n" + lines[i]
            }
        }
        // Outside code: Chinese marks typed half-width or miswritten, as a render would set them;
        // then paragraphs run together in one with their indents inside (`……十年。　　如今……`),
        // apart as a render sets them — in a line with no emphasis, link or code to cut through.
        var restorer = PunctuationRestorer(), fenced = false
        for i in lines.indices where !gone.contains(i) {
            let trimmed = lines[i].drop { $0 == " " || $0 == "\n" }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fenced.toggle(); continue }
            guard !fenced, !lines[i].hasPrefix("    ") else { continue }
            if restoringMarks, let restored = ManuscriptHabits.restoringPunctuation(inMarkdownLine: lines[i], with: &restorer) { lines[i] = restored }
            guard let first = trimmed.first, !"#>|!-+".contains(first), !lines[i].contains(where: { "*_[`<\\".contains($0) }) else { continue }
            let pieces = ManuscriptHabits.runTogether(StyledText(lines[i]))
            guard pieces.count > 1 else { continue }
            lines[i] = pieces.map(\.string).joined(separator: "\n\n")
            indents += pieces.count - 1
        }
        let text = lines.indices.filter { !gone.contains($0) }.map { lines[$0] }.joined(separator: "\n")
        if headings > 0 { written.append("\(plural(headings, "title")) of \(headings == 1 ? "its" : "their") own (bold, numbered 一、 or marked 【】) as \(headings == 1 ? "a heading" : "headings")") }
        if captions > 0 { written.append("\(plural(captions, "paragraph")) under an image as its caption") }
        if indents > 0 { written.append("\(plural(indents, "ideographic-space indent")) removed (the template indents)") }
        if restorer.total > 0 { written.append("\(plural(restorer.total, "Chinese punctuation mark")) typed half-width or miswritten as Chinese sets them") }
        return (text, written)
    }

    /// Whether `text` is written in Chinese: more Han characters than half its Latin letters (a
    /// Chinese manuscript names addresses, images and English terms in Latin letters).
    static func chinese(_ text: String) -> Bool {
        var han = 0, latin = 0
        for u in text.unicodeScalars {
            if ScriptClasses.isHan(u) { han += 1 } else if u.isASCII && u.properties.isAlphabetic { latin += 1 }
        }
        return 2 * han > latin
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func pandoc(_ arguments: [String], in folder: String, docx: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pandoc"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        // stderr to a file, so a chatty pandoc cannot fill a pipe nobody reads.
        let errPath = (folder as NSString).appendingPathComponent(".folio-pandoc-\(getpid()).err")
        let errFile = FileManager.default.createFile(atPath: errPath, contents: nil) ? FileHandle(forWritingAtPath: errPath) : nil
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errFile ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FolioError("reading Word files needs pandoc (apt-get install pandoc): \(error.localizedDescription)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw FolioError("reading Word files needs pandoc (apt-get install pandoc)") }
        guard process.terminationStatus == 0 else {
            let why = ((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            throw FolioError("pandoc could not read the Word file: \(why.isEmpty ? "exit \(process.terminationStatus)" : why)", at: SourceLocation(file: docx))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
