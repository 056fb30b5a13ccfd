"""Phone photos of a page: find the sheet against the table it lies on and flatten it.

A photographed page is a bright quadrilateral, smaller than the frame and not rectangular; the table
finder and the recogniser want a flat, upright rectangle. A scan (the sheet fills the frame) is left
alone. The sheet is found as the largest bright region whose outline simplifies to four corners.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.geometry import warp_sheet

WORK_SIDE = 800  # px: the outline is found on a small copy
MIN_SHEET_SHARE = 0.35  # of the frame: smaller bright regions are not the sheet
MAX_SHEET_SHARE = 0.97  # above this the sheet fills the frame: a scan, nothing to flatten
MIN_CONTRAST = 40  # grey levels between the sheet and what lies around it
EDGE_INSET = 0.012  # share of the sheet trimmed off all round (forms keep wider margins than this)


def find_sheet(image: np.ndarray) -> np.ndarray | None:
    """The sheet's four corners in `image` pixels (top-left, top-right, bottom-right, bottom-left),
    or None when the sheet fills the frame or cannot be told from its background."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = WORK_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    level, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(sheet) / (small.shape[0] * small.shape[1])
    if not MIN_SHEET_SHARE <= share <= MAX_SHEET_SHARE:
        return None
    inside = small[bright > 0].mean()
    outside = small[bright == 0].mean() if (bright == 0).any() else inside
    if inside - outside < MIN_CONTRAST:
        return None
    corners = cv2.approxPolyDP(sheet, 0.02 * cv2.arcLength(sheet, True), True)
    if len(corners) != 4:
        return None
    found = order_corners(corners.reshape(4, 2).astype(np.float32) / scale)
    # Step inside the outline: the sheet's edge and the desk's shadow along it would read as a ruled line.
    centre = found.mean(axis=0)
    return centre + (found - centre) * (1 - EDGE_INSET)


def order_corners(points: np.ndarray) -> np.ndarray:
    s, d = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(s)], points[np.argmin(d)], points[np.argmax(s)], points[np.argmax(d)]],
                    np.float32)


def sheet_size(corners: np.ndarray) -> tuple[int, int]:
    """(width, height) of the rectangle a sheet with these corners is flattened to: its own longest sides."""
    tl, tr, br, bl = corners
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    return width, height


def flatten(image: np.ndarray) -> tuple[np.ndarray, bool]:
    """The sheet warped to a rectangle of its own size, and whether anything was done."""
    corners = find_sheet(image)
    if corners is None:
        return image, False
    return warp_sheet(image, corners, sheet_size(corners)), True
