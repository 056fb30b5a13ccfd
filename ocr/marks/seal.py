"""Official round seals (公章) on a page: red ink in colour scans, a dark ring in grey copies.

A seal is recognised by its outer ring: ink at one radius all the way (or nearly) around a
centre. In colour the red ink is isolated first, so text and rules cannot form a ring; in a grey
copy circles are proposed by a Hough transform and kept only when the ring is nearly closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.clean import binarize, is_colour, red_ink_mask
from ocr.marks.base import MarkDetector, MarkVerdict
from ocr.types import Box


@dataclass(frozen=True, slots=True)
class SealSettings:
    dpi: float = 200.0
    # Official seals of units and schools are 38-45 mm across; allow for scaling of copies.
    min_diameter_mm: float = 28.0
    max_diameter_mm: float = 60.0
    # Share of the 72 sectors around the centre in which the ring shows ink.
    min_ring_coverage: float = 0.6
    min_ring_coverage_grey: float = 0.8
    min_ring_continuity: float = 0.75

    def px(self, mm: float) -> float:
        return mm / 25.4 * self.dpi


@dataclass(frozen=True, slots=True)
class Seal:
    box: Box
    colour: str  # "red" or "grey"
    confidence: float


def find_seals(image: np.ndarray, settings: SealSettings = SealSettings()) -> list[Seal]:
    if is_colour(image):
        seals = red_seals(image, settings)
        if seals:
            return seals
    return grey_seals(image, settings)


def red_seals(image: np.ndarray, s: SealSettings) -> list[Seal]:
    red = red_ink_mask(image)
    joined = cv2.morphologyEx(red, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(joined, connectivity=8)
    lo, hi = s.px(s.min_diameter_mm), s.px(s.max_diameter_mm)
    seals = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if not (lo <= max(w, h) <= hi and 0.7 <= w / h <= 1.4):
            continue
        centre = (x + w / 2, y + h / 2)
        coverage = ring_coverage(red, centre, (w + h) / 4)
        if coverage >= s.min_ring_coverage:
            seals.append(Seal(Box(int(x), int(y), int(x + w), int(y + h)), "red", min(1.0, coverage + 0.1)))
    return seals


def grey_seals(image: np.ndarray, s: SealSettings) -> list[Seal]:
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = 0.5
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = binarize(grey)
    lo, hi = s.px(s.min_diameter_mm) / 2 * scale, s.px(s.max_diameter_mm) / 2 * scale
    circles = cv2.HoughCircles(cv2.medianBlur(small, 5), cv2.HOUGH_GRADIENT, dp=1.5, minDist=lo * 2,
                               param1=120, param2=40, minRadius=int(lo), maxRadius=int(hi))
    seals = []
    if circles is None:
        return seals
    for cx, cy, r in circles[0]:
        centre, radius = (cx / scale, cy / scale), r / scale
        coverage = ring_coverage(ink, centre, radius)
        # Table rules and text crowd any circle drawn over a form; only a seal's rim is one unbroken
        # stroke at one radius all the way round.
        if coverage >= s.min_ring_coverage_grey and ring_continuity(ink, centre, radius) >= s.min_ring_continuity:
            box = Box(int(centre[0] - radius), int(centre[1] - radius), int(centre[0] + radius),
                      int(centre[1] + radius))
            seals.append(Seal(box, "grey", min(1.0, coverage)))
    return seals


def ring_continuity(mask: np.ndarray, centre: tuple[float, float], radius: float, sectors: int = 120) -> float:
    """The best share of sectors with ink at one and the same radius (within 2 px), over radii near `radius`."""
    h, w = mask.shape[:2]
    cx, cy = centre
    angles = 2 * np.pi * np.arange(sectors) / sectors
    best = 0.0
    for f in np.linspace(0.85, 1.05, 11):
        hit = np.zeros(sectors, bool)
        for dr in (-2, 0, 2):
            xs = (cx + (f * radius + dr) * np.cos(angles)).astype(int)
            ys = (cy + (f * radius + dr) * np.sin(angles)).astype(int)
            inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
            hit[inside] |= mask[ys[inside], xs[inside]] > 0
        best = max(best, float(hit.mean()))
    return best


def ring_coverage(mask: np.ndarray, centre: tuple[float, float], radius: float, sectors: int = 72) -> float:
    """Share of angular sectors with ink in the band 0.85..1.05 of the radius."""
    h, w = mask.shape[:2]
    cx, cy = centre
    hits = 0
    for k in range(sectors):
        angle = 2 * np.pi * k / sectors
        found = False
        for f in np.linspace(0.85, 1.05, 9):
            x, y = int(cx + f * radius * np.cos(angle)), int(cy + f * radius * np.sin(angle))
            if 0 <= x < w and 0 <= y < h and mask[y, x]:
                found = True
                break
        hits += found
    return hits / sectors


class SealDetector(MarkDetector):
    """A seal is present in a region when a seal's centre lies in it."""

    name = "seal"

    def __init__(self, settings: SealSettings | None = None) -> None:
        self.settings = settings or SealSettings()

    def detect(self, image: np.ndarray, region: Box) -> MarkVerdict:
        inside = [seal for seal in find_seals(image, self.settings) if region.contains(*seal.box.center)]
        if not inside:
            return MarkVerdict(False, 0.8, "none")
        best = max(inside, key=lambda seal: seal.confidence)
        return MarkVerdict(True, best.confidence, "seal", best.box, {"colour_red": float(best.colour == "red")})
