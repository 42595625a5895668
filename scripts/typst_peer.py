#!/usr/bin/env python3
"""The peer for `make bench` (issue 18): the same articles as a Folio bench issue, written as one
Typst document (2 columns, Noto Serif CJK SC 10 pt on a 17 pt pitch, justified, 2 em indents,
figures at column width, each article on a new page), compiled with the `typst` Python package
(`pip install typst`) in the same run as Folio, so the ratio of their times means something.

    python3 scripts/typst_peer.py ISSUE_FOLDER OUT.typ   # writes the Typst source
"""
import os
import re
import sys


def escape(s):
    return re.sub(r'([\\#*_`$<>@\[\]])', r'\\\1', s)


def article(path, folder):
    text = open(path, encoding="utf-8").read()
    meta, body = {}, text
    if text.startswith("---\n"):
        head, body = text[4:].split("\n---\n", 1)
        for line in head.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                meta[k.strip()] = v.split("#")[0].strip()
    out = ["#pagebreak(weak: true)",
           "#block(width: 100%%)[#text(size: 26pt, weight: \"bold\")[%s]]" % escape(meta.get("title", ""))]
    if meta.get("deck"):
        out.append("#block(width: 85%%)[#text(size: 11pt)[%s]]" % escape(meta["deck"]))
    if meta.get("author"):
        out.append("#text(size: 9pt)[文／%s]" % escape(meta["author"]))
    out.append("#line(length: 100%, stroke: 0.8pt + rgb(\"#bf1a1a\"))")
    out.append("#columns(2, gutter: 1em)[")
    for block in re.split(r"\n\s*\n", body.strip()):
        block = block.strip()
        if not block:
            continue
        m = re.match(r"!\[(.*?)\]\((\S+)(?:\s+\"[^\"]*\")?\)$", block)
        if m:
            image = m.group(2)   # relative to the .typ file, written in the issue folder
            out.append("#figure(image(\"%s\", width: 100%%), caption: [%s])" % (image, escape(m.group(1))))
        elif block.startswith("#"):
            out.append("#heading(level: 2)[%s]" % escape(block.lstrip("#").strip()))
        elif block.startswith(">"):
            lines = [l.lstrip(">").strip() for l in block.splitlines() if not l.lstrip(">").strip().startswith("[!")]
            out.append("#quote(block: true)[%s]" % escape("".join(lines)))
        elif block.startswith("|"):
            out.append(escape(block.replace("\n", " ")))
        else:
            out.append(escape(block.replace("\n", "")))
        out.append("")
    out.append("]")
    return "\n".join(out)


def main():
    folder, target = sys.argv[1], sys.argv[2]
    manifest = open(os.path.join(folder, "issue.yaml"), encoding="utf-8").read()
    files = re.findall(r"^\s+- (\S+\.md)\s*$", manifest, re.M)
    doc = ['#set page(width: 210mm, height: 285mm, margin: (top: 20mm, bottom: 22mm, inside: 20mm, outside: 17mm), numbering: "1")',
           '#set text(font: ("Noto Serif CJK SC",), size: 10pt, lang: "zh", region: "cn")',
           '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 7pt, spacing: 7pt)',
           '#show heading: set text(font: ("Noto Sans CJK SC",), size: 12pt)']
    doc += [article(os.path.join(folder, f), folder) for f in files]
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(doc) + "\n")


if __name__ == "__main__":
    main()
