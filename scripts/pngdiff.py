#!/usr/bin/env python3
"""pngdiff.py A.png B.png [TOLERANCE]: compares two 8-bit RGB/RGBA/grey PNGs channel by channel
(no dependencies: zlib and the five PNG filters). Prints 'WxH differing=N worst=W' and exits 0
when the sizes match and no channel differs by more than TOLERANCE (default 2), else 1."""
import struct, sys, zlib


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path + ": not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, path + ": only 8-bit, non-interlaced PNGs"
            bpp = {0: 1, 2: 3, 4: 2, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        # Compare colour only: drop alpha, spread grey.
        px = [line[i:i + bpp] for i in range(0, stride, bpp)]
        rows.append(bytes(v for p in px for v in ((p[0],) * 3 if bpp <= 2 else p[:3])))
        prev = line
    return width, height, b"".join(rows)


def main():
    tol = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    (wa, ha, a), (wb, hb, b) = decode(sys.argv[1]), decode(sys.argv[2])
    if (wa, ha) != (wb, hb):
        print("size %dx%d != %dx%d" % (wa, ha, wb, hb))
        sys.exit(1)
    diffs = [abs(x - y) for x, y in zip(a, b)]
    differing = sum(1 for d in diffs if d > tol)
    print("%dx%d differing=%d worst=%d" % (wa, ha, differing, max(diffs) if diffs else 0))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
