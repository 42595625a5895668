#!/usr/bin/env python3
"""Random magazine articles mixing every kind of block — paragraphs with emphasis, links, Latin
words and numbers, headings, figures at each placement, pull quotes, boxes (with tables and
headings), tables, quotes, lists, code and footnotes — rendered and measured, for looking for
layouts Folio gets wrong on text no test was written for.

    python3 scripts/random_articles.py FOLIO OUT_FOLDER FIRST_SEED LAST_SEED [LANGUAGE]

LANGUAGE (default zh) may be an edition's: ug, kk, ko or mn; its sentences and words are taken
from ../shared/corpus (headings, captions, cells and pull quotes its words instead of Han).
For each seed: writes OUT_FOLDER/SEED.md (its figures copied there from examples/), renders it with FOLIO and
checks that the render succeeds within 60 s, that every letter of the source's script (Han,
Arabic, Hangul or Mongolian) is in the PDF's text as often as it is written (order aside:
captions, notes and pull quotes move), and
that pdfcheck (the text area given by the template's margins) finds no line breaking a kinsoku
rule, no overflow, no overlapping lines and no runt, and (horizontal lines: not Mongolian) that
no column but the last page's ends with a heading, a box's title or a table's header — unless the render warned of a
heading with nothing under it, which is printed as written. pdfcheck's heading at a column's
foot and a column left short are printed to look at ("look at: …"), not failed: pdfcheck reads
a bold line as a heading and a column ending above a figure at its foot as short; so are pages
of figures alone after the end mark (a page of pictures over half full is kept by design). Prints one line per failure,
then "ok N" or "N failures" (exit 1).
"""
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PDFCHECK = os.path.join(ROOT, "..", "shared", "tools", "pdfcheck")
IMAGES = [os.path.join(ROOT, "examples", "sample-issue", "images", "grassland.jpg"),
          os.path.join(ROOT, "examples", "formats", "enrolment-chart.svg"),
          os.path.join(ROOT, "examples", "formats", "archive.webp"),
          os.path.join(ROOT, "examples", "formats", "camera-exif6.jpg")]
SENTENCES = ["牧区的孩子们每天骑马上学，路上要走两个小时。", "草原上的学校迎来了新学期。",
             "老师说：“读书是走出去的路，也是回家的路。”", "合作社的账本上记着每一户的收入。",
             "2024 年，全旗的在校生达到 3200 人，比五年前多了 18%。", "她用 Excel 表格记下每一笔开支！",
             "“真的吗？”孩子们问。", "马头琴——这件古老的乐器——又响了起来……",
             "从 UNESCO 的报告看，草原教育（特别是寄宿制学校）仍有很长的路要走；",
             "阿 Q 说，这是他第 3 次来。"]
# An edition's corpus file, its sentence ends, two sentences with Latin and numbers, its full
# stop, and its letters (as the PDF's text gives them back: Mongolian's format characters not).
EDITIONS = {
    "ug": ("ug_Arab.txt", "،.؛!؟", ["2024 - يىلى 3200 ئوقۇغۇچى. ", "UNESCO نىڭ دوكلاتى بويىچە. "], ".", ("\u0620", "\u06ff")),
    "kk": ("kk_Arab.txt", "،.؛!؟", ["2024 - جىلى 3200 وقۋشى. ", "UNESCO بايانداماسى. "], ".", ("\u0620", "\u06ff")),
    "ko": ("ko_Kore.txt", ".,!?", ["2024년 학생 3200명. ", "UNESCO 보고서에 따르면. "], ".", ("\uac00", "\ud7a3")),
    "mn": ("mn_Mong.txt", "\u1802\u1803", ["2024 ᠤᠨ 3200 ᠬᠦᠮᠦᠨ\u1803 ", "UNESCO ᠶᠢᠨ ᠮᠡᠳᠡᠭᠡ\u1803 "], "\u1803", ("\u1820", "\u18af")),
}
LANGUAGE = "zh"
WORDS = []
# Defects: any count fails the seed. Looked at: printed, not failed (pdfcheck reads a line of
# bold text as a heading, and a column ending above a figure at its foot as short).
DEFECTS = ["kinsoku_start", "kinsoku_end", "overflow", "overlapping", "runts"]
LOOK_AT = ["heading_at_foot", "short_columns"]
# The template's margins (top, outer, bottom, outer): the text area exact, not estimated.
MARGINS = "20,15,22,15"


