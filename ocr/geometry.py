"""A page's geometry from the file to the image the reader reads: flattened, scaled, turned, levelled.

Every pixel constant of the reader is for an A4 sheet at about 200 dpi, so each page is first brought to
that scale: from its size when it is an A4 sheet (a scan at 150 or 600 dpi, a flattened phone photo), else
from the resolution its file states. The steps are recorded once as a `PageTransform`, so that the review
crops and the debug overlays replay exactly what the reader did instead of estimating it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocr.deskew import rotate_by
from ocr.engines.base import rotate_clockwise

WORKING_DPI = 200.0
A4_LONG_SIDE = 2339  # px at WORKING_DPI
A4_ASPECT = 297 / 210
# A sheet whose sides are within this of A4's proportions is taken for an A4 sheet.
ASPECT_TOLERANCE = 0.12
# Closer than this to the working scale, a page is left as it is (resampling costs and blurs).
SCALE_SLACK = 0.12
MIN_SCALE, MAX_SCALE = 0.2, 4.0


@dataclass(frozen=True, slots=True)
class PageTransform:
    """What was done to a page's pixels, in order: flatten (corners of the sheet), scale, turn, level."""

    corners: tuple[tuple[float, float], ...] | None = None
    flat_size: tuple[int, int] | None = None   # (width, height) of the flattened sheet
    scale: float = 1.0
    rotation: int = 0     # clockwise degrees undone
    skew: float = 0.0     # degrees levelled
    # The resolution of the result: what the reader's pixel constants are scaled to. Not stored: it is a
    # fact of the reading, not a step to replay.
    dpi: float = WORKING_DPI

    def to_json(self) -> dict[str, Any]:
        return {"corners": [list(c) for c in self.corners] if self.corners else None,
                "flat_size": list(self.flat_size) if self.flat_size else None,
                "scale": round(self.scale, 5), "rotation": self.rotation, "skew": round(self.skew, 3)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PageTransform:
        if not data:
            return cls()
        corners = tuple(tuple(c) for c in data["corners"]) if data.get("corners") else None
        flat = tuple(data["flat_size"]) if data.get("flat_size") else None
        return cls(corners, flat, float(data.get("scale", 1.0)), int(data.get("rotation", 0)),
                   float(data.get("skew", 0.0)))

    def apply(self, image: np.ndarray) -> np.ndarray:
        """The original page image as the reader read it."""
        if self.corners is not None and self.flat_size is not None:
            image = warp_sheet(image, np.array(self.corners, np.float32), self.flat_size)
        image = rescale(image, self.scale)
        image = rotate_clockwise(image, self.rotation)
        return rotate_by(image, self.skew)


def working_scale(width: int, height: int, dpi: float | None) -> float:
    """The factor that brings a page to the working resolution (as near as the scale limits allow)."""
    scale = min(MAX_SCALE, max(MIN_SCALE, _wanted_scale(width, height, dpi)))
    return 1.0 if abs(scale - 1.0) <= SCALE_SLACK else scale


def working_dpi(width: int, height: int, dpi: float | None, scale: float) -> float:
    """The resolution a page of this size and stated dpi is read at once scaled by `scale`: the working
    resolution, unless the scale limits or the slack stopped short of it."""
    return WORKING_DPI * scale / _wanted_scale(width, height, dpi)


def _wanted_scale(width: int, height: int, dpi: float | None) -> float:
    long, short = max(width, height), min(width, height)
    if short and abs(long / short - A4_ASPECT) <= ASPECT_TOLERANCE * A4_ASPECT:
        return A4_LONG_SIDE / long
    if dpi and 50 <= dpi <= 2400:
        return WORKING_DPI / dpi
    return 1.0  # nothing says: taken to be at the working resolution


def rescale(image: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return image
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)


def warp_sheet(image: np.ndarray, corners: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The quadrilateral `corners` (tl, tr, br, bl) warped to a width x height rectangle."""
    width, height = size
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    warp = cv2.getPerspectiveTransform(corners, target)
    border = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpPerspective(image, warp, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=border)
