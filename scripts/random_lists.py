#!/usr/bin/env python3
"""Random articles of nested lists — items that begin with a quote, a heading or a table, later
paragraphs, quotes, code and tables in items, lists inside items three deep, ordered and bulleted lists
one after another — with paragraphs, block quotes of several paragraphs, tables, boxes and
headings between, long enough to break across columns and pages, rendered and read back as a
screen reader would (for Folio's tests).

    python3 scripts/random_lists.py FOLIO OUT_FOLDER FIRST_SEED LAST_SEED

For each seed: writes OUT_FOLDER/SEED.md, renders it with FOLIO, and checks that the PDF passes
`tagcheck.py` and that its structure (`structtext.py`) reads every Han character of the source
in the source's order. Prints "ok N" or one line per failure (exit 1).
"""
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SENTENCES = ["牧区的孩子们每天骑马上学，路上要走两个小时。", "草原上的学校迎来了新学期。",
             "老师说：“读书是走出去的路，也是回家的路。”", "合作社的账本上记着每一户的收入。"]


def article(seed):
    rng = random.Random(seed)

    def para(n=None):
        return "".join(rng.choice(SENTENCES) for _ in range(n or rng.randint(1, 8)))

    def table():
        rows = [[para(1)[:rng.randint(2, 6)] for _ in range(3)] for _ in range(rng.randint(2, 12))]
        return ["| " + " | ".join(rows[0]) + " |", "| --- | --- | --- |"] + ["| " + " | ".join(r) + " |" for r in rows[1:]]

    def items(depth, indent):
        out, ordered = [], rng.random() < 0.5
        for i in range(rng.randint(1, 5)):
            marker = f"{i + 1}. " if ordered else "- "
            pad = " " * len(marker)
            r = rng.random()
            if r < 0.2 and r >= 0.15:
                rows = table()
                out += [indent + marker + rows[0]] + [indent + pad + row for row in rows[1:]]
            else:
                first = "> " + para() if r < 0.1 and depth < 3 else "### " + para(1)[:10] if r < 0.15 else para()
                out.append(indent + marker + first)
            for _ in range(rng.randint(0, 2)):
                r = rng.random()
                out.append("")
                if r < 0.3 and depth < 3:
                    out += items(depth + 1, indent + pad)
                elif r < 0.5:
                    out.append(indent + pad + "> " + para())
                elif r < 0.6:
                    out += [indent + pad + "```", indent + pad + "code line", indent + pad + "```"]
                elif r < 0.68:
                    out += [indent + pad + row for row in table()]
                else:
                    out.append(indent + pad + para())
        return out

    blocks = []
    for _ in range(rng.randint(3, 12)):
        r = rng.random()
        if r < 0.35:
            blocks.append(para())
        elif r < 0.7:
            blocks.append("\n".join(items(1, "")))
        elif r < 0.78:
            blocks.append("\n>\n".join("> " + para() for _ in range(rng.randint(1, 4))))
        elif r < 0.84:
            blocks.append("\n".join(table()))
        elif r < 0.9:
            blocks.append("> [!box] " + para(1)[:6] + "\n>\n" + "\n>\n".join("> " + para(2) for _ in range(rng.randint(1, 3))))
        else:
            blocks.append("## " + para(1)[:8])
    return "---\ntitle: 随机\n---\n\n" + "\n\n".join(blocks) + "\n"


def han(text):
    return "".join(c for c in text if "\u4e00" <= c <= "\u9fff")


def check(folio, folder, seed):
    md, pdf = os.path.join(folder, f"{seed}.md"), os.path.join(folder, f"{seed}.pdf")
    text = article(seed)
    with open(md, "w", encoding="utf-8") as f:
        f.write(text)
    r = subprocess.run([folio, "render", md, "-o", pdf, "-q"], capture_output=True, text=True)
    if r.returncode != 0:
        return [f"seed {seed}: render failed: {r.stderr.strip()[:200]}"]
    failures = []
    tags = subprocess.run([sys.executable, os.path.join(HERE, "tagcheck.py"), pdf], capture_output=True, text=True)
    if tags.returncode != 0:
        failures.append(f"seed {seed}: tagcheck: {tags.stdout.strip()[:200]}")
    out = subprocess.run([sys.executable, os.path.join(HERE, "structtext.py"), pdf, "--json"], capture_output=True, text=True)
    read = han("".join(e["text"] for e in json.loads(out.stdout)))
    written = "随机" + han(text.split("\n---\n", 1)[1])
    if read != written:
        i = next((k for k in range(min(len(read), len(written))) if read[k] != written[k]), min(len(read), len(written)))
        failures.append(f"seed {seed}: read out of order at character {i}: written {written[i:i + 16]}…, read {read[i:i + 16]}…")
    return failures


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    folio, folder, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(folder, exist_ok=True)
    failures = [f for seed in range(first, last + 1) for f in check(folio, folder, seed)]
    print("\n".join(failures) if failures else f"ok {last - first + 1}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
