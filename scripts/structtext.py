#!/usr/bin/env python3
"""The text of a tagged PDF in structure order — what a screen reader or a reflowing reader
reads — for Folio's tests (issue 15).

    python3 scripts/structtext.py FILE.pdf            one line per structure element with text
    python3 scripts/structtext.py FILE.pdf --json     [{"type", "lang", "text"}] per element
    python3 scripts/structtext.py FILE.pdf --source A.md [--source B.md …]
        checks that the text of each Markdown article — headings, paragraphs, boxes, pull
        quotes, list items, table rows, in the order written — is read in that order in the
        structure, in elements of the article's language (front matter `language:`, else
        zh-Hans), and that each figure's caption is read somewhere; prints "ok" or one line per
        failure (exit 1)
    python3 scripts/structtext.py FILE.pdf --han
        checks that Han text is read as Chinese: a character of Han in the text of an element
        whose language (its innermost /Lang) is not Chinese, Japanese or Korean — a Chinese
        label or name in a Uyghur line read with a Uyghur voice — is a failure; prints "ok N"
        (N: Han characters read in Chinese elements nested in another language's) or the
        failures (exit 1)
    python3 scripts/structtext.py FILE.pdf --artifacts
        the text no element owns, marked /Artifact (running heads, folios — and any text the
        tagging lost), as JSON: per page, a list of the artifacts' texts

Each page's marked content is read with pdfminer.six (glyphs to characters through the fonts'
ToUnicode maps; a span's /ActualText replaces the glyphs it covers), by marked-content id; then
the structure tree is walked in order (pikepdf) and every element's ids — bare ones on its /Pg,
marked-content references on theirs — give its text (an element's own /ActualText, as a screen
reader reads it, in place of its content's). Elements are reported at the level of
paragraphs (a list item's among them), headings, captions, cells, labels and the contents
entries' links (`Reference`), with the /Lang they inherit.
"""
import json
import re
import sys

import pikepdf
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

LEAVES = {"P", "Reference", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "TD", "TH", "Lbl", "Figure", "BlockQuote"}


class MarkedText(PDFTextDevice):
    """Collects the characters of each marked-content id of one page."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self.by_mcid = {}
        self.artifacts = []
        self.stack = []   # (mcid or None, actual text or None, collected, artifact)

    def begin_tag(self, tag, props=None):
        props = props or {}
        mcid = props.get("MCID")
        actual = props.get("ActualText")
        if isinstance(actual, bytes):
            actual = actual.decode("utf-16") if actual[:2] in (b"\xfe\xff", b"\xff\xfe") else actual.decode("latin-1")
        self.stack.append([mcid, actual, [], getattr(tag, "name", tag) == "Artifact"])

    def end_tag(self):
        if not self.stack:
            return
        mcid, actual, chars, artifact = self.stack.pop()
        text = actual if actual is not None else "".join(chars)
        if artifact and text.strip():
            self.artifacts.append(text)
        if self.stack:
            self.stack[-1][2].append(text)
        if mcid is not None:
            self.by_mcid[mcid] = self.by_mcid.get(mcid, "") + text

    def do_tag(self, tag, props=None):
        pass

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        try:
            text = font.to_unichr(cid)
        except Exception:
            text = ""
        if self.stack:
            self.stack[-1][2].append(text)
        return font.char_width(cid) * fontsize * scaling


def page_texts(path, artifacts=False):
    """For each page: {mcid: text} (or, `artifacts`, the texts of its artifacts)."""
    out = []
    with open(path, "rb") as f:
        rsrcmgr = PDFResourceManager()
        for page in PDFPage.get_pages(f):
            device = MarkedText(rsrcmgr)
            PDFPageInterpreter(rsrcmgr, device).process_page(page)
            out.append(device.artifacts if artifacts else device.by_mcid)
    return out


def structure(path):
    pdf = pikepdf.open(path)
    pages = {p.obj.objgen: n for n, p in enumerate(pdf.pages)}
    texts = page_texts(path)
    root_lang = str(pdf.Root.get("/Lang", ""))
    elements = []

    def text_of(node, page, lang, depth=0):
        """Text of `node`'s kids, in order; leaves under it are recorded as elements."""
        if depth > 64:
            return ""
        if isinstance(node, int):
            return texts[page].get(node, "") if page is not None else ""
        if isinstance(node, pikepdf.Array):
            return "".join(text_of(k, page, lang, depth + 1) for k in node)
        if not isinstance(node, pikepdf.Dictionary):
            return ""
        if node.get("/Type") == "/MCR":
            pg = pages.get(node.Pg.objgen) if "/Pg" in node else page
            return texts[pg].get(int(node.MCID), "") if pg is not None else ""
        if node.get("/Type") == "/OBJR" or "/S" not in node:
            return ""
        if "/Pg" in node:
            page = pages.get(node.Pg.objgen, page)
        lang = str(node.get("/Lang", lang))
        kind = str(node.S)[1:]
        start = len(elements)
        text = text_of(node.get("/K", pikepdf.Array()), page, lang, depth + 1)
        if "/ActualText" in node:   # what the element reads as, in place of its content's text
            text = str(node.ActualText)
        if kind in LEAVES and text.strip():
            del elements[start:]   # a leaf reports its text once, not its inner elements' again
            elements.append({"type": kind, "lang": lang, "text": text})
        return text

    text_of(pdf.Root.StructTreeRoot.get("/K"), None, root_lang)
    return elements


