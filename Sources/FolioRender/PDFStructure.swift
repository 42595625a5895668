/// The finisher's work on the structure tree `StructureTagger` had Cairo write: an article's
/// page groups joined into one `Art`, a paragraph's, table's or list's rest on the next page
/// into its element, `/Alt`, `/Lang` and header scopes, the parent tree repointed (see
/// `PDFFinisher.process`).
import CQPDF
import CQPDFPlus
import FolioCore
import Foundation

extension PDFFinisher {
    /// Structure types whose kids are marked content (and links), never a figure or a table.
    static let holdsOnlyContent: Set<String> = ["/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Span", "/Link", "/Lbl", "/TD", "/Caption"]

    /// The structure type (`/S`) of a structure element, or nil for anything else.
    func type(_ pdf: qpdf_data, _ oh: qpdf_oh) -> String? {
        guard qpdf_oh_is_dictionary(pdf, oh) == QPDF_TRUE else { return nil }
        let s = qpdf_oh_get_key(pdf, oh, "/S")
        defer { qpdf_oh_release(pdf, s) }
        guard qpdf_oh_is_name(pdf, s) == QPDF_TRUE, let name = qpdf_oh_get_name(pdf, s) else { return nil }
        return String(cString: name)
    }

    /// The `/K` kids of `element` as an array of handles.
    func kids(_ pdf: qpdf_data, _ element: qpdf_oh) -> [qpdf_oh] {
        let k = qpdf_oh_get_key(pdf, element, "/K")
        if qpdf_oh_is_array(pdf, k) == QPDF_TRUE { return (0..<qpdf_oh_get_array_n_items(pdf, k)).map { qpdf_oh_get_array_item(pdf, k, $0) } }
        return qpdf_oh_is_null(pdf, k) == QPDF_TRUE ? [] : [k]
    }

    func setKids(_ pdf: qpdf_data, _ element: qpdf_oh, _ list: [qpdf_oh]) {
        let a = qpdf_oh_new_array(pdf)
        for k in list { qpdf_oh_append_item(pdf, a, k) }
        qpdf_oh_replace_key(pdf, element, "/K", a)
    }

