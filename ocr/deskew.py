"""Small-angle skew: find it from the page's own lines and undo it."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.clean import binarize, ink_gray

WORK_WIDTH = 900  # px; projections at this scale still resolve 0.1 degree over a page


def estimate_skew(image: np.ndarray, max_angle: float = 6.0) -> float:
    """Degrees counter-clockwise the page content is tilted (positive = rotated anticlockwise).

    Text lines and ruled lines make the row profile of ink sharpest when they lie level: the
    angle whose rotated profile has the largest variance wins, searched coarse then fine.
    """
    gray = ink_gray(image)
    scale = WORK_WIDTH / gray.shape[1]
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = binarize(small, 15, 10)

    def sharpness(angle: float) -> float:
        h, w = ink.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
        turned = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1), key=sharpness)
    best = max(np.arange(best - 0.1, best + 0.1 + 1e-9, 0.025), key=sharpness)
    return float(round(best, 3))


def rotate_by(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees clockwise about the centre, padding with white."""
    if abs(angle) < 0.05:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def deskew(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The levelled page and the skew that was removed (degrees)."""
    angle = estimate_skew(image)
    return rotate_by(image, angle), angle
