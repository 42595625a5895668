#!/usr/bin/env python3
"""Makes the colour-managed test images of Tests/EndToEndTests/Fixtures/ (Pillow; profiles from
Debian's ghostscript package). Run from the repository root:
    python3 scripts/make_colour_fixtures.py Tests/EndToEndTests/Fixtures
- adobe-rgb.jpg, adobe-rgb.png: 120 x 80 of (40, 160, 60) in Adobe RGB (1998), profile embedded;
  in sRGB (lcms2, perceptual) that colour is about (0, 161, 47).
- cmyk-side.tif: a CMYK TIFF (Deflate, Ghostscript's ps_cmyk.icc embedded) stored on its side
  with orientation 6; upright it is 120 x 80, inks (0, 200, 200, 0) in its top-left quarter and
  (200, 100, 0, 0) elsewhere.
- cmyk-tiled.tif: the same in 32 x 32 tiles, LZW, made from it with libtiff-tools:
    tiffcp -t -w 32 -l 32 -c lzw cmyk-side.tif cmyk-tiled.tif
"""
import sys
from pathlib import Path
from PIL import Image

out = Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/EndToEndTests/Fixtures")
icc = Path("/usr/share/color/icc/ghostscript")
a98 = (icc / "a98.icc").read_bytes()
green = Image.new("RGB", (120, 80), (40, 160, 60))
green.save(out / "adobe-rgb.jpg", quality=95, icc_profile=a98)
green.save(out / "adobe-rgb.png", icc_profile=a98)

upright = Image.new("CMYK", (120, 80), (200, 100, 0, 0))
upright.paste((0, 200, 200, 0), (0, 0, 60, 40))
upright.transpose(Image.Transpose.ROTATE_90).save(
    out / "cmyk-side.tif", compression="tiff_adobe_deflate", icc_profile=(icc / "ps_cmyk.icc").read_bytes(),
    tiffinfo={274: 6})
