/// Small commands for finding one's way: the fonts Folio sees, the shipped templates, and a new
/// issue to start from.
import ArgumentParser
import Folio
import FolioCore
import FolioInput
import FolioText
import Foundation

struct Fonts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the font families Folio's private configuration sees, and which template roles use them.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let config = try Resources.fontConfig(common.fonts)
            let fonts = try FontSystem(configFile: config)
            let templatePath = try Resources.templatePath(common.template)
            let template = try? TemplateLoader.load(path: templatePath)
            var users: [String: [String]] = [:]
            for (role, f) in template?.fonts ?? [:] {
                for (script, family) in f.families { users[family, default: []].append("\(role) (\(script.rawValue))") }
            }
            let known = Set(fonts.familyNames())
            print("font configuration: \(config)")
            for family in fonts.familyNames() {
                let roles = users[family].map { "  ← " + $0.sorted().joined(separator: ", ") } ?? ""
                print("  \(family)\(roles)")
            }
            let missing = users.keys.filter { !known.contains($0) }.sorted()
            if !missing.isEmpty {
                print("named by \(templatePath) but not configured: \(missing.joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
    }
}

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the templates shipped with Folio, one line each.")

    func run() throws {
        try reportingErrors {
            guard let home = Resources.home() else { throw FolioError("cannot find Folio's layouts/; set FOLIO_HOME") }
            let folder = home + "/layouts"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            for name in names {
                let text = (try? InputFile.readText(folder + "/" + name)) ?? ""
                let first = text.split(separator: "\n").first { $0.hasPrefix("#") }.map { $0.dropFirst().trimmingCharacters(in: .whitespaces) } ?? ""
                print("\(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(first)")
            }
            print("use one with --template \(folder)/NAME.yaml, or copy it and change what you need")
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new issue in FOLDER: an issue.yaml, one article, an images folder and a copy of the template.")

    @Argument(help: "The folder for the new issue (created; it must be empty if it exists).")
    var folder: String

    @Option(help: "The template to copy (default: Folio's layouts/magazine-16k.yaml).")
    var template: String?

    func run() throws {
        try reportingErrors {
            let fm = FileManager.default
            if RegularFile.kind(folder) == .folder, !((try? fm.contentsOfDirectory(atPath: folder)) ?? []).isEmpty {
                throw FolioError("\(folder) is not empty; folio init never writes over files — give a new folder")
            }
            if RegularFile.kind(folder) == .regular { throw FolioError("\(folder) is a file, not a folder") }
            let source = try Resources.templatePath(template)
            try fm.createDirectory(atPath: folder + "/images", withIntermediateDirectories: true)
            try AtomicFile.write(RegularFile.read(source, noun: "template"), to: folder + "/template.yaml")
            let manifest = """
            # The issue: its name, label and date, the template, and the sections with their articles.
            magazine: 新杂志
            issue: 2025年第1期
            date: 2025-01-15
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
            date: 2025-01-15
            source: 本刊
            editor: 编辑
            ---

            正文从这里开始。每一段之间空一行；图片放在 images 文件夹里，这样引用：`![图片说明](images/photo.jpg)`。

            ## 小标题

            第二段正文。
            """
            try AtomicFile.write(Array((manifest + "\n").utf8), to: folder + "/issue.yaml")
            try AtomicFile.write(Array((article + "\n").utf8), to: folder + "/first-article.md")
            print("""
            created \(folder): issue.yaml, first-article.md, images/, template.yaml
            next: folio render \(folder)/issue.yaml -o issue.pdf
            """)
        }
    }
}
