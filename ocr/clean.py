"""Page cleaning before reading: ink colours the reader must not see, and line masks."""

from __future__ import annotations

import cv2
import numpy as np


def is_colour(image: np.ndarray) -> bool:
    """A grey scan saved as BGR has (almost) equal channels everywhere."""
    if image.ndim == 2:
        return False
    small = image[::4, ::4].astype(np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    # A seal or a signature in colour is a small share of a page; JPEG chroma noise is weaker.
    return float(np.mean(spread > 60)) > 0.0005


def red_ink_mask(image: np.ndarray) -> np.ndarray:
    """Pixels of red or pink ink (seals, fingerprints): 255 where red, else 0."""
    if image.ndim == 2:
        return np.zeros(image.shape, np.uint8)
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    redness = r - np.maximum(g, b)
    # Pale pink of thin seal ink still differs from grey paper by ~25 levels in red.
    return ((redness > 35) & (r > 90)).astype(np.uint8) * 255


# In the brightest channel red ink is light and black ink stays dark; above this it is seal, not text.
SEAL_LEVEL = 160


def remove_red_ink(image: np.ndarray, seal_level: int = SEAL_LEVEL) -> np.ndarray:
    """The page in grey with red ink gone and the black text under it kept whole.

    Whiting out every red pixel would also cut the digits a seal crosses (where the seal lies over
    grey text the pixel is a dark red); in the brightest channel such pixels stay dark, so only red
    pixels that are light there are whited out.
    """
    if image.ndim == 2:
        return image
    gray = image.max(axis=2)
    gray[(red_ink_mask(image) > 0) & (gray > seal_level)] = 255
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def ink_gray(image: np.ndarray) -> np.ndarray:
    """Grey image in which only dark (black or grey) ink is dark.

    The brightest channel of a pixel is low only for black ink: red seals and blue ink are
    bright in at least one channel, so the table finder does not mistake them for lines.
    """
    if image.ndim == 2:
        return image
    return image.max(axis=2)


def binarize(gray: np.ndarray, block: int = 31, c: int = 15) -> np.ndarray:
    """Ink as 255 on 0, robust to uneven lighting (local mean threshold)."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, c)
