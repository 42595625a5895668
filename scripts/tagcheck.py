#!/usr/bin/env python3
"""A tagged-PDF checker for Folio's tests (veraPDF is not installable here), with pikepdf.

    python3 scripts/tagcheck.py FILE.pdf

Checks, and prints one line per failure (exit 1 if any):
- the catalog is marked (`/MarkInfo << /Marked true >>`), has a `/StructTreeRoot` and a `/Lang`;
- on every page, every text-showing operator (Tj TJ ' ") and every painting operator (paths
  filled or stroked, images, shadings) lies inside marked content: an `/Artifact`, or a
  sequence with an `/MCID` that the parent tree gives to a structure element;
- marked content and the graphics state nest: no `Q` restores a state saved (`q`) outside the
  marked content it is in, and no `EMC` ends marked content begun inside a saved state;
- every `Figure` element has a non-empty `/Alt`;
- a page with annotations is read in structure order (`/Tabs /S`), and every link has a
  text saying where it goes (`/Contents`) and belongs to a `Link` element (its
  `/StructParent` in the parent tree);
- every font (on pages and in their forms) maps its glyphs to text: a `/ToUnicode` map, or a
  simple font with a standard encoding (`/WinAnsiEncoding`, `/MacRomanEncoding`,
  `/MacExpertEncoding`: ISO 32000-1 9.10.2, as in a PDF ad placed as it is in print);
- list and table elements sit in their parents (`LI` in `L`, `Lbl`/`LBody` in `LI`, `TR` in a
  table, `TH`/`TD` in `TR`);
- headings nest: no `Hn` follows an `H(n-k)` with k > 1 without the levels between... loosely:
  the first heading of a document part is `H1`, and a level never rises by more than one.
Prints `ok N pages` when all hold.
"""
import sys

import pikepdf

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh", "BI"}


# Where list and table elements may sit (ISO 32000-1, 14.8.4.3).
PARENTS = {"/LI": {"/L"}, "/Lbl": {"/LI"}, "/LBody": {"/LI"}, "/TR": {"/Table", "/THead", "/TBody", "/TFoot"},
           "/TH": {"/TR"}, "/TD": {"/TR"}}


def fonts_of(resources, depth=0):
    """(name, font) for the fonts of `resources` and of the forms it draws."""
    if resources is None or depth > 8:
        return []
    found = list(resources.get("/Font", {}).items())
    for _, xobject in resources.get("/XObject", {}).items():
        if xobject.get("/Subtype") == "/Form":
            found += fonts_of(xobject.get("/Resources"), depth + 1)
    return found


STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding"}


def standard_encoding(font):
    """A simple font whose codes map to text by a standard encoding alone (no /Differences)."""
    if font.get("/Subtype") not in ("/Type1", "/MMType1", "/TrueType"):
        return False
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary):
        return "/Differences" not in encoding and str(encoding.get("/BaseEncoding", "")) in STANDARD_ENCODINGS
    return str(encoding) in STANDARD_ENCODINGS


def owned_mcids(pdf):
    """The MCIDs the parent tree gives to an element, per page struct-parents key; and the
    element it gives each annotation's key (a link's: its `Link`)."""
    root = pdf.Root.StructTreeRoot
    owned, objects = {}, {}

    def walk(node):
        if "/Nums" in node:
            nums = node.Nums
            for i in range(0, len(nums), 2):
                value = nums[i + 1]
                if isinstance(value, pikepdf.Array):
                    owned[int(nums[i])] = {k for k, v in enumerate(value) if isinstance(v, pikepdf.Dictionary)}
                elif isinstance(value, pikepdf.Dictionary):
                    objects[int(nums[i])] = value
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(root.ParentTree)
    return owned, objects


