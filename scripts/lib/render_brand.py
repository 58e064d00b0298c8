"""Render the brand images of custom_components/venue_av/brand/ from one geometry.

Home Assistant 2026.3+ (and HACS) read a custom integration's icon and logo from its
``brand/`` folder: icon.png 256x256, icon@2x.png 512x512, logo.png / logo@2x.png (shortest
side 128-256 / 256-512 px), dark variants where they differ. Run with the project's venv:
``.venv/bin/python scripts/lib/render_brand.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[2] / "custom_components" / "venue_av" / "brand"
ACCENT = (3, 169, 244, 255)  # Home Assistant blue
ACCENT_DARK = (79, 195, 247, 255)
WHITE = (255, 255, 255, 255)
INK = (33, 33, 33, 255)
INK_DARK = (236, 239, 241, 255)


def _mark(size: int, accent: tuple[int, int, int, int]) -> Image.Image:
    """The square mark: a screen (signage), a TV stand and a handset on a rounded tile."""
    scale = size / 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, ...]:
        return tuple(round(value * scale) for value in (x0, y0, x1, y1))

    draw.rounded_rectangle(box(8, 8, 248, 248), radius=round(48 * scale), fill=accent)
    # The screen, with a play triangle.
    draw.rounded_rectangle(box(40, 52, 216, 164), radius=round(12 * scale), fill=WHITE)
    draw.polygon(
        [
            (round(112 * scale), round(80 * scale)),
            (round(112 * scale), round(136 * scale)),
            (round(156 * scale), round(108 * scale)),
        ],
        fill=accent,
    )
    # Stand.
    draw.rectangle(box(120, 164, 136, 188), fill=WHITE)
    draw.rounded_rectangle(box(84, 186, 172, 200), radius=round(7 * scale), fill=WHITE)
    return image


def _logo(
    height: int, accent: tuple[int, int, int, int], ink: tuple[int, ...]
) -> Image.Image:
    mark = _mark(height, accent)
    font = ImageFont.load_default(size=round(height * 0.42))
    text = "Venue AV"
    left, top, right, bottom = font.getbbox(text)
    gap = round(height * 0.12)
    width = height + gap + (right - left)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.alpha_composite(mark)
    draw = ImageDraw.Draw(image)
    draw.text(
        (height + gap - left, (height - (bottom - top)) // 2 - top),
        text,
        font=font,
        fill=tuple(ink),
    )
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    _mark(256, ACCENT).save(OUT / "icon.png", optimize=True)
    _mark(512, ACCENT).save(OUT / "icon@2x.png", optimize=True)
    _mark(256, ACCENT_DARK).save(OUT / "dark_icon.png", optimize=True)
    _mark(512, ACCENT_DARK).save(OUT / "dark_icon@2x.png", optimize=True)
    # The logo's text must read on dark backgrounds too: a light variant of the ink.
    _logo(128, ACCENT, INK).save(OUT / "logo.png", optimize=True)
    _logo(256, ACCENT, INK).save(OUT / "logo@2x.png", optimize=True)
    _logo(128, ACCENT_DARK, INK_DARK).save(OUT / "dark_logo.png", optimize=True)
    _logo(256, ACCENT_DARK, INK_DARK).save(OUT / "dark_logo@2x.png", optimize=True)


if __name__ == "__main__":
    main()
