"""Tiny PNG encoder for simulated screenshots (no third-party imaging library)."""

from __future__ import annotations

import hashlib
import struct
import zlib

WIDTH = 320
HEIGHT = 180


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def encode_png(width: int, height: int, rows: list[bytes]) -> bytes:
    """Encode 8-bit RGB ``rows`` (``width * 3`` bytes each) as a PNG file."""
    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def screenshot(box_id: str, serial: int, channel: str | None) -> bytes:
    """A screenshot of a box's UI: a colour per box, a bar per serial and channel."""
    digest = hashlib.sha256(f"{box_id}/{channel}".encode()).digest()
    background = bytes(digest[:3])
    bar = bytes(255 - value for value in digest[:3])
    bar_end = (serial * 37) % (WIDTH - 20) + 20
    rows = []
    for y in range(HEIGHT):
        if 140 <= y < 160:
            row = bar * bar_end + background * (WIDTH - bar_end)
        else:
            row = background * WIDTH
        rows.append(row)
    return encode_png(WIDTH, HEIGHT, rows)
