"""Draws images/icon.png (128x128): a stack of tensor slices with a warning squiggle under it.

Pure standard library (zlib + struct), 4x supersampled for smooth edges. Run from anywhere:
    python3 vscode-extension/images/make_icon.py
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE = 128
SS = 4  # supersampling factor
BG = (30, 34, 46)
SLICES = [(238, 76, 44), (245, 124, 40), (255, 170, 40)]  # back to front
GRID = (30, 34, 46)
SQUIGGLE = (255, 214, 10)


def inside_rounded(x: float, y: float, x0: float, y0: float, x1: float, y1: float, r: float) -> bool:
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1


def color_at(x: float, y: float) -> tuple[int, int, int, int]:
    """Colour of the point (x, y) in icon pixels; alpha 0 outside the background tile."""
    if not inside_rounded(x, y, 2, 2, 126, 126, 22):
        return (0, 0, 0, 0)
    color = BG
    # Three square slices, offset diagonally, each a 3x3 grid of cells.
    for i, fill in enumerate(SLICES):
        x0, y0 = 22 + 10 * (2 - i), 14 + 10 * i
        side = 62
        if inside_rounded(x, y, x0, y0, x0 + side, y0 + side, 6):
            color = fill
            if i == len(SLICES) - 1:
                u, v = (x - x0) / side * 3, (y - y0) / side * 3
                if min(abs(u - round(u)), abs(v - round(v))) < 0.05 and 0.2 < u < 2.8 and 0.2 < v < 2.8:
                    color = GRID
    # The squiggle: a sine wave under the stack.
    wave_y = 108 + 5 * math.sin((x - 20) / 88 * 4 * math.pi)
    if 18 <= x <= 110 and abs(y - wave_y) < 4.2:
        color = SQUIGGLE
    return (*color, 255)


def render() -> bytes:
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter: none
        for px in range(SIZE):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    r, g, b, a = color_at(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3]
            if alpha:
                row += bytes([acc[0] // alpha, acc[1] // alpha, acc[2] // alpha, alpha // (SS * SS)])
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return b"".join(rows)


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).with_name("icon.png")
    out.write_bytes(png(SIZE, SIZE, render()))
    print(f"wrote {out}")
