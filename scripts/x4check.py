#!/usr/bin/env python3
"""A PDF/X-4 checker for Folio's print variant (`folio render --pdfx 4`), with pikepdf: what
ISO 15930-7 asks of a file that Folio can get wrong (no validator — callas, Acrobat's preflight,
veraPDF's X profiles — is installable here, so this is what "PDF/X-4" is checked against).

    python3 scripts/x4check.py FILE.pdf

Checks, and prints one line per failure (exit 1 if any):
- the header is PDF 1.6 or lower; no encryption, no JavaScript;
- the catalog has a PDF/X output intent (`/S /GTS_PDFX`) embedding a CMYK ICC profile
  (`/DestOutputProfile`, `/N 4`) with an `/OutputConditionIdentifier`;
- `/Info` has `/Title`, `/Trapped` True or False, `/GTS_PDFXVersion (PDF/X-4)`, and its dates
  in PDF's form (`D:…`);
- the XMP metadata says the same: `pdfxid:GTS_PDFXVersion` PDF/X-4, `pdf:Trapped`, the
  creation, modification and metadata dates, `xmpMM:DocumentID`, `VersionID` and
  `RenditionClass`;
- every page has a `/TrimBox` inside its `/BleedBox` inside its `/MediaBox`, and no annotation
  (a link or a note) is on it;
- no colour space is device RGB: no `/ColorSpace` or `/CS` of `/DeviceRGB` (images, shadings,
  transparency groups) and no `rg`/`RG` or `/DeviceRGB cs` in a page's or a form's content,
  except where its resources map DeviceRGB to an ICC profile (`/DefaultRGB`) — and in soft
  masks, which paint luminosity, not colour;
- black is black ink: no `k`/`K` sets a four-colour black (C, M and Y over 50 % with K over 50 %);
- white never overprints (it would not print); how many paintings in solid black (black ink
  alone, 100 %) overprint and how many knock out is counted on the last line, pass or fail;
- every font is embedded (Type 3 fonts are their own outlines; a standard 14 font without a
  descriptor is not).
Prints `ok N pages` when all hold.
"""
import re
import sys

import pikepdf

RGB_OPERATORS = {"rg", "RG"}



def has_default_rgb(resources):
    try:
        return resources is not None and "/DefaultRGB" in resources.get("/ColorSpace", {})
    except Exception:
        return False


PAINT_FILL = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*"}
PAINT_STROKE = {"S", "s", "B", "B*", "b", "b*"}


def content_problems(where, stream_owner, resources, masks, problems, seen, counts, depth=0):
    """The colour operators of one content stream (a page's or a form's) and of its forms, and
    what each painting does: black (black ink alone, 100 %) that overprints or knocks out, white
    that overprints (it would vanish)."""
    if depth > 8:
        return
    managed = has_default_rgb(resources)
    try:
        instructions = pikepdf.parse_content_stream(stream_owner)
    except Exception as e:  # a content stream pikepdf cannot read is a failure too
        problems.append(f"{where}: content stream unreadable: {e}")
        return
    states = resources.get("/ExtGState", {}) if resources is not None else {}
    # [fill colour, stroke colour, fill overprint, stroke overprint]; None: inherited, not known
    state, stack, rgb, white = [None, None, None if depth else False, None if depth else False], [], 0, 0
    for operands, operator in instructions:
        op = str(operator)
        if op in RGB_OPERATORS:
            rgb += 1
        elif op in ("cs", "CS") and operands and str(operands[0]) == "/DeviceRGB":
            rgb += 1
        elif op == "q":
            stack.append(list(state))
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "gs" and operands:
            g = states.get(str(operands[0]), {})
            if "/op" in g:
                state[2] = bool(g.op)
            if "/OP" in g:
                state[3] = bool(g.OP)
                if "/op" not in g:
                    state[2] = bool(g.OP)   # /OP alone sets both (ISO 32000-1, 8.4.5)
        elif op in ("k", "K") and len(operands) == 4:
            c, m, y, k = (float(v) for v in operands)
            if c > 0.5 and m > 0.5 and y > 0.5 and k > 0.5:
                problems.append(f"{where}: a four-colour black ({c} {m} {y} {k} {op})")
            state[0 if op == "k" else 1] = (c, m, y, k)
        for colour, overprint, paints in ((state[0], state[2], PAINT_FILL), (state[1], state[3], PAINT_STROKE)):
            if op not in paints or colour is None or overprint is None:
                continue
            if colour == (0, 0, 0, 1):
                counts["black overprints" if overprint else "black knocks out"] += 1
            elif colour == (0, 0, 0, 0) and overprint:
                white += 1
    if rgb and not managed:
        problems.append(f"{where}: {rgb} device RGB colours in the content, and no /DefaultRGB")
    if white:
        problems.append(f"{where}: white overprints {white} times (it would not print)")
    if resources is None:
        return
    for name, x in resources.get("/XObject", {}).items():
        if x.get("/Subtype") != "/Form" or x.objgen in seen:
            continue
        seen.add(x.objgen)
        if x.objgen in masks:
            continue
        content_problems(f"{where} form {name}", x, x.get("/Resources"), masks, problems, seen, counts, depth + 1)
    for name, p in resources.get("/Pattern", {}).items():
        if p.get("/PatternType") == 1 and p.objgen not in seen:
            seen.add(p.objgen)
            content_problems(f"{where} pattern {name}", p, p.get("/Resources"), masks, problems, seen, counts, depth + 1)


