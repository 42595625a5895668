#!/usr/bin/env python3
"""Draws the sample issue's two illustrations (original, procedural): a grassland landscape
(JPEG, via cjpeg from libjpeg-turbo-progs) and an ornament pattern (PNG, pure Python)."""
import math, struct, subprocess, zlib

def landscape(w=1500, h=1000):
    px = bytearray(w * h * 3)
    for y in range(h):
        for x in range(w):
            t = y / h
            r, g, b = int(90 + 120 * t), int(150 + 80 * t), int(230 - 30 * t)          # sky
            sx, sy = x - 0.78 * w, y - 0.22 * h                                          # sun
            if sx * sx + sy * sy < (0.06 * w) ** 2: r, g, b = 255, 236, 170
            hill1 = 0.58 * h + 0.06 * h * math.sin(x / w * 5.0) + 0.03 * h * math.sin(x / w * 13)
            hill2 = 0.70 * h + 0.05 * h * math.sin(x / w * 3.0 + 1.3)
            if y > hill1: r, g, b = 70 + int(40 * (y - hill1) / h), 130, 60
            if y > hill2: r, g, b = 95, 160 + int(40 * (y - hill2) / h), 70
            # two yurts
            for cx in (0.30 * w, 0.42 * w):
                dx, base = abs(x - cx), hill2 + 0.02 * h
                if dx < 0.05 * w and base - 0.07 * h < y < base: r, g, b = 245, 245, 240
                if dx < 0.05 * w - (base - 0.07 * h - y) * 1.2 and base - 0.11 * h < y <= base - 0.07 * h: r, g, b = 200, 60, 50
            i = (y * w + x) * 3
            px[i:i + 3] = bytes((r, g, b))
    ppm = b"P6 %d %d 255\n" % (w, h) + bytes(px)
    jpeg = subprocess.run(["cjpeg", "-quality", "85", "-optimize"], input=ppm, capture_output=True, check=True).stdout
    open("grassland.jpg", "wb").write(jpeg)

def pattern(w=1200, h=800):
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            u, v = (x % 200) - 100, (y % 200) - 100
            d = math.hypot(u, v)
            ring = math.cos(d / 6.0) > 0.3 and d < 90
            diag = abs(abs(u) - abs(v)) < 6
            if ring: c = (180, 30, 40)
            elif diag: c = (30, 80, 160)
            else: c = (250, 240, 220)
            row += bytes(c)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    open("ornament.png", "wb").write(png)

landscape()
pattern()
