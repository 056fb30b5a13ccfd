"""What a scanner or a phone does to a clean page: skew, quarter turns, blur, noise, uneven light, JPEG.

Conventions recorded in the truth (bundle-result/1):
- `rotation` R in (0, 90, 180, 270): the image handed to the reader is the upright page turned R degrees
  counter-clockwise, so the reader must turn it R degrees clockwise to read it.
- `skew` s in degrees: after that quarter turn is undone, the page content is still tilted s degrees
  counter-clockwise (Pillow's sense of angle); a deskew rotates by -s.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageFilter

from tests.bundlegen.inks import blotches

PROFILES = ("clean", "scan", "gray", "phone")
SCANNER_BED = (238, 238, 236)


@dataclass(frozen=True)
class Degradation:
    rotation: int
    skew: float


def plan(profile: str, pages: int, rng: random.Random) -> list[Degradation]:
    """Rotation and skew of every page; a scanned bundle of four or more pages has a turned page."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
    if profile == "clean":
        return [Degradation(0, 0.0) for _ in range(pages)]
    turn_chance = 0.1 if profile == "phone" else 0.15
    rotations = [rng.choice((90, 180, 270)) if rng.random() < turn_chance else 0 for _ in range(pages)]
    if profile in ("scan", "gray") and pages >= 4 and not any(rotations):
        rotations[rng.randrange(pages)] = rng.choice((90, 180, 270))
    limit = 2.5 if profile != "phone" else 1.5
    return [Degradation(r, round(rng.uniform(-limit, limit), 2)) for r in rotations]


def degrade(image: Image.Image, profile: str, how: Degradation, seed: int) -> Image.Image:
    """The page as the reader receives it (RGB, or L for the grey profile)."""
    if profile == "clean":
        return image
    rng = np.random.default_rng(seed)
    out = image.convert("RGB")
    if profile == "phone":
        out = _phone(out, rng)
    if how.skew:
        fill = SCANNER_BED if profile != "phone" else _border_tone(out)
        out = out.rotate(how.skew, resample=Image.BILINEAR, expand=False, fillcolor=fill)
    out = _lighting(out, rng, strength=0.10 if profile != "phone" else 0.28)
    # One box pass: the softness of a scanner's optics at a third of a Gaussian's cost.
    out = out.filter(ImageFilter.BoxBlur(rng.uniform(0.4, 0.8) if profile != "phone" else rng.uniform(0.7, 1.2)))
    out = _noise(out, rng, sigma=rng.uniform(2, 5) if profile != "phone" else rng.uniform(4, 8))
    if profile == "gray":
        out = out.convert("L")
    if how.rotation:
        out = out.rotate(how.rotation, expand=True)   # counter-clockwise, lossless for quarter turns
    quality = int(rng.integers(55, 80)) if profile != "phone" else int(rng.integers(40, 65))
    return jpeg_roundtrip(out, quality)


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def _lighting(image: Image.Image, rng: np.random.Generator, strength: float) -> Image.Image:
    """Paper tint and a slow brightness field (lid shadow, a lamp, a fold), computed small and scaled up
    so a page costs milliseconds."""
    w, h = image.size
    sh, sw = max(h // 16, 2), max(w // 16, 2)
    field = blotches((sh, sw), rng, cells=int(rng.integers(3, 6)))
    yy = np.linspace(-1, 1, sh, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, sw, dtype=np.float32)[None, :]
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx + np.sin(angle) * yy) * 0.5 + 0.5
    light = 1 - strength * (0.6 * field + 0.4 * ramp)
    tint = np.array([rng.uniform(0.95, 1.0), rng.uniform(0.94, 0.99), rng.uniform(0.9, 0.97)], dtype=np.float32)
    small = np.clip(light[..., None] * tint * 255, 0, 255).astype(np.uint8)
    multiplier = Image.fromarray(small, "RGB").resize((w, h), Image.BILINEAR)
    return ImageChops.multiply(image, multiplier)


def _noise(image: Image.Image, rng: np.random.Generator, sigma: float) -> Image.Image:
    arr = np.asarray(image, dtype=np.int16)
    h, w = arr.shape[:2]
    grain = (rng.standard_normal((h, w), dtype=np.float32) * sigma).astype(np.int16)   # one grain for all channels
    return Image.fromarray(np.clip(arr + grain[..., None], 0, 255).astype(np.uint8))


def _border_tone(image: Image.Image) -> tuple[int, int, int]:
    return (96, 88, 80)   # a wooden desk under a phone photo


def _phone(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A photo taken from slightly off-square: the sheet a quadrilateral inside a frame of desk."""
    w, h = image.size
    margin = 0.04
    canvas = Image.new("RGB", (w, h), _border_tone(image))
    # Where the page corners land in the photo (clockwise from top left), pulled in and jittered.
    corners = []
    for cx, cy in ((0, 0), (1, 0), (1, 1), (0, 1)):
        dx = (margin + rng.uniform(0, 0.05)) * (1 if cx == 0 else -1)
        dy = (margin + rng.uniform(0, 0.04)) * (1 if cy == 0 else -1)
        corners.append(((cx + dx) * w, (cy + dy) * h))
    coeffs = _perspective_coeffs(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    warped = image.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BILINEAR, fillcolor=_border_tone(image))
    mask = Image.new("L", (w, h), 255).transform((w, h), Image.PERSPECTIVE, coeffs, Image.BILINEAR, fillcolor=0)
    canvas.paste(warped, (0, 0), mask)
    return canvas


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE maps output (x, y) to input; solve for the 8 coefficients that take each dst
    corner back to its src corner."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return tuple(np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64)))