def is_han(c):
    v = ord(c)
    return 0x4E00 <= v <= 0x9FFF or 0x3400 <= v <= 0x4DBF or 0x20000 <= v <= 0x3FFFF or 0xF900 <= v <= 0xFAFF


def han_languages(path):
    """(misread, nested): the Han text read in elements whose innermost language is not Chinese,
    Japanese or Korean, as (lang, text); and how many Han characters are read in Chinese
    elements inside another language's."""
    pdf = pikepdf.open(path)
    pages = {p.obj.objgen: n for n, p in enumerate(pdf.pages)}
    texts = page_texts(path)
    misread, nested = [], [0]

    def primary(lang):
        return lang.lower().split("-")[0]

    def read(text, lang, outer):
        han = sum(1 for c in text if is_han(c))
        if not han:
            return
        if primary(lang) not in ("zh", "ja", "ko", ""):
            misread.append((lang, text))
        elif primary(outer) not in ("zh", "ja", "ko", ""):
            nested[0] += han

    def walk(node, page, lang, outer, depth=0):
        if depth > 64:
            return
        if isinstance(node, int):
            return read(texts[page].get(node, "") if page is not None else "", lang, outer)
        if isinstance(node, pikepdf.Array):
            for k in node:
                walk(k, page, lang, outer, depth + 1)
            return
        if not isinstance(node, pikepdf.Dictionary):
            return
        if node.get("/Type") == "/MCR":
            pg = pages.get(node.Pg.objgen) if "/Pg" in node else page
            return read(texts[pg].get(int(node.MCID), "") if pg is not None else "", lang, outer)
        if node.get("/Type") == "/OBJR" or "/S" not in node:
            return
        if "/Pg" in node:
            page = pages.get(node.Pg.objgen, page)
        own = str(node.get("/Lang", lang))
        walk(node.get("/K", pikepdf.Array()), page, own, lang if own != lang else outer, depth + 1)

    root = str(pdf.Root.get("/Lang", ""))
    walk(pdf.Root.StructTreeRoot.get("/K"), None, root, root)
    return misread, nested[0]


def norm(text):
    return re.sub(r"\s+", "", text)


