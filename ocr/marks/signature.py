"""Is a signature cell signed? Handwriting in any ink, a red fingerprint or a personal seal count;
rules, scan noise, stray dots, a neighbour's seal reaching over the edge and blank paper do not.

A fixed dark-pixel threshold fails both ways: pencil-grey signatures and fingerprints that a
grey scan made light look blank, and noise looks like ink. So ink is measured against the
cell's own paper (how much darker than the paper, in any channel, after smoothing away grain),
specks are dropped by size, marks entering from the edge are dropped unless they reach the
middle of the cell, and what remains must have the extent of a signature, not of a dot.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.marks.base import MarkDetector, MarkVerdict
from ocr.types import Box


@dataclass(frozen=True, slots=True)
class SignatureSettings:
    inset: int = 7  # px kept clear of the cell's rules
    # Darkening against the paper, in grey levels, that counts as ink. Pencil on a grey scan
    # darkens by 35..60; paper grain after smoothing by under 12.
    ink_contrast: int = 22
    min_component: int = 40  # px; smaller blobs are specks
    # A mark must cover this share of the cell's width and height together to be a signature.
    min_width_share: float = 0.10
    min_height_share: float = 0.22
    min_ink_share: float = 0.006  # of the inner cell's area
    # A fingerprint or a personal seal is narrow but tall and solid: pressed, not written. Specks and
    # stray dots never reach this height, and a neighbour's mark entering at an edge was dropped above.
    min_pressed_height_share: float = 0.35
    min_pressed_fill: float = 0.3  # ink share of the mark's own box
    min_pressed_ink_share: float = 0.015
    # Marks touching the top or bottom edge belong to the neighbour unless they reach this far in.
    edge_reach: float = 0.35


class SignatureDetector(MarkDetector):
    name = "signature"

    def __init__(self, settings: SignatureSettings | None = None) -> None:
        self.settings = settings or SignatureSettings()

    def detect(self, image: np.ndarray, region: Box) -> MarkVerdict:
        s = self.settings
        inner = region.inset(s.inset, s.inset)
        if inner.width < 10 or inner.height < 10:
            return MarkVerdict(False, 0.5, "none")
        patch = image[inner.y0:inner.y1, inner.x0:inner.x1]
        mask = ink_mask(patch, s.ink_contrast)
        mask = drop_rules(mask)
        kept = own_components(mask, s)
        measures = measure(kept, patch)
        verdict = judge(measures, s)
        box = None
        if kept.any():
            ys, xs = np.nonzero(kept)
            box = Box(inner.x0 + int(xs.min()), inner.y0 + int(ys.min()),
                      inner.x0 + int(xs.max()) + 1, inner.y0 + int(ys.max()) + 1)
        present, confidence = verdict
        kind = mark_kind(patch, kept) if present else "none"
        return MarkVerdict(present, confidence, kind, box, measures)


def ink_mask(patch: np.ndarray, contrast: int) -> np.ndarray:
    """Pixels clearly darker than the cell's paper in at least one channel."""
    smooth = cv2.GaussianBlur(patch, (3, 3), 0).astype(np.int16)
    if smooth.ndim == 2:
        smooth = smooth[:, :, None]
    paper = np.percentile(smooth.reshape(-1, smooth.shape[2]), 75, axis=0)
    darkening = (paper[None, None, :] - smooth).max(axis=2)
    return (darkening > contrast).astype(np.uint8) * 255


def drop_rules(mask: np.ndarray, band: int = 12) -> np.ndarray:
    """Remove what is left of the table's rules: long straight runs near the cell's edges.

    Only the edge bands are cleaned, so that a filled personal seal in the middle, whose columns
    are long straight runs too, is left alone.
    """
    h, w = mask.shape
    long_x = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 2), 1))
    long_y = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h * 2 // 3)))
    # Horizontal rules can only lie along the top and bottom, vertical ones along the sides.
    across = cv2.morphologyEx(mask, cv2.MORPH_OPEN, long_x)
    across[band:h - band, :] = 0
    down = cv2.morphologyEx(mask, cv2.MORPH_OPEN, long_y)
    down[:, band:w - band] = 0
    return cv2.subtract(mask, cv2.bitwise_or(across, down))


def own_components(mask: np.ndarray, s: SignatureSettings) -> np.ndarray:
    """Ink blobs that are big enough and belong to this cell, not to a neighbour's mark."""
    # Strokes of one signature are a few px apart; joining them lets one stroke vouch for another.
    joined = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    h, w = mask.shape
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        ink = int(np.count_nonzero(mask[labels == i]))
        if ink < s.min_component:
            continue
        touches_top, touches_bottom = y <= 1, y + bh >= h - 1
        if touches_top and not touches_bottom and (y + bh) < h * s.edge_reach:
            continue
        if touches_bottom and not touches_top and y > h * (1 - s.edge_reach):
            continue
        keep[i] = True
    return np.where(keep[labels], mask, 0).astype(np.uint8)


