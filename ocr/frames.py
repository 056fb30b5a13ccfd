"""Cards laid on a copy sheet, and the text of one laid in turned.

A sheet of certificate copies holds one to four cards, and the clerk who copied them may have laid one a
quarter or a half turn round. The page is turned upright by the majority of its text, so a turned card's
lines come out standing or upside down: they are read again in the card's own frame. A card is found by its
outline: a rectangle of a card's proportions (ID-1, 85.6 x 54 mm, give or take a copier's scaling), darker
than the paper or ruled round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.clean import ink_gray
from ocr.types import Box, Word

# Long side over short side of a card's outline, and its share of the page's area.
CARD_ASPECT = (1.35, 1.9)
CARD_AREA_SHARE = (0.03, 0.45)
# An outline's contour fills at least this share of its bounding box (a rectangle, not a blob).
RECTANGLE_FILL = 0.85
# Darker than the paper around by this many grey levels: the edge of a card copied grey, or its rule.
OUTLINE_CONTRAST = 10


@dataclass(slots=True)
class TurnedText:
    """A card read in its own frame: `words` are in the pixels of the card's crop turned `rotation` degrees
    clockwise (upright), so its lines are lines; `to_page` brings a box of them back onto the page."""

    box: Box
    rotation: int
    words: list[Word] = field(default_factory=list)

    def to_page(self, box: Box) -> Box:
        w, h = self.box.width, self.box.height
        corners = [_unturned(x, y, self.rotation, w, h) for x, y in ((box.x0, box.y0), (box.x1, box.y1))]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return Box(self.box.x0 + int(min(xs)), self.box.y0 + int(min(ys)),
                   self.box.x0 + int(max(xs)), self.box.y0 + int(max(ys)))


def _unturned(u: float, v: float, rotation: int, w: int, h: int) -> tuple[float, float]:
    """A point of the crop turned `rotation` degrees clockwise, in the crop as it lies (w x h)."""
    turns = (rotation // 90) % 4
    if turns == 1:
        return v, h - u
    if turns == 2:
        return w - u, h - v
    if turns == 3:
        return w - v, u
    return u, v


def card_outlines(image: np.ndarray) -> list[Box]:
    """Rectangles of a card's proportions on the page, in reading order."""
    gray = cv2.GaussianBlur(ink_gray(image), (0, 0), 1.5)
    # Against the paper nearby (a photo's or a copier's light is uneven): a grey card shows as its edge, a
    # ruled one as its rule; either way its outline is a closed ring.
    mask = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 51,
                                 OUTLINE_CONTRAST)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    # Every ring, not only the outermost: a scanner's shadow round the sheet's edge is a ring round them all.
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    page = float(gray.shape[0] * gray.shape[1])
    found = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        aspect = max(w, h) / max(1, min(w, h))
        share = w * h / page
        if (CARD_ASPECT[0] <= aspect <= CARD_ASPECT[1] and CARD_AREA_SHARE[0] <= share <= CARD_AREA_SHARE[1]
                and cv2.contourArea(contour) >= RECTANGLE_FILL * w * h):
            found.append(Box(x, y, x + w, y + h))
    # A ring's inner edge, a card's ruled frame inside its grey edge, is the same card.
    outermost: list[Box] = []
    for box in sorted(found, key=lambda b: b.area, reverse=True):
        if not any(kept.contains(*box.center) for kept in outermost):
            outermost.append(box)
    return sorted(outermost, key=lambda b: (b.y0, b.x0))