def main(path):
    failures = []
    pdf = pikepdf.open(path)
    root = pdf.Root
    if not (root.get("/MarkInfo") and bool(root.MarkInfo.get("/Marked"))):
        failures.append("catalog: not /Marked")
    if "/StructTreeRoot" not in root:
        failures.append("catalog: no /StructTreeRoot")
        return failures, 0
    if not str(root.get("/Lang", "")):
        failures.append("catalog: no /Lang")
    owned, objects = owned_mcids(pdf)
    for n, page in enumerate(pdf.pages, 1):
        key = int(page.obj.get("/StructParents", -1))
        annotations = page.obj.get("/Annots", [])
        if len(annotations) and str(page.obj.get("/Tabs", "")) != "/S":
            failures.append(f"page {n}: annotations but no /Tabs /S")
        for a in annotations:
            if str(a.get("/Subtype", "")) == "/Link" and not str(a.get("/Contents", "")):
                failures.append(f"page {n}: a link without /Contents")
            if str(a.get("/Subtype", "")) == "/Link":
                element = objects.get(int(a.get("/StructParent", -1)))
                if element is None or str(element.get("/S", "")) != "/Link":
                    failures.append(f"page {n}: a link annotation not in a Link element")
        stack = []
        nesting = []   # "q" and "mc", as they open
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name in ("q", "Q", "BMC", "BDC", "EMC"):
                if name == "q" or name in ("BMC", "BDC"):
                    nesting.append("q" if name == "q" else "mc")
                elif nesting and nesting[-1] == ("q" if name == "Q" else "mc"):
                    nesting.pop()
                else:
                    failures.append(f"page {n}: {name} closes across " + ("marked content" if name == "Q" else "a saved graphics state"))
                    want = "q" if name == "Q" else "mc"
                    if want in nesting:
                        del nesting[len(nesting) - 1 - nesting[::-1].index(want)]
            if name in ("BMC", "BDC"):
                tag = str(operands[0])
                mcid = None
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                stack.append((tag, mcid))
            elif name == "EMC":
                if stack:
                    stack.pop()
            elif name in PAINT:
                if any(tag == "/Artifact" for tag, _ in stack):
                    continue
                mcids = [m for _, m in stack if m is not None]
                if not mcids:
                    failures.append(f"page {n}: {name} outside marked content")
                elif not any(m in owned.get(key, set()) for m in mcids):
                    failures.append(f"page {n}: {name} in MCID {mcids[-1]}, which no element owns")
        for name, font in fonts_of(page.obj.get("/Resources")):
            if "/ToUnicode" not in font and not standard_encoding(font):
                failures.append(f"page {n}: font {name} without /ToUnicode")
    headings = []

    def visit(element, depth=0, parent=""):
        if depth > 64 or not isinstance(element, pikepdf.Dictionary):
            return
        s = str(element.get("/S", ""))
        if s in PARENTS and parent not in PARENTS[s]:
            failures.append(f"{s[1:]} inside {parent[1:] or 'the root'}")
        if s == "/Figure" and not str(element.get("/Alt", "")):
            failures.append("a Figure without /Alt")
        if s in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
            headings.append(int(s[2]))
        if s in ("/Art", "/Sect"):
            headings.append(0)   # a new part: its headings start again
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            for k in kids:
                visit(k, depth + 1, s)
        elif isinstance(kids, pikepdf.Dictionary):
            visit(kids, depth + 1, s)

    visit(root.StructTreeRoot)
    level = 0
    for h in headings:
        if h == 0:
            level = 0
        elif h > level + 1 and level > 0:
            failures.append(f"heading H{h} after H{level}")
        else:
            level = h if h else level
    return failures, len(pdf.pages)


if __name__ == "__main__":
    failures, pages = main(sys.argv[1])
    # A page's unowned operators are counted, not listed one by one.
    seen = {}
    for f in failures:
        seen[f] = seen.get(f, 0) + 1
    for f, count in seen.items():
        print(f + (f" ({count}×)" if count > 1 else ""))
    if not failures:
        print(f"ok {pages} pages")
    sys.exit(1 if failures else 0)
