"""Where on an image text detection is worth running, and at what scale.

A text detector's cost grows with the pixels it is given, and most of a scanned page is blank paper
(a certificate copy is a card on an A4 sheet). A cheap survey of the ink on a small copy gives the
region that holds it and the height of its characters; detection then runs on that region only,
scaled so the characters are as tall as the detector needs, whatever the page's resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.clean import binarize, ink_gray
from ocr.types import Box

SURVEY_SIDE = 600  # px: long side of the copy the ink is surveyed on (characters stay several px tall)
MIN_MARKS = 5  # fewer character-like marks than this say nothing about the text's height
LONG_MARK = 0.3  # a mark longer than this share of the image is a rule or an edge shadow, not text
MARGIN = 0.02  # of the image's long side, kept around the ink


@dataclass(frozen=True, slots=True)
class Survey:
    """The box around the image's ink (None: blank) and the median character size in px (None: unknown)."""

    region: Box | None
    text_height: float | None


def survey(image: np.ndarray) -> Survey:
    h, w = image.shape[:2]
    f = min(1.0, SURVEY_SIDE / max(h, w))
    # Shrunk before the colour is dropped: the full page's channel maximum costs more than the survey.
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else image
    ink = binarize(ink_gray(small), 15, 10)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    sh, sw = ink.shape
    marks = [(x, y, bw, bh) for x, y, bw, bh, area in stats[1:]
             if area >= 6 and max(bw, bh) >= 3 and bw < LONG_MARK * sw and bh < LONG_MARK * sh]
    if not marks:
        return Survey(None, None)
    x0 = min(m[0] for m in marks)
    y0 = min(m[1] for m in marks)
    x1 = max(m[0] + m[2] for m in marks)
    y1 = max(m[1] + m[3] for m in marks)
    pad = MARGIN * max(h, w)
    region = Box(max(0, int(x0 / f - pad)), max(0, int(y0 / f - pad)),
                 min(w, int(x1 / f + pad) + 1), min(h, int(y1 / f + pad) + 1))
    # A character's longer side, whichever way the text runs; Latin and digits are narrower, not shorter.
    sizes = [max(bw, bh) for _, _, bw, bh in marks if 0.3 < bw / bh < 3.0]
    text_height = float(np.median(sizes)) / f if len(sizes) >= MIN_MARKS else None
    return Survey(region, text_height)


def detection_scale(text_height: float | None, wanted: float, size: tuple[int, int], max_side: int) -> float:
    """The scale (never above 1) that brings characters to `wanted` px; by the image's size when unknown."""
    if text_height is None or text_height <= 0:
        return min(1.0, max_side / max(size))
    return min(1.0, wanted / text_height)