def plain(text):
    """Markdown inline markup removed: links to their text, emphasis and code marks dropped."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def source_blocks(path):
    """The article's language, its blocks' texts in reading order, its figure captions, and the
    texts of the elements it marks optional (`> [!pull optional]`, an image titled "optional"),
    which a page budget may leave out."""
    text = open(path, encoding="utf-8").read()
    front, body = ("", text)
    if text.startswith("---\n"):
        front, body = text[4:].split("\n---\n", 1)
    lang = (re.search(r"^language:\s*(\S+)", front, re.M) or [None, "zh-Hans"])[1]
    blocks, captions, optional = [], [], set()
    for chunk in re.split(r"\n\s*\n", body):
        lines = [l for l in chunk.strip().splitlines() if l.strip() and not l.startswith("<!--")]
        if not lines or lines[0].startswith("```"):
            continue
        first = lines[0]
        if first.startswith("!["):
            image = re.match(r'!\[([^\]]*)\]\(\S*(?:\s+"([^"]*)")?', first)
            captions.append(plain(image.group(1)))
            if "optional" in (image.group(2) or "").split():
                optional.add(norm(captions[-1]))
        elif first.startswith("|"):
            for row in lines:
                if not re.match(r"^\|[\s:|-]+\|?$", row):
                    blocks.append("".join(c.strip() for c in row.strip("|").split("|")))
        elif first.startswith(">"):
            inner = [re.sub(r"^>\s?", "", l) for l in lines]
            title = re.match(r"\[!(\w+)(\s+optional)?\]\s*(.*)", inner[0])
            if title:
                inner = ([title.group(3)] if title.group(3) else []) + inner[1:]
            blocks += [plain(l) for l in inner if l.strip()]
            if title and title.group(2):
                optional.update(norm(plain(l)) for l in inner if l.strip())
        elif re.match(r"^(#+\s|[-*+]\s|\d+\.\s)", first) or any(re.match(r"^\s*([-*+]|\d+\.)\s", l) for l in lines[1:]):
            # (a list item may begin with a heading, a quote or a list of its own: `- ## …`,
            # `1. > …`, `1. - …`; an inner list's items are indented; an item's later paragraph
            # may run on into the next items)
            for l in lines:
                l = re.sub(r"^\s*((#+|[-*+>]|\d+\.)\s+)+", "", l).strip()
                if l.startswith("|"):   # a table in an item: its rows' cells, not its delimiter row
                    if not re.match(r"^\|[\s:|-]+\|?$", l):
                        blocks.append("".join(c.strip() for c in l.strip("|").split("|")))
                else:
                    blocks.append(plain(l))
        else:
            blocks.append(plain(" ".join(lines)))
    return lang, [b for b in blocks if norm(b)], [c for c in captions if norm(c)], optional


def check(elements, sources):
    failures = []
    stream, owner = "", []
    for k, e in enumerate(elements):
        t = norm(e["text"])
        stream += t
        owner += [k] * len(t)
    for path in sources:
        lang, blocks, captions, optional = source_blocks(path)
        pos = 0
        for b in blocks:
            t = norm(b)
            i = stream.find(t, pos)
            if i < 0 and t in optional and t not in stream:
                continue   # (left out to fit the budget)
            if i < 0:
                failures.append("%s: not read in order: %s… (read next: %s…)" % (path, t[:24], stream[pos:pos + 24]))
                continue
            langs = {elements[owner[j]]["lang"] for j in range(i, i + len(t))}
            if langs != {lang}:
                failures.append("%s: %s… read as %s, not %s" % (path, t[:24], "/".join(sorted(langs)), lang))
            pos = i + len(t)
        for c in captions:
            if norm(c) not in stream and norm(c) not in optional:
                failures.append("%s: figure caption not read: %s" % (path, c[:24]))
    return failures


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    if "--artifacts" in args:
        json.dump(page_texts(args[0], artifacts=True), sys.stdout, ensure_ascii=False)
        return
    elements = structure(args[0])
    sources = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--source"]
    if sources:
        failures = check(elements, sources)
        print("\n".join(failures) if failures else "ok %d elements" % len(elements))
        sys.exit(1 if failures else 0)
    if "--han" in args:
        misread, nested = han_languages(args[0])
        print("\n".join("Han text read as %s: %s" % (lang, text) for lang, text in misread) if misread else "ok %d" % nested)
        sys.exit(1 if misread else 0)
    if "--json" in args:
        json.dump(elements, sys.stdout, ensure_ascii=False)
    else:
        for e in elements:
            print("%s [%s] %s" % (e["type"], e["lang"], e["text"].replace("\n", " ")))


if __name__ == "__main__":
    main()
