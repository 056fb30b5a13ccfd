"""Ink colours and the uneven texture of stamped or pressed ink."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tests.bundlegen.draft import Color


def seal_red(rng: np.random.Generator) -> Color:
    return (int(rng.integers(185, 235)), int(rng.integers(15, 60)), int(rng.integers(25, 70)))


def fingerprint_red(rng: np.random.Generator) -> Color:
    # Ink pads run from crimson to orange-red.
    return (int(rng.integers(190, 235)), int(rng.integers(30, 95)), int(rng.integers(30, 70)))


def blotches(shape: tuple[int, int], rng: np.random.Generator, cells: int = 6) -> np.ndarray:
    """Smooth random field in 0..1: where the stamp pressed harder or the pad held more ink."""
    small = rng.random((cells, cells)).astype(np.float32)
    field = Image.fromarray((small * 255).astype(np.uint8)).resize((shape[1], shape[0]), Image.BICUBIC)
    return np.asarray(field, dtype=np.float32) / 255.0


def textured(mask: np.ndarray, rng: np.random.Generator, strength: float = 0.5,
             speckle: float = 0.15) -> np.ndarray:
    """An ink coverage mask (0..1) made uneven: soft blotches, a pressure gradient, fine speckle."""
    h, w = mask.shape
    field = blotches((h, w), rng, cells=int(rng.integers(4, 9)))
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = (np.cos(angle) * (xx / max(w, 1) - 0.5) + np.sin(angle) * (yy / max(h, 1) - 0.5)) * rng.uniform(0, 0.8)
    level = np.clip(1 - strength * field + ramp, 0.15, 1.0)
    grain = 1 - speckle * (rng.random((h, w), dtype=np.float32) > 0.8)
    return np.clip(mask * level * grain, 0, 1)


def to_rgba(coverage: np.ndarray, color: Color, opacity: float) -> Image.Image:
    """Coverage (0..1) -> RGBA image in one colour with alpha = coverage * opacity."""
    h, w = coverage.shape
    out = np.empty((h, w, 4), dtype=np.uint8)
    out[..., :3] = color
    out[..., 3] = np.clip(coverage * opacity * 255, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGBA")