def walk_colour_spaces(obj, where, problems, depth=0, seen=None):
    """Device RGB named as a colour space anywhere in a dictionary or array (direct objects)."""
    if depth > 12:
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        for key in list(obj.keys()):
            value = obj.get(key)
            if key in ("/ColorSpace", "/CS") and value == pikepdf.Name.DeviceRGB:
                problems.append(f"{where}: {key} /DeviceRGB")
            elif isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect:
                walk_colour_spaces(value, where, problems, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        items = list(obj)
        if len(items) >= 2 and items[0] == pikepdf.Name.Indexed and items[1] == pikepdf.Name.DeviceRGB:
            problems.append(f"{where}: [/Indexed /DeviceRGB …]")
        for item in items:
            if isinstance(item, (pikepdf.Dictionary, pikepdf.Array)) and not item.is_indirect:
                walk_colour_spaces(item, where, problems, depth + 1)


def box(page, name):
    b = page.obj.get(name)
    return [float(v) for v in b] if b is not None else None


def inside(inner, outer, tolerance=0.01):
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def main(path):
    problems = []
    pdf = pikepdf.open(path)
    version = pdf.pdf_version
    if tuple(int(v) for v in version.split(".")) > (1, 6):
        problems.append(f"the header says PDF {version}: PDF/X-4 is PDF 1.6 at most")
    if pdf.is_encrypted:
        problems.append("the file is encrypted")
    root = pdf.Root
    if "/Names" in root and "/JavaScript" in root.Names:
        problems.append("the file has JavaScript")

    intents = [oi for oi in root.get("/OutputIntents", []) if oi.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        problems.append(f"{len(intents)} PDF/X output intents (one is needed)")
    for oi in intents:
        profile = oi.get("/DestOutputProfile")
        if profile is None:
            problems.append("the output intent embeds no profile")
        else:
            data = profile.read_bytes()
            if profile.get("/N") != 4 or data[16:20] != b"CMYK" or data[36:40] != b"acsp":
                problems.append("the output intent's profile is not a CMYK ICC profile")
        if not str(oi.get("/OutputConditionIdentifier", "")):
            problems.append("the output intent has no /OutputConditionIdentifier")

    info = pdf.trailer.get("/Info")
    if info is None:
        problems.append("no /Info")
    else:
        if not str(info.get("/Title", "")):
            problems.append("/Info has no /Title")
        if str(info.get("/Trapped")) not in ("/True", "/False"):
            problems.append(f"/Info /Trapped is {info.get('/Trapped')}, not /True or /False")
        if str(info.get("/GTS_PDFXVersion", "")) != "PDF/X-4":
            problems.append(f"/Info /GTS_PDFXVersion is {info.get('/GTS_PDFXVersion')}")
        for key in ("/CreationDate", "/ModDate"):
            if not str(info.get(key, "")).startswith("D:"):
                problems.append(f"/Info {key} is {info.get(key)}, not a PDF date")

    xmp = root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in root else ""
    wanted = {"pdfxid:GTS_PDFXVersion": "PDF/X-4", "pdf:Trapped": None, "xmp:CreateDate": None, "xmp:ModifyDate": None,
              "xmp:MetadataDate": None, "xmpMM:DocumentID": None, "xmpMM:VersionID": None, "xmpMM:RenditionClass": None}
    for tag, value in wanted.items():
        m = re.search(rf"<{tag}>([^<]+)</{tag}>", xmp)
        if not m or (value and m.group(1) != value):
            problems.append(f"the XMP metadata has no {tag}" + (f" {value}" if value else ""))

    # Soft masks paint luminosity: their forms may keep RGB.
    masks = set()
    for obj in pdf.objects:
        d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        if isinstance(d, pikepdf.Dictionary):
            mask = d.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
                masks.add(mask.G.objgen)
    seen, counts = set(), {"black overprints": 0, "black knocks out": 0}
    for n, page in enumerate(pdf.pages, 1):
        media, bleed, trim = box(page, "/MediaBox"), box(page, "/BleedBox"), box(page, "/TrimBox")
        if trim is None:
            problems.append(f"page {n}: no /TrimBox")
        elif not inside(trim, bleed or media) or not inside(bleed or media, media):
            problems.append(f"page {n}: the trim box is not inside the bleed box inside the media box")
        if len(page.obj.get("/Annots", [])):
            problems.append(f"page {n}: {len(page.obj.Annots)} annotations")
        content_problems(f"page {n}", page.obj, page.obj.get("/Resources"), masks, problems, seen, counts)
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            walk_colour_spaces(obj, f"object {obj.objgen[0]}", problems)
            d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if d.get("/Type") == "/FontDescriptor" and not any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {d.get('/FontName')} is not embedded")
            if d.get("/Type") == "/Font" and d.get("/Subtype") in ("/Type1", "/MMType1", "/TrueType") and "/FontDescriptor" not in d:
                problems.append(f"font {d.get('/BaseFont')} is not embedded (no font descriptor: a standard 14 font)")

    for p in problems:
        print(p)
    black = f"black paintings: {counts['black overprints']} overprint, {counts['black knocks out']} knock out"
    if problems:
        print(black)
        return 1
    print(f"ok {len(pdf.pages)} pages; {black}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
