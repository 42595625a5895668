#!/usr/bin/env python3
"""Writes examples/budget-issue/: a 32-page issue whose articles have page budgets (issue 13).

    python3 scripts/make_budget_issue.py [FOLDER]

Eight articles of seeded text (scripts/make_novella.py's generator: same seed, same text), with
figures from the sample issue — some marked optional ("optional" in the image title, and
`> [!pull optional]` pull quotes) — and budgets in issue.yaml. Most fit as written or after
copyfitting; `liangshi-zhan` is deliberately over its budget and `xiaoxue-jiaoshi` under, so
the fit report (`folio render --fit-report`) has one of each to show. The text is filler for
layout work, not reading.
"""
import os
import random
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_novella as novella  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMG = "images/grassland.jpg"   # copied from the sample issue (an article's images stay in its folder)

# id, title, deck, author, budget, characters, figures [(placement, optional)], optional pull quote
ARTICLES = [
    ("caoyuan-dianying", "草原上的流动电影队", "放映员开着小卡车走遍了十二个嘎查。", "乌力吉", 4, 5600, [("span", False), ("", True)], True),
    ("gaoyuan-youlu", "高原邮路三十年", "一个邮递员和他走过的山路。", "卓玛", 3, 3900, [("", False), ("", True)], False),
    ("liangshi-zhan", "粮食站的账本", "一本账本记下了一个乡村四十年的变化。", "陈默", 2, 3300, [("", True)], True),
    ("xiaoxue-jiaoshi", "山村小学的新老师", "她是村里第一个回来教书的大学生。", "林晓岚", 4, 3000, [("span", False)], False),
    ("shichang-yu-jie", "集市与节日", "赶集的日子，就是镇上的节日。", "阿依古丽", 3, 3500, [("", False), ("", True)], True),
    ("hesha-zhili", "河沙治理记", "治沙人的二十年，和一条回来的河。", "格桑", 3, 4000, [("span", True)], False),
    ("muchang-xuexiao", "牧场里的夜校", "白天放牧，晚上识字。", "斯琴", 3, 3300, [("", False)], True),
    ("minge-caiji", "民歌采集手记", "录音机里的一百首歌。", "金顺姬", 4, 5400, [("", True), ("", False)], False),
]


def article(seed, title, deck, author, chars, figures, pull):
    r = random.Random(seed)
    out = ["---", "title: " + title, "deck: " + deck, "author: " + author, "date: 2025-03-01", "source: 本刊", "editor: 周明远", "---", ""]
    paras = []
    count = 0
    while count < chars:
        p = novella.paragraph(r)
        paras.append(p)
        count += len(p)
    # Figures after every few paragraphs, a heading a third of the way, the pull quote in the middle.
    step = max(2, len(paras) // (len(figures) + 1))
    body = []
    for i, p in enumerate(paras):
        if i == len(paras) // 3:
            body += ["## " + novella.HEADS[seed % len(novella.HEADS)], ""]
        if pull and i == len(paras) // 2:
            body += ["> [!pull optional]", "> " + novella.sentence(r, "。"), ""]
        body += [p, ""]
        k = (i + 1) // step - 1
        if (i + 1) % step == 0 and 0 <= k < len(figures):
            placement, optional = figures[k]
            words = " ".join(w for w in [placement, "optional" if optional else ""] if w)
            label = "（可删）" if optional else ""
            body += ['![%s草原上的一天%s](%s%s)' % (title[:4], label, IMG, ' "%s"' % words if words else ""), ""]
    return "\n".join(out + body)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "examples", "budget-issue")
    for sub, name in (("images", "grassland.jpg"), ("ads", "subscribe.pdf"), ("ads", "read-online.pdf"), ("ads", "grassland-tours.pdf")):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, "examples", "sample-issue", sub, name), os.path.join(folder, sub, name))
    entries = []
    for n, (ident, title, deck, author, budget, chars, figures, pull) in enumerate(ARTICLES):
        with open(os.path.join(folder, ident + ".md"), "w") as f:
            # The generator's sentence-end ellipsis is one letter: written as the two of …… (a
            # render sets them so, with a note each article, which filler should not need).
            f.write(re.sub("(?<!…)…(?!…)", "……", article(100 + n, title, deck, author, chars, figures, pull)) + "\n")
        entries.append((ident, budget))
    sections = [("专题", entries[0:3]), ("教育", entries[3:4]), ("乡土", entries[4:6]), ("文化", entries[6:8])]
    lines = [
        "# A 32-page issue with page budgets (made by scripts/make_budget_issue.py: filler text for layout work).",
        "# Every article has a budget; the issue has a total. `folio render issue.yaml --fit-report` prints how each fits.",
        "magazine: 民族画报（示例）",
        "issue: 2025年第3期",
        "date: 2025-03-15",
        "publisher: Folio 示例编辑部",
        "template: ../../layouts/magazine-16k.yaml",
        "pages: 32",
        "sections:",
    ]
    for title, items in sections:
        lines += ["  - title: " + title, "    articles:"]
        for ident, budget in items:
            # The editor accepts muchang-xuexiao's last page as it falls (45 % full): no warning.
            space = ", ends-with-space: true" if ident == "muchang-xuexiao" else ""
            lines.append("      - {file: %s.md, pages: %d%s}" % (ident, budget, space))
            if ident == "liangshi-zhan":
                # Over its budget by a few lines: until they are cut, a half-page ad fills the page they spill onto.
                lines.append("      - {ad: ads/grassland-tours.pdf, size: half}")
        if title == "教育":
            lines.append("      - ad: ads/subscribe.pdf")
    lines += [
        "cover:",
        "  image: images/grassland.jpg",
        "  lines:",
        "    - caoyuan-dianying.md",
        "    - gaoyuan-youlu.md",
        "    - liangshi-zhan.md",
        "  serial: 总第369期",
        "  issn: 1234-5679",
        "  cn: 11-0000/C",
        "  price: 定价：15.00元",
        "  number: 3",
        "inside-front-cover: ads/read-online.pdf    # the imprint closes the contents page",
        "back-cover: ads/subscribe.pdf",
        "fillers:",
        "  - ads/subscribe.pdf",
        "imprint:",
        "  主管: 示例主管单位",
        "  主办: Folio 示例编辑部",
        "  总编辑: 周明远",
        "  地址: 北京市示例区示例路 1 号（100000）",
        "  定价: 15.00 元",
    ]
    with open(os.path.join(folder, "issue.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