def measure(kept: np.ndarray, patch: np.ndarray) -> dict[str, float]:
    h, w = kept.shape
    ink = int(np.count_nonzero(kept))
    if not ink:
        return {"ink_share": 0.0, "width_share": 0.0, "height_share": 0.0}
    ys, xs = np.nonzero(kept)
    box_w, box_h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    return {"ink_share": ink / (h * w), "width_share": box_w / w, "height_share": box_h / h,
            "fill": ink / (box_w * box_h)}


def judge(m: dict[str, float], s: SignatureSettings) -> tuple[bool, float]:
    """Signed when the ink has a signature's extent; confidence grows with the margin."""
    ratios = (m["ink_share"] / s.min_ink_share, m["width_share"] / s.min_width_share,
              m["height_share"] / s.min_height_share)
    weakest = min(ratios)
    if weakest < 1.0 and _pressed(m, s):
        return True, 0.75
    if weakest >= 1.0:
        return True, float(min(1.0, 0.5 + 0.5 * min(1.0, (weakest - 1.0) / 1.0 + 0.3)))
    return False, float(min(1.0, 0.5 + 0.5 * (1.0 - weakest)))


def _pressed(m: dict[str, float], s: SignatureSettings) -> bool:
    return (m["height_share"] >= s.min_pressed_height_share and m.get("fill", 0.0) >= s.min_pressed_fill
            and m["ink_share"] >= s.min_pressed_ink_share)


# A red mark's ink is this many levels redder (red over the larger of green and blue) than its cell's paper.
# Pressed hard a print is 60 levels redder; a pale one, or one a grey-ish scan washed out, only 9 to 25,
# while black, blue and pencil ink is no redder than the paper at all.
RED_LIFT = 7


# A written mark has at least this share of its ink, or this many pixels, dark in every channel and not red
# (pen, pencil); a print has next to none: its darkest ridges are still bright in red. (A signature the
# unit's seal is stamped over may be a small part of the cell's ink.)
PEN_SHARE, PEN_PIXELS = 0.15, 120


def pressed_in_red(patch: np.ndarray, kept: np.ndarray) -> bool:
    """Whether the mark was pressed in red (a fingerprint, a personal seal) rather than written: red against
    the cell's paper, with little pen ink in it. A signature the unit's seal was stamped over is red in
    places, but written."""
    if patch.ndim == 2 or not kept.any() or kept.all():
        return False
    pixels = cv2.GaussianBlur(patch, (0, 0), 1.2).astype(np.int16)
    redness = pixels[:, :, 2] - np.maximum(pixels[:, :, 0], pixels[:, :, 1])
    brightest = pixels.max(axis=2)
    paper_red, paper = float(np.median(redness[kept == 0])), float(np.median(brightest[kept == 0]))
    ink = kept > 0
    # Red against the paper, not against pure white: a tinted paper or a washed-out print would move a fixed
    # cut. Grain is smoothed away first: it makes single pixels redder or greener than a pale print's tint.
    if float(np.median(redness[ink])) - paper_red < RED_LIFT:
        return False
    pen = (ink & (brightest < paper - 70) & (redness <= paper_red + RED_LIFT)).astype(np.uint8)
    pen = cv2.subtract(pen, _long_strokes(pen))  # what is left of the cell's rules is not writing
    return float(pen.sum()) / float(ink.sum()) < PEN_SHARE and int(pen.sum()) < PEN_PIXELS


def _long_strokes(mask: np.ndarray) -> np.ndarray:
    h, w = mask.shape
    across = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, max(3, int(w * 0.4))), np.uint8))
    down = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((max(3, int(h * 0.6)), 1), np.uint8))
    return cv2.bitwise_or(across, down)


def mark_kind(patch: np.ndarray, kept: np.ndarray) -> str:
    """Red marks are fingerprints or personal seals (a seal is a filled square); others are ink."""
    if patch.ndim == 2:
        return "ink"
    if not kept.any():
        return "none"
    if not pressed_in_red(patch, kept):
        return "ink"
    ys, xs = np.nonzero(kept)
    box = kept[ys.min():ys.max() + 1, xs.min():xs.max() + 1] > 0
    h, w = box.shape
    # A personal seal is a filled square whose corners carry ink; a fingerprint is an oval.
    ch, cw = max(1, h // 5), max(1, w // 5)
    corners = [box[:ch, :cw], box[:ch, -cw:], box[-ch:, :cw], box[-ch:, -cw:]]
    corner_fill = float(np.mean([c.mean() for c in corners]))
    return "seal" if 0.75 < w / h < 1.33 and corner_fill > 0.3 else "fingerprint"