def article(seed):
    rng = random.Random(seed)
    notes = []

    def sentence():
        s = rng.choice(SENTENCES)
        r = rng.random()
        if r < 0.08:
            s = "**" + s[:-1] + "**" + s[-1]
        elif r < 0.14:
            s = s[:-1] + "[^%d]" % (len(notes) + 1) + s[-1]
            notes.append("".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 2))))
        elif r < 0.18:
            s = "[民族网](https://www.example.org/minzu/%d)" % seed + s
        return s

    def para(n=None):
        return "".join(sentence() for _ in range(n or rng.randint(1, 9)))

    def short(n):
        if WORDS:   # an edition's words, about as long as n Han characters
            return " ".join(rng.choice(WORDS) for _ in range(max(1, n // 3)))
        return "".join(c for c in rng.choice(SENTENCES) if "\u4e00" <= c <= "\u9fff")[:n]

    def table(prefix=""):
        cols = rng.randint(2, 4)
        rows = [[short(rng.randint(2, 8)) if rng.random() < 0.6 else str(rng.randint(1, 99999)) for _ in range(cols)]
                for _ in range(rng.randint(2, 14))]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * cols] + ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(prefix + l for l in lines)

    blocks = [para()]
    for _ in range(rng.randint(4, 30)):
        r = rng.random()
        if r < 0.45:
            blocks.append(para())
        elif r < 0.55:
            blocks.append(rng.choice(["## ", "### "]) + short(rng.randint(3, 12)))
        elif r < 0.63:
            title = rng.choice(["", ' "top"', ' "bottom"', ' "span"', ""])
            blocks.append("![%s](%s%s)" % (short(rng.randint(4, 14)), os.path.basename(rng.choice(IMAGES)), title))
        elif r < 0.67:
            blocks.append("> [!pull]\n> " + short(rng.randint(8, 14)) + (EDITIONS[LANGUAGE][3] if WORDS else "。"))
        elif r < 0.74:
            body = [para(rng.randint(1, 3)) if rng.random() < 0.7 else table("") for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.3:
                body.insert(1, "### " + short(5))
            text = "\n\n".join(body)
            blocks.append("> [!box] " + short(6) + "\n>\n" + "\n".join("> " + l if l else ">" for l in text.split("\n")))
        elif r < 0.8:
            blocks.append(table())
        elif r < 0.85:
            blocks.append("\n>\n".join("> " + para(rng.randint(1, 3)) for _ in range(rng.randint(1, 3))))
        elif r < 0.92:
            marker = rng.choice(["- ", "1. "])
            blocks.append("\n".join((marker if marker == "- " else "%d. " % (i + 1)) + para(rng.randint(1, 3))
                                    for i in range(rng.randint(2, 6))))
        else:
            blocks.append("```\n" + "\n".join("step_%d = load(%d)  # 读入第 %d 批" % (i, i, i) for i in range(rng.randint(1, 12))) + "\n```")
    language = "" if LANGUAGE == "zh" else "language: %s\n" % LANGUAGE
    text = "---\ntitle: 随机文章 %d\nauthor: 测试\n%s---\n\n" % (seed, language) + "\n\n".join(blocks) + "\n"
    if notes:
        text += "\n" + "\n".join("[^%d]: %s" % (i + 1, n) for i, n in enumerate(notes)) + "\n"
    return text


def han(text):
    """The letters of the article's script in `text` (Han in Chinese), counted."""
    low, high = EDITIONS[LANGUAGE][4] if LANGUAGE in EDITIONS else ("\u4e00", "\u9fff")
    return collections.Counter(c for c in text if low <= c <= high)


def use_language(language):
    """Sentences and words from the edition's corpus text instead of the Chinese ones."""
    global LANGUAGE, SENTENCES, WORDS
    LANGUAGE = language
    if language == "zh":
        return
    if language not in EDITIONS:
        sys.exit(f"unknown language {language}: zh, " + ", ".join(EDITIONS))
    name, ends, extra, _, _ = EDITIONS[language]
    with open(os.path.join(ROOT, "..", "shared", "corpus", name), encoding="utf-8") as f:
        corpus = f.read()
    sentences = [s.strip() for s in re.split("(?<=[%s])\\s+" % re.escape(ends), corpus) if len(s.strip()) > 10]
    SENTENCES = [s + " " for s in sentences[:40]] + extra
    WORDS = [w.strip(ends) for w in corpus.split() if len(w.strip(ends)) > 2]


def check(folio, folder, seed):
    md, pdf = os.path.join(folder, f"{seed}.md"), os.path.join(folder, f"{seed}.pdf")
    text = article(seed)
    with open(md, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        r = subprocess.run([folio, "render", md, "-o", pdf], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return [f"seed {seed}: render took over 60 s"]
    if r.returncode != 0:
        return [f"seed {seed}: render failed ({r.returncode}): {r.stderr.strip()[:300]}"]
    failures = []
    out = subprocess.run([sys.executable, PDFCHECK, pdf, "--json", "--margins", MARGINS], capture_output=True, text=True)
    report = json.loads(out.stdout)
    # pdfcheck reads each upright Han character of a vertical line as a line of its own (Cairo
    # places them one by one): in vertical Mongolian its runts are those characters. It reads a
    # right-to-left line that opens with a number, Latin or ① as left to right, and takes the
    # full stop at its end (on the left) for one opening it: in Uyghur and Kazakh its kinsoku
    # counts are printed to look at.
    looked_at = {"mn": ["runts"], "ug": ["kinsoku_start", "kinsoku_end"], "kk": ["kinsoku_start", "kinsoku_end"]}.get(LANGUAGE, [])
    defects = [d for d in DEFECTS if d not in looked_at]
    for metric in defects + LOOK_AT + looked_at:
        m = report["metrics"].get(metric) or {}
        examples = next((m[k] for k in m if k.endswith("examples") and m[k]), [])
        if metric == "overflow":   # the folio stands in the foot margin by design
            examples = [e for e in examples if not e.get("text", "").strip().isdigit()]
            if not examples:
                continue
        if m.get("count"):
            line = f"seed {seed}: {metric} {m['count']} {json.dumps(examples[:2], ensure_ascii=False)[:300]}"
            if metric in defects:
                failures.append(line)
            else:
                print("look at: " + line, flush=True)
    # A heading, box title or table header as a column's last line, the article going on
    # (pdfcheck reads bold text lines as headings: its heading_at_foot is only looked at).
    # A paragraph written all bold (`**…**`) in a box is set in the same bold sans: a line that
    # is in no heading, box title or table header of the source is printed to look at.
    titles = display_lines(text)
    for page, column, line in alone_at_foot(pdf) if LANGUAGE != "mn" else []:
        said = "nothing under it" in r.stderr    # a heading the writer left empty: printed as written
        bold = "".join(line.split()) not in titles
        line = f"seed {seed}: page {page} column {column + 1} ends with the heading or title '{line}'"
        if said or bold:
            print("look at: " + line + (" (an empty heading was warned about)" if said else " (bold text, in no heading or title)"), flush=True)
        else:
            failures.append(line)
    page_text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    # Pages after the end mark hold figures alone: a page of pictures (over half full) is kept by
    # design, anything less is mended (ShortTail) — printed to look at.
    pages = page_text.split("\f")[:-1] if page_text.endswith("\f") else page_text.split("\f")
    ends = [k for k, p in enumerate(pages) if "■" in p]
    if ends and ends[-1] < len(pages) - 1:
        print(f"look at: seed {seed}: the end mark on page {ends[-1] + 1} of {len(pages)} (figures alone after it)", flush=True)
    body = text.split("\n---\n", 1)[1]
    lost = han(body) - han(page_text)
    if lost:
        failures.append(f"seed {seed}: letters missing from the PDF: {''.join(lost.elements())[:40]}")
    return failures


def display_lines(text):
    """The source's headings, box titles and table header rows, run together without spaces
    (a line of them printed is found in it as a substring)."""
    lines = text.split("\n")
    out = []
    for k, l in enumerate(lines):
        bare = l.lstrip("> ").strip()
        nxt = lines[k + 1].lstrip("> ").strip() if k + 1 < len(lines) else ""
        if bare.startswith("#") or bare.startswith("[!box]") or (bare.startswith("|") and nxt.startswith("|-")):
            out.append("".join(bare.lstrip("#").replace("[!box]", "").replace("|", "").split()))
    return "\n".join(out)


def alone_at_foot(pdf):
    """(page, column, text) of each column of a page but the last whose last line is set in the
    bold sans face of headings, box titles and table headers, in black (a pull quote, in the
    accent colour, may end a column)."""
    try:
        import pymupdf as fitz
    except ImportError:
        import fitz
    found = []
    with fitz.open(pdf) as doc:
        for number, page in enumerate(doc):
            if number == len(doc) - 1:
                continue
            mm = 72 / 25.4
            top, bottom, middle = 15 * mm, page.rect.height - 22 * mm, page.rect.width / 2
            # A column's last line: every piece of text on its baseline (a right-to-left line
            # comes in several, a word or a run of another script each), in reading order.
            pieces = collections.defaultdict(list)
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    spans = [s for s in line["spans"] if s["text"].strip()]
                    x0, y0, _, y1 = line["bbox"]
                    if not spans or y0 < top or y1 > bottom:
                        continue   # running heads and folios
                    pieces[0 if x0 < middle - 10 else 1].append((y1, x0, spans))
            for column, found_pieces in sorted(pieces.items()):
                lowest = max(y1 for y1, _, _ in found_pieces)
                at_foot = [p for p in found_pieces if p[0] > lowest - 2]
                rtl = any("\u0600" <= c <= "\u06ff" for _, _, line_spans in at_foot for s in line_spans for c in s["text"])
                spans = [s for _, _, line_spans in sorted(at_foot, key=lambda p: p[1], reverse=rtl) for s in line_spans]
                if all("Sans" in s["font"] and "Bold" in s["font"] and s["color"] == 0 for s in spans):
                    found.append((number + 1, column, "".join(s["text"] for s in spans)[:30]))
    return found


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    folio, folder, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    use_language(sys.argv[5] if len(sys.argv) == 6 else "zh")
    os.makedirs(folder, exist_ok=True)
    for image in IMAGES:
        shutil.copy(image, folder)
    failures = []
    for seed in range(first, last + 1):
        for f in check(folio, folder, seed):
            print(f, flush=True)
            failures.append(f)
    print(f"{len(failures)} failures" if failures else f"ok {last - first + 1}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
