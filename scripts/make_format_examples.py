#!/usr/bin/env python3
"""Makes the small images of examples/formats/ (one per kind Folio places): a camera JPEG stored
on its side (EXIF orientation 6), a PNG with alpha, a GIF, a WebP, an RGB LZW TIFF, a CMYK TIFF,
an SVG chart and a two-page vector PDF map. Needs Pillow. Run from the repository root:
    python3 scripts/make_format_examples.py examples/formats
"""
import sys
from pathlib import Path
from PIL import Image, ImageDraw

out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/formats")
out.mkdir(parents=True, exist_ok=True)
W, H = 480, 320


def scene(sky, ground, sun):
    """A landscape: sky, grassland, a sun and a yurt, so a wrong turn or colour is obvious."""
    im = Image.new("RGB", (W, H), sky)
    d = ImageDraw.Draw(im)
    d.rectangle([0, H * 0.62, W, H], fill=ground)
    d.ellipse([W * 0.72, H * 0.1, W * 0.86, H * 0.31], fill=sun)
    d.rectangle([W * 0.2, H * 0.5, W * 0.38, H * 0.7], fill=(245, 245, 240))
    d.pieslice([W * 0.18, H * 0.36, W * 0.40, H * 0.64], 180, 360, fill=(200, 40, 40))
    return im


# JPEG from a camera held upright: pixels stored on their side, EXIF orientation 6 turns them back.
photo = scene((120, 170, 220), (90, 150, 60), (250, 200, 60))
exif = Image.Exif()
exif[0x0112] = 6
photo.transpose(Image.Transpose.ROTATE_90).save(out / "camera-exif6.jpg", quality=85, exif=exif)
# PNG with transparency (a logo-like badge).
badge = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
ImageDraw.Draw(badge).ellipse([10, 10, 230, 230], fill=(180, 30, 40, 255), outline=(250, 220, 120, 255), width=12)
badge.save(out / "badge.png")
# GIF (first frame is placed) and WebP from a web archive.
scene((200, 220, 240), (120, 160, 80), (240, 120, 40)).convert("P", palette=Image.Palette.ADAPTIVE).save(out / "archive.gif")
scene((60, 90, 160), (40, 100, 60), (255, 240, 200)).save(out / "archive.webp", quality=80)
# TIFFs as photographers send them: RGB with LZW, and CMYK with Deflate.
scene((150, 190, 230), (100, 160, 70), (250, 210, 80)).save(out / "studio-rgb.tif", compression="tiff_lzw")
scene((150, 190, 230), (100, 160, 70), (250, 210, 80)).convert("CMYK").save(out / "print-cmyk.tif", compression="tiff_adobe_deflate")

# An SVG bar chart (drawn as vectors).
bars = [("2020", 62), ("2021", 75), ("2022", 81), ("2023", 93), ("2024", 108)]
svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="400" height="240" viewBox="0 0 400 240">',
       '<rect width="400" height="240" fill="#fbf8f0"/>', '<line x1="40" y1="200" x2="380" y2="200" stroke="#333" stroke-width="1.5"/>']
for i, (year, v) in enumerate(bars):
    x = 60 + i * 64
    svg.append(f'<rect x="{x}" y="{200 - v * 1.5:.0f}" width="40" height="{v * 1.5:.0f}" fill="#b3262c"/>')
    svg.append(f'<text x="{x + 20}" y="222" font-size="14" text-anchor="middle" font-family="sans-serif">{year}</text>')
svg.append("</svg>")
(out / "enrolment-chart.svg").write_text("\n".join(svg) + "\n", encoding="utf-8")


def pdf(pages):
    """A minimal PDF whose pages are vector drawings (content streams), with a correct xref."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    for (w, h, content) in pages:
        stream = content.encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{content}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    body, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


cover = "0.9 0.9 0.85 rg 0 0 300 200 re f"
# Page 2: a region map — land, a river, roads and towns, all vectors.
map_page = "\n".join([
    "0.93 0.91 0.82 rg 0 0 360 240 re f",
    "0.55 0.75 0.45 rg 30 30 m 120 10 l 260 40 l 330 120 l 280 215 l 120 225 l 20 150 l h f",
    "0.25 0.5 0.85 RG 5 w 0 180 m 90 150 l 170 160 l 250 100 l 360 90 l S",
    "0.6 0.3 0.1 RG 1.5 w [6 3] 0 d 60 60 m 180 120 l 300 60 l S",
    "0.7 0.1 0.1 rg 176 116 8 8 re f 56 56 8 8 re f 296 56 8 8 re f",
])
(out / "region-map.pdf").write_bytes(pdf([(300, 200, cover), (360, 240, map_page)]))
print(f"wrote the format examples into {out}")
