"""A trainee's signature: their name in a brush-like face, each character jittered like a hand's."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from tests.bundlegen import fonts
from tests.bundlegen.draft import Color, PageDraft

INKS: dict[str, tuple[Color, ...]] = {
    "ink": ((15, 15, 20), (20, 30, 110), (10, 20, 70), (35, 35, 45), (25, 45, 140)),
    "pencil": ((120, 120, 120), (140, 140, 145), (105, 105, 110)),
    "ballpoint": ((25, 45, 140), (20, 40, 120), (35, 60, 165), (30, 35, 110)),
}
HAND_FACES = ("ukai", "ukai", "ukai", "uming", "wqy")


def signature(name: str, rng: np.random.Generator, height: int, kind: str = "ink") -> Image.Image:
    """An RGBA signature about `height` px tall; kind "ink", "pencil" (faint grey, grainy) or "ballpoint"
    (thin blue strokes, as a form is filled in)."""
    faces = fonts.available(HAND_FACES)
    face = faces[int(rng.integers(len(faces)))] if rng.random() < 0.25 else faces[0]
    palette = INKS[kind]
    color = palette[int(rng.integers(len(palette)))]
    size = int(height * rng.uniform(0.75, 0.95))
    slant = rng.uniform(-6, 6)
    glyphs = [_glyph(ch, face, int(size * rng.uniform(0.85, 1.12)), slant + rng.uniform(-7, 7), rng)
              for ch in name]
    gap = size * rng.uniform(-0.12, 0.08)  # people crowd their own names
    width = int(sum(g.width for g in glyphs) + gap * (len(glyphs) - 1) + size)
    canvas = Image.new("L", (max(width, 1), int(size * 1.6)), 0)
    x = size * 0.3
    for g in glyphs:
        y = (canvas.height - g.height) / 2 + rng.uniform(-0.1, 0.1) * size
        canvas.paste(255, (int(x), int(y)), g)
        x += g.width + gap + rng.uniform(-0.05, 0.05) * size
    if kind != "ballpoint":  # a form's filled-in values are written to be read; a signature is not
        canvas = _own_shapes(canvas, rng, size)
    canvas = _pen(canvas, rng, kind)
    coverage = np.asarray(canvas, dtype=np.float32) / 255.0
    if kind == "pencil":
        coverage *= rng.uniform(0.55, 0.8) * (rng.random(coverage.shape, dtype=np.float32) > 0.25)
    out = np.zeros((*coverage.shape, 4), dtype=np.uint8)
    out[..., :3] = color
    out[..., 3] = np.clip(coverage * 255, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGBA").crop(Image.fromarray(out[..., 3]).getbbox() or (0, 0, 1, 1))


def same_hand(seed: int, name: str, rng: np.random.Generator, height: int) -> Image.Image:
    """One person's signature written again in another trainee's row: the same mark (drawn from `seed`), as a
    hand repeats it: a little larger or smaller, leaning a little otherwise, strokes wandering a pixel or two."""
    template = signature(name, np.random.default_rng(seed), height, "ink")
    scale = rng.uniform(0.92, 1.08)
    mark = template.resize((max(1, int(template.width * scale)), max(1, int(template.height * scale))),
                           Image.BICUBIC)
    mark = mark.rotate(rng.uniform(-4, 4), resample=Image.BICUBIC, expand=True)
    alpha = np.asarray(mark.getchannel("A"), dtype=np.float32)
    h, w = alpha.shape
    # A smooth displacement field: the wobble of a hand, not the noise of a scanner.
    dx = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 9) * 40
    dy = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 9) * 40
    xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    warped = cv2.remap(alpha, xx + dx, yy + dy, cv2.INTER_LINEAR, borderValue=0)
    out = np.asarray(mark).copy()
    out[..., 3] = np.clip(warped, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGBA")


def fill_in(page: PageDraft, text: str, box: tuple[float, float, float, float], rng: np.random.Generator) -> None:
    """A value written into a form's cell in blue ballpoint: a hand's letters, shrunk to fit the cell."""
    x0, y0, x1, y1 = box
    h, w = y1 - y0, x1 - x0
    mark = signature(text, rng, int(h * rng.uniform(0.42, 0.55)), "ballpoint")
    room = w * 0.92
    if mark.width > room:
        mark = mark.resize((max(1, int(room)), max(1, int(mark.height * room / mark.width))), Image.LANCZOS)
    x = x0 + (w - mark.width) / 2 + rng.uniform(-0.04, 0.04) * w
    page.overlay(mark, int(x), int(y0 + (h - mark.height) / 2 + rng.normal(0, h * 0.05)))


def _glyph(ch: str, face: str, size: int, angle: float, rng: np.random.Generator) -> Image.Image:
    key = fonts.glyph_face(face, ch)
    font = fonts.font(key, size)
    img = Image.new("L", (int(size * 1.4), int(size * 1.4)), 0)
    ImageDraw.Draw(img).text((img.width / 2, img.height / 2), ch, font=font, fill=255, anchor="mm")
    # Hands write narrower or wider than type, and lean.
    img = img.resize((max(1, int(img.width * rng.uniform(0.8, 1.1))), img.height), Image.BICUBIC)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False)
    return img.crop(img.getbbox() or (0, 0, 1, 1))


def _own_shapes(canvas: Image.Image, rng: np.random.Generator, size: int) -> Image.Image:
    """Each hand bends a character its own way: one smooth displacement over the whole name, drawn per person,
    a tenth of a character's size. Two people writing the same surname in one face no longer write it alike."""
    ink = np.asarray(canvas, dtype=np.float32)
    h, w = ink.shape
    sigma, amplitude = size * 0.3, size * 0.1
    fields = [cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), sigma) for _ in range(2)]
    dx, dy = (f / (float(np.abs(f).max()) or 1.0) * amplitude for f in fields)
    xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return Image.fromarray(np.clip(cv2.remap(ink, xx + dx, yy + dy, cv2.INTER_LINEAR, borderValue=0), 0, 255)
                           .astype(np.uint8), "L")


def _pen(canvas: Image.Image, rng: np.random.Generator, kind: str) -> Image.Image:
    """Thicken the strokes a little (a gel pen) or leave them (a ballpoint, a pencil). Never thin them: the
    hairline strokes of the Ming and Kai faces would vanish and leave a signed cell looking empty."""
    if kind == "ballpoint":
        return canvas.filter(ImageFilter.GaussianBlur(0.4))
    if kind == "ink" and rng.random() < 0.4:
        canvas = canvas.filter(ImageFilter.MaxFilter(3))
    return canvas.filter(ImageFilter.GaussianBlur(0.6))