    func isElement(_ pdf: qpdf_data, _ oh: qpdf_oh, _ type: String) -> Bool {
        qpdf_oh_is_dictionary(pdf, oh) == QPDF_TRUE && qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, oh, "/S"), type) == QPDF_TRUE
    }

    /// Kids moved from `from` to `into`: marked-content ids given as bare numbers belong to
    /// `from`'s page, so they become marked-content references naming it.
    func adopt(_ pdf: qpdf_data, _ kid: qpdf_oh, from: qpdf_oh, into: qpdf_oh) -> qpdf_oh {
        if qpdf_oh_is_integer(pdf, kid) == QPDF_TRUE {
            let mcr = qpdf_oh_new_dictionary(pdf)
            qpdf_oh_replace_key(pdf, mcr, "/Type", qpdf_oh_new_name(pdf, "/MCR"))
            qpdf_oh_replace_key(pdf, mcr, "/MCID", kid)
            qpdf_oh_replace_key(pdf, mcr, "/Pg", qpdf_oh_get_key(pdf, from, "/Pg"))
            return mcr
        }
        if qpdf_oh_is_dictionary(pdf, kid) == QPDF_TRUE, qpdf_oh_has_key(pdf, kid, "/S") == QPDF_TRUE {
            qpdf_oh_replace_key(pdf, kid, "/P", into)
        }
        return kid
    }

    /// `e`'s kids moved to the end of `into`'s, and `e` noted as merged into it (for the parent
    /// tree): `e`'s bare marked-content ids become references to its page, `into`'s own keep
    /// naming its `/Pg`.
    func join(_ pdf: qpdf_data, _ e: qpdf_oh, into: qpdf_oh, _ replaced: inout [Int32: qpdf_oh]) {
        setKids(pdf, into, kids(pdf, into) + kids(pdf, e).map { adopt(pdf, $0, from: e, into: into) })
        replaced[qpdf_oh_get_object_id(pdf, e)] = into
    }

    /// Gives the element `e` the structure type `type` (`/P`…).
    func setType(_ pdf: qpdf_data, _ e: qpdf_oh, _ type: String) {
        qpdf_oh_replace_key(pdf, e, "/S", qpdf_oh_new_name(pdf, type))
    }

    /// Joins the page groups of one article into one `Art` and each `continuation` into the `P`
    /// before it, and points the parent tree's entries for the merged elements at the survivors.
    func mergeStructure(_ pdf: qpdf_data) {
        let treeRoot = qpdf_oh_get_key(pdf, qpdf_get_root(pdf), "/StructTreeRoot")
        guard qpdf_oh_is_dictionary(pdf, treeRoot) == QPDF_TRUE,
              let document = kids(pdf, treeRoot).first(where: { isElement(pdf, $0, "/Document") }) else { return }
        // The page groups, in drawing order, as the tagger began them.
        let drawn = kids(pdf, document)
        guard drawn.count == groupArticles.count else { return }
        var replaced: [Int32: qpdf_oh] = [:]   // merged element's object id → the element it joined
        // Blocks that waited for a later page (`StructureTagger.waitedBlock`) get their own type
        // back; they and the places they were written (`waitedFrom`) are known by their keys.
        // (A place whose block was not begun so — a table in a list item — is only removed.)
        var waitKeys: [Int32: String] = [:], writtenAt = Set<Int32>()
        if !waited.isEmpty || !waitedAt.isEmpty {
            var (m, a) = (0, 0)
            for g in drawn {
                for k in kids(pdf, g) {
                    let id = qpdf_oh_get_object_id(pdf, k)
                    if m < waited.count, isElement(pdf, k, "/" + StructureTagger.waitedBlock) {
                        setType(pdf, k, "/" + waited[m].type)
                        waitKeys[id] = waited[m].key
                        m += 1
                    } else if a < waitedAt.count, isElement(pdf, k, "/" + StructureTagger.waitedFrom) {
                        waitKeys[id] = waitedAt[a]
                        writtenAt.insert(id)
                        a += 1
                    }
                }
            }
        }
        // One Art per article.
        var groups: [qpdf_oh] = [], groupLanguages: [String?] = []
        var lastArticle: String?
        for (g, id) in zip(drawn, groupArticles) {
            let article = isElement(pdf, g, "/Art") ? id : nil
            if let article, let lang = articleLanguages[article] {
                qpdf_oh_replace_key(pdf, g, "/Lang", qpdf_oh_new_unicode_string(pdf, lang))
            }
            if let article, article == lastArticle, let previous = groups.last {
                join(pdf, g, into: previous, &replaced)
            } else {
                groups.append(g)
                groupLanguages.append(article.flatMap { articleLanguages[$0] } ?? language)
            }
            lastArticle = article
        }
        // Figures in drawing order (the tree's order until the front matter moves) get their /Alt;
        // header cells say they head their column, contents entries how they read (Cairo 1.16
        // writes no attributes). Elements that hold only content (paragraphs, headings, cells…)
        // are not searched: a 500-page issue has some 100,000 marked-content ids, and each
        // handle costs libqpdf's C API a map entry.
        var figures: [qpdf_oh] = [], languages = 0, entries = 0
        func collect(_ e: qpdf_oh, _ depth: Int, _ language: String?) {
            guard depth < 32, var t = type(pdf, e) else { return }
            var language = language
            if t == "/" + StructureTagger.otherLanguage, languages < otherLanguages.count {
                // An element in another language: its own type, and its /Lang.
                let (real, own) = otherLanguages[languages]
                languages += 1
                t = "/" + real
                language = own
                setType(pdf, e, t)
                qpdf_oh_replace_key(pdf, e, "/Lang", qpdf_oh_new_unicode_string(pdf, own))
            }
            if t == "/Figure" { return figures.append(e) }
            if t == "/Reference", entries < entryTexts.count {
                qpdf_oh_replace_key(pdf, e, "/ActualText", qpdf_oh_new_unicode_string(pdf, entryTexts[entries]))
                entries += 1
            }
            if t == "/TH" {
                let a = qpdf_oh_new_dictionary(pdf)
                qpdf_oh_replace_key(pdf, a, "/O", qpdf_oh_new_name(pdf, "/Table"))
                qpdf_oh_replace_key(pdf, a, "/Scope", qpdf_oh_new_name(pdf, "/Column"))
                qpdf_oh_replace_key(pdf, e, "/A", a)
            }
            // Elements of text hold only marked content — unless runs of Chinese were tagged in
            // them (`StructureTagger.marksChineseRuns`).
            if Self.holdsOnlyContent.contains(t) || t == "/TH", !StructureTagger.marksChineseRuns(in: language) { return }
            for k in kids(pdf, e) {
                if qpdf_oh_is_dictionary(pdf, k) == QPDF_TRUE && qpdf_oh_has_key(pdf, k, "/S") == QPDF_TRUE { collect(k, depth + 1, language) } else { qpdf_oh_release(pdf, k) }
            }
        }
        for (g, language) in zip(groups, groupLanguages) { collect(g, 0, language) }
        for (figure, alt) in zip(figures, figureAlts) where !alt.isEmpty {
            qpdf_oh_replace_key(pdf, figure, "/Alt", qpdf_oh_new_unicode_string(pdf, alt))
        }
        // The front matter's groups (one per page, drawn last) move to the front with its pages.
        let front = min(moveLastToFront, groups.count)
        setKids(pdf, document, Array(groups.suffix(front)) + Array(groups.dropLast(front)))
        // Each continuation into the element it continues (a P, a Table), within its (now whole) group.
        for g in groups {
            var list: [qpdf_oh] = [], types: [String?] = []
            for e in kids(pdf, g) {
                let t = type(pdf, e)
                if t == "/" + StructureTagger.listContinuation {
                    if let j = types.lastIndex(of: "/L") {
                        mergeList(pdf, e, into: list[j], &replaced)
                    } else {
                        setType(pdf, e, "/L")
                        list.append(e); types.append("/L")
                    }
                    continue
                }
                guard let t, let (tag, target) = StructureTagger.continuations.first(where: { "/" + $0.key == t }) else {
                    list.append(e); types.append(t)
                    continue
                }
                if let j = types.lastIndex(where: { $0 == "/" + target || $0 == "/" + tag }), types[j] == "/" + target {
                    join(pdf, e, into: list[j], &replaced)
                    // What stands between — figures and pull quotes set at the head of a column
                    // or page in the middle of it, where they waited from before it began — is
                    // read before it, as written.
                    if j + 1 < list.count {
                        list.append(list.remove(at: j))
                        types.append(types.remove(at: j))
                    }
                } else {
                    setType(pdf, e, "/" + target)
                    list.append(e); types.append("/" + target)
                }
            }
            setKids(pdf, g, waitKeys.isEmpty ? list : inWrittenOrder(pdf, list, waitKeys, writtenAt))
        }
        if joinsBrokenLinks { for g in groups { joinBrokenLinks(pdf, g, &replaced, depth: 0) } }
        guard !replaced.isEmpty else { return }
        repoint(pdf, qpdf_oh_get_key(pdf, treeRoot, "/ParentTree"), replaced, depth: 0)
    }

    /// A group's kids with each block that waited for a later page moved back to where it was
    /// written — before the text that filled the column it left; a box's elements in their
    /// order — and the empty elements that marked those places gone (`StructureTagger.waitedBlock`).
    func inWrittenOrder(_ pdf: qpdf_data, _ list: [qpdf_oh], _ keys: [Int32: String], _ writtenAt: Set<Int32>) -> [qpdf_oh] {
        var out = list
        var ids = out.map { qpdf_oh_get_object_id(pdf, $0) }
        for id in ids where keys[id] != nil && !writtenAt.contains(id) {
            guard let i = ids.firstIndex(of: id), let j = ids.firstIndex(where: { writtenAt.contains($0) && keys[$0] == keys[id] }), j < i else { continue }
            out.insert(out.remove(at: i), at: j)
            ids.insert(ids.remove(at: i), at: j)
        }
        return zip(out, ids).filter { !writtenAt.contains($0.1) }.map(\.0)
    }

    /// Joins a list that goes on from the page before (`StructureTagger.listContinuation`) to
    /// its `L`: its items become the list's, what comes before them goes on in the list's last
    /// `LBody` — a paragraph's or quote's rest (a continuation) in that body's last `P` or quote, an inner list's
    /// continuation in that body's last `L`, the same way.
    func mergeList(_ pdf: qpdf_data, _ e: qpdf_oh, into l: qpdf_oh, _ replaced: inout [Int32: qpdf_oh]) {
        var items = kids(pdf, l)
        let body = items.last { isElement(pdf, $0, "/LI") }.flatMap { kids(pdf, $0).last { isElement(pdf, $0, "/LBody") } }
        var inBody = body.map { kids(pdf, $0) } ?? []
        for k in kids(pdf, e) {
            guard let body, !isElement(pdf, k, "/LI") else {
                items.append(adopt(pdf, k, from: e, into: l))
                continue
            }
            // What `k` goes on with in the body, if it is a continuation: a list's `L`, a paragraph's `P`…
            let target = isElement(pdf, k, "/" + StructureTagger.listContinuation) ? "/L"
                : StructureTagger.continuations.first { isElement(pdf, k, "/" + $0.key) }.map { "/" + $0.value }
            if let target, let into = inBody.last(where: { isElement(pdf, $0, target) }) {
                if target == "/L" { mergeList(pdf, k, into: into, &replaced) } else { join(pdf, k, into: into, &replaced) }
            } else {
                if let target { setType(pdf, k, target) }   // (nothing to go on with: a list, paragraph or quote of its own)
                inBody.append(adopt(pdf, k, from: e, into: body))
            }
        }
        if let body { setKids(pdf, body, inBody) }
        setKids(pdf, l, items)
        replaced[qpdf_oh_get_object_id(pdf, e)] = l
    }

    /// Joins the `Link` elements of a link broken over lines (or columns, or pages, once the
    /// paragraph's rest is joined to it): two `Link`s one after the other in an element, going to
    /// the same place, become one holding both annotations — read as one link with all its words
    /// (Cairo makes an element of each line's piece).
    func joinBrokenLinks(_ pdf: qpdf_data, _ e: qpdf_oh, _ replaced: inout [Int32: qpdf_oh], depth: Int) {
        guard depth < 32 else { return }
        var out: [qpdf_oh] = [], last: String?, joined = false
        for k in kids(pdf, e) {
            guard qpdf_oh_is_dictionary(pdf, k) == QPDF_TRUE, qpdf_oh_has_key(pdf, k, "/S") == QPDF_TRUE else {
                out.append(k)
                if qpdf_oh_has_key(pdf, k, "/Obj") != QPDF_TRUE { last = nil }   // (text between them)
                continue
            }
            if isElement(pdf, k, "/Link") {
                let target = linkTarget(pdf, k)
                if let target, target == last, let into = out.last {
                    join(pdf, k, into: into, &replaced)
                    joined = true
                    continue
                }
                last = target
            } else {
                if !isElement(pdf, k, "/Figure") && !isElement(pdf, k, "/Lbl") { joinBrokenLinks(pdf, k, &replaced, depth: depth + 1) }
                last = nil
            }
            out.append(k)
        }
        if joined { setKids(pdf, e, out) }
    }

    /// Where a `Link` element's annotation goes, as written (its `/A` or `/Dest`), or nil.
    func linkTarget(_ pdf: qpdf_data, _ link: qpdf_oh) -> String? {
        for k in kids(pdf, link) where qpdf_oh_has_key(pdf, k, "/Obj") == QPDF_TRUE {
            let annotation = qpdf_oh_get_key(pdf, k, "/Obj")
            for key in ["/A", "/Dest"] where qpdf_oh_has_key(pdf, annotation, key) == QPDF_TRUE {
                return key + String(cString: qpdf_oh_unparse_resolved(pdf, qpdf_oh_get_key(pdf, annotation, key)))
            }
        }
        return nil
    }

    /// Replaces references to merged elements in the parent tree (a number tree).
    func repoint(_ pdf: qpdf_data, _ node: qpdf_oh, _ replaced: [Int32: qpdf_oh], depth: Int) {
        guard depth < 8, qpdf_oh_is_dictionary(pdf, node) == QPDF_TRUE else { return }
        let children = qpdf_oh_get_key(pdf, node, "/Kids")
        if qpdf_oh_is_array(pdf, children) == QPDF_TRUE {
            for i in 0..<qpdf_oh_get_array_n_items(pdf, children) { repoint(pdf, qpdf_oh_get_array_item(pdf, children, i), replaced, depth: depth + 1) }
        }
        let nums = qpdf_oh_get_key(pdf, node, "/Nums")
        guard qpdf_oh_is_array(pdf, nums) == QPDF_TRUE else { return }
        for i in stride(from: 1, to: qpdf_oh_get_array_n_items(pdf, nums), by: 2) {
            let value = qpdf_oh_get_array_item(pdf, nums, i)
            if qpdf_oh_is_array(pdf, value) == QPDF_TRUE {
                for j in 0..<qpdf_oh_get_array_n_items(pdf, value) {
                    if let to = replaced[qpdf_oh_get_object_id(pdf, qpdf_oh_get_array_item(pdf, value, j))] { qpdf_oh_set_array_item(pdf, value, j, to) }
                }
            } else if let to = replaced[qpdf_oh_get_object_id(pdf, value)] {
                qpdf_oh_set_array_item(pdf, nums, i, to)
            }
        }
    }
}
