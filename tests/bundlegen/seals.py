"""Red seals: the round official seal (公章) of a unit and the small square personal name seal (私章)."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from tests.bundlegen import fonts
from tests.bundlegen.inks import seal_red, textured, to_rgba

# Supersampling factor: Pillow draws rings and polygons without anti-aliasing.
SS = 2


def official_seal(unit_name: str, rng: np.random.Generator, face: str, diameter: int = 330) -> Image.Image:
    """A round seal: ring, the unit name around the upper rim, a five-pointed star in the middle."""
    size = diameter * SS
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    ring = int(size * rng.uniform(0.028, 0.04))
    draw.ellipse([ring // 2, ring // 2, size - ring // 2, size - ring // 2], outline=255, width=ring)
    _star(draw, size / 2, size / 2, size * rng.uniform(0.15, 0.19))
    _rim_text(mask, unit_name, face, size, ring)
    if rng.random() < 0.35:
        _bottom_text(mask, "专用章" if rng.random() < 0.3 else "", face, size)
    small = mask.resize((diameter, diameter), Image.LANCZOS)
    coverage = textured(np.asarray(small, dtype=np.float32) / 255.0, rng, strength=rng.uniform(0.2, 0.6))
    seal = to_rgba(coverage, seal_red(rng), opacity=rng.uniform(0.82, 0.96))
    return seal.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=True)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=255)


def _rim_text(mask: Image.Image, text: str, face: str, size: int, ring: int) -> None:
    n = len(text)
    char = int(size * (0.15 if n <= 10 else 0.13 if n <= 14 else 0.11 if n <= 18 else 0.095))
    radius = size / 2 - ring - char * 0.62
    span = min(250.0, 120 + n * 9.0)
    for i, ch in enumerate(text):
        theta = 90 + span / 2 - (span * i / (n - 1) if n > 1 else span / 2)
        glyph = _glyph(ch, face, char)
        glyph = glyph.rotate(theta - 90, resample=Image.BICUBIC, expand=True)
        x = size / 2 + radius * math.cos(math.radians(theta)) - glyph.width / 2
        y = size / 2 - radius * math.sin(math.radians(theta)) - glyph.height / 2
        mask.paste(255, (int(x), int(y)), glyph)


def _bottom_text(mask: Image.Image, text: str, face: str, size: int) -> None:
    if not text:
        return
    glyph_size = int(size * 0.09)
    width = fonts.text_width(text, face, glyph_size)
    draw = ImageDraw.Draw(mask)
    x = size / 2 - width / 2
    for key, part in fonts.runs(text, face):
        f = fonts.font(key, glyph_size)
        draw.text((x, size * 0.74), part, font=f, fill=255, anchor="ls")
        x += f.getlength(part)


def _glyph(ch: str, face: str, size: int, squeeze: float = 0.8) -> Image.Image:
    """One character as a mask, narrowed the way seal engravers fit characters to the rim."""
    key = fonts.glyph_face(face, ch)
    f = fonts.font(key, size)
    img = Image.new("L", (size + 4, size + 4), 0)
    ImageDraw.Draw(img).text(((size + 4) / 2, (size + 4) / 2), ch, font=f, fill=255, anchor="mm")
    return img.resize((max(1, int(img.width * squeeze)), img.height), Image.LANCZOS)


def name_seal_text(name: str) -> list[str]:
    """Four characters for a 2x2 name seal: 张三 -> 张三之印, 王小明 -> 王小明印."""
    if len(name) >= 4:
        return list(name[:4])
    if len(name) == 3:
        return list(name) + ["印"]
    return list(name) + ["之", "印"]


def name_seal(name: str, rng: np.random.Generator, face: str, side: int = 78) -> Image.Image:
    """A square personal seal; characters read right column first, top to bottom."""
    size = side * SS
    chars = name_seal_text(name)
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    border = max(3, int(size * 0.06))
    relief = rng.random() < 0.35  # 阴文: white characters cut out of a red field
    if relief:
        draw.rectangle([0, 0, size - 1, size - 1], fill=255)
    else:
        draw.rectangle([border // 2, border // 2, size - border // 2, size - border // 2], outline=255, width=border)
    cell = (size - 2 * border) / 2
    order = [(1, 0), (1, 1), (0, 0), (0, 1)]  # (column, row) with column 1 on the right
    for ch, (col, row) in zip(chars, order, strict=False):
        glyph = _glyph(ch, face, int(cell * 0.95), squeeze=1.0).resize((int(cell * 0.92), int(cell * 0.92)))
        x, y = border + col * cell + cell * 0.04, border + row * cell + cell * 0.04
        mask.paste(0 if relief else 255, (int(x), int(y)), glyph)
    small = mask.resize((side, side), Image.LANCZOS)
    coverage = textured(np.asarray(small, dtype=np.float32) / 255.0, rng, strength=0.45)
    seal = to_rgba(coverage, seal_red(rng), opacity=rng.uniform(0.7, 0.95))
    return seal.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC, expand=True)
