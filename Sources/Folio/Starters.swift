/// Starting points and inventories for front ends: a new issue's skeleton, the shipped
/// templates, and the font families the configuration sees with the template roles using them.
import FolioCore
import FolioInput
import FolioText
import Foundation

public enum Starters {
    /// Creates a new issue in `folder` (made if missing; refused unless empty): `issue.yaml`, one
    /// article, an `images` folder and a copy of the template at `templatePath`.
    /// The issue is labelled and dated `today` (the local calendar day unless given).
    public static func createIssue(at folder: String, templatePath: String, today: Date = Date()) throws {
        let fm = FileManager.default
        let day = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: today)
        let year = day.year ?? 2026
        let date = String(format: "%04d-%02d-%02d", year, day.month ?? 1, day.day ?? 1)
        if RegularFile.kind(folder) == .regular { throw FolioError("\(folder) is a file, not a folder") }
        if RegularFile.kind(folder) == .folder, !((try? fm.contentsOfDirectory(atPath: folder)) ?? []).isEmpty {
            throw FolioError("\(folder) is not empty; folio init never writes over files — give a new folder")
        }
        try fm.createDirectory(atPath: folder + "/images", withIntermediateDirectories: true)
        try AtomicFile.write(RegularFile.read(templatePath, noun: "template"), to: folder + "/template.yaml")
        let manifest = """
        # The issue: its name, label and date, the template, and the sections with their articles.
        magazine: 新杂志
        issue: \(year)年第1期
        date: \(date)
        template: template.yaml
        sections:
          - title: 第一栏
            articles:
              - first-article.md
        """
        let article = """
        ---
        title: 第一篇文章
        deck: 一句导语，说明这篇文章讲什么。
        author: 作者
        date: \(date)
        source: 本刊
        editor: 编辑
        ---

        正文从这里开始。每一段之间空一行；图片放在 images 文件夹里，这样引用：`![图片说明](images/photo.jpg)`。

        ## 小标题

        第二段正文。
        """
        try AtomicFile.write(Array((manifest + "\n").utf8), to: folder + "/issue.yaml")
        try AtomicFile.write(Array((article + "\n").utf8), to: folder + "/first-article.md")
    }

    /// The templates in `folder`: each file's name and the first line of its leading comment.
    public static func templates(in folder: String) -> [(name: String, about: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return names.map { name in
            let text = (try? InputFile.readText(folder + "/" + name)) ?? ""
            let about = text.split(separator: "\n").first { $0.hasPrefix("#") }.map { $0.dropFirst().trimmingCharacters(in: .whitespaces) } ?? ""
            return (name, about)
        }
    }

    /// Every family the font configuration sees, with the template roles (`body (han)`) using it;
    /// and the families the template names that the configuration lacks.
    public static func fontUsage(config: String, templatePath: String) throws -> (families: [(name: String, roles: [String])], missing: [String]) {
        let fonts = try FontSystem(configFile: config)
        let template = try? TemplateLoader.load(path: templatePath)
        var users: [String: [String]] = [:]
        for (role, f) in template?.fonts ?? [:] {
            for (script, family) in f.families { users[family, default: []].append("\(role) (\(script.rawValue))") }
        }
        let known = fonts.familyNames()
        return (known.map { ($0, (users[$0] ?? []).sorted()) }, users.keys.filter { !Set(known).contains($0) }.sorted())
    }
}

extension Starters {
    /// `folio import`: the Word file `docx` as a Markdown article (and `media/`) in `folder`.
    /// An article of the same name or a `media/` folder with files in it is never replaced.
    /// Returns the article's path, notes about the mapping, and the number of images.
    public static func importWord(_ docx: String, into folder: String) throws -> (path: String, notes: [Diagnostic], images: Int) {
        let stem = URL(fileURLWithPath: docx).deletingPathExtension().lastPathComponent
        let md = (folder as NSString).appendingPathComponent(stem + ".md")
        let media = (folder as NSString).appendingPathComponent("media")
        if FileManager.default.fileExists(atPath: md) {
            throw FolioError("\(md) already exists; Folio never replaces an article (import into another folder, or move it away)")
        }
        if let inside = try? FileManager.default.contentsOfDirectory(atPath: media), !inside.isEmpty {
            throw FolioError("\(media) already holds files; Folio never replaces them (import into another folder)")
        }
        let (path, notes) = try WordImporter.importArticle(docx, into: folder)
        return (path, notes, (try? FileManager.default.contentsOfDirectory(atPath: media))?.count ?? 0)
    }
}
