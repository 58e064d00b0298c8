"""Preview images (real, decodable JPEGs), distinct per program / media."""

from __future__ import annotations

import base64
from functools import cache
import io
import struct
import zlib

from .model import Program

try:
    from PIL import Image, ImageDraw

    HAS_PILLOW = True
except ImportError:  # pragma: no cover - Pillow is available in the dev venv
    HAS_PILLOW = False

WIDTH, HEIGHT = 320, 180

# 16x16 baseline JPEG used when Pillow is missing; made distinct per preview by
# inserting a COM segment right after SOI (still a valid JPEG).
_TEMPLATE = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkz"
    "ODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIA"
    "AhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEB"
    "AQAAAAAAAAAAAAAAAAAABAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCQAqAP"
    "/9k="
)


def _colour(seed: str) -> tuple[int, int, int]:
    value = zlib.crc32(seed.encode())
    return (60 + value % 160, 60 + (value >> 8) % 160, 60 + (value >> 16) % 160)


def _fallback(label: str) -> bytes:
    comment = label.encode()[:60000]
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return _TEMPLATE[:2] + segment + _TEMPLATE[2:]


def _position(position: str) -> tuple[int, int, int, int] | None:
    try:
        x, y, w, h = (int(v) for v in position.split(","))
    except ValueError:
        return None
    return x, y, w, h


@cache
def _render(
    label: str, seed: str, boxes: tuple[tuple[int, int, int, int], ...]
) -> bytes:
    if not HAS_PILLOW:
        return _fallback(f"{seed} {label}")
    image = Image.new("RGB", (WIDTH, HEIGHT), _colour(seed))
    draw = ImageDraw.Draw(image)
    sx, sy = WIDTH / 1920, HEIGHT / 1080
    for x, y, w, h in boxes:
        draw.rectangle(
            (x * sx, y * sy, (x + w) * sx - 1, (y + h) * sy - 1),
            outline=(255, 255, 255),
            width=2,
        )
    draw.text((10, HEIGHT - 24), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def program_preview(program: Program) -> bytes:
    """JPEG preview of a program, with its partitions outlined."""
    boxes = tuple(
        box for p in program.partitions if (box := _position(p.position)) is not None
    )
    return _render(f"{program.id} {program.name}", f"program:{program.id}", boxes)


def media_preview(media_id: int, name: str) -> bytes:
    """JPEG preview of a video / image media item."""
    return _render(f"{media_id} {name}", f"media:{media_id}", ())
