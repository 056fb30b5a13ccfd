"""Red fingerprints (手印): an elliptical blob of ridges pressed from an ink pad."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tests.bundlegen.inks import blotches, fingerprint_red, to_rgba

PATTERNS = ("whorl", "loop", "arch")


def fingerprint(rng: np.random.Generator, height: int = 96, light: bool = False) -> Image.Image:
    """A fingerprint about `height` px tall; ridges about 0.45 mm apart as on a real finger."""
    h = int(height * rng.uniform(0.9, 1.1))
    w = int(h * rng.uniform(0.68, 0.8))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx - w * rng.uniform(0.42, 0.58)) / (w / 2)
    v = (yy - h * rng.uniform(0.4, 0.55)) / (h / 2)
    ridges = _ridges(u, v, rng, h)
    outline = _outline(xx / w * 2 - 1, yy / h * 2 - 1, rng)
    pressure = 1 - 0.7 * blotches((h, w), rng, cells=5) * rng.uniform(0.3, 1.0)
    coverage = np.clip(ridges * outline * pressure, 0, 1)
    color = fingerprint_red(rng)
    opacity = rng.uniform(0.3, 0.5) if light else rng.uniform(0.65, 0.9)
    image = to_rgba(coverage, color, opacity)
    return image.rotate(rng.uniform(-30, 30), resample=Image.BICUBIC, expand=True)


def _ridges(u: np.ndarray, v: np.ndarray, rng: np.random.Generator, h: int) -> np.ndarray:
    pattern = rng.choice(PATTERNS, p=[0.45, 0.4, 0.15])
    period_px = rng.uniform(3.4, 4.4)  # ~0.45 mm at 200 dpi
    scale = h / 2 / period_px
    if pattern == "whorl":
        field = np.sqrt(u**2 + (v * 1.15) ** 2)
    elif pattern == "loop":
        side = rng.choice([-1, 1])
        field = np.sqrt((u - side * 0.15) ** 2 + (v * 1.3) ** 2) + 0.35 * np.clip(v, 0, None) * side * u
    else:
        field = v + 0.35 * np.exp(-(u**2) * 3)
    wobble = 0.04 * np.sin(u * rng.uniform(3, 7) + rng.uniform(0, 6)) * np.cos(v * rng.uniform(3, 7))
    phase = 2 * np.pi * (field + wobble) * scale
    ridge = 0.5 + 0.5 * np.cos(phase)
    # Ridges break into dots and islands here and there, as skin pores and worn ridges do.
    breaks = rng.random(u.shape) < 0.06
    ridge = np.where(breaks, ridge * 0.3, ridge)
    return np.clip((ridge - 0.35) / 0.4, 0, 1)


def _outline(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The pressed area: an egg shape, soft at the rim, often flattened where the finger lifted."""
    egg = x**2 + (y * (1 + 0.15 * y)) ** 2
    edge = np.clip((1 - egg) / 0.25, 0, 1)
    if rng.random() < 0.4:
        cut = rng.uniform(0.4, 0.9)
        edge *= np.clip((cut - y) / 0.2 + 0.5, 0, 1)
    return edge


def stray_dots(rng: np.random.Generator, size: int = 60) -> Image.Image:
    """A few specks of red ink or pen left in an empty cell."""
    coverage = np.zeros((size, size), dtype=np.float32)
    for _ in range(int(rng.integers(1, 5))):
        cy, cx = rng.integers(4, size - 4, size=2)
        r = rng.uniform(1, 3)
        yy, xx = np.mgrid[0:size, 0:size]
        coverage = np.maximum(coverage, np.clip(r - np.hypot(yy - cy, xx - cx), 0, 1))
    color = fingerprint_red(rng) if rng.random() < 0.6 else (40, 40, 60)
    return to_rgba(coverage, color, rng.uniform(0.5, 0.9))
