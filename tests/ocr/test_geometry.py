"""A page's transform replays what the reader did: crops drawn from the original land on the boxes read."""

from __future__ import annotations

import cv2
import numpy as np

from intake.page_reader import upright
from ocr.deskew import rotate_by
from ocr.engines.base import Orientation
from ocr.geometry import A4_LONG_SIDE, PageTransform, working_scale
from ocr.types import PageImage
from tests.ocr.test_grid import draw_table


class Upright:
    """An engine that finds every page upright (orientation is not what is tested here)."""

    def detect_orientation(self, image: np.ndarray) -> Orientation:
        return Orientation(0, 1.0)


def a4_scan(dpi: int) -> np.ndarray:
    page = np.full((int(297 / 25.4 * dpi), int(210 / 25.4 * dpi), 3), 255, np.uint8)
    table = draw_table()
    scale = dpi / 200
    table = cv2.resize(table, None, fx=scale, fy=scale)
    page[: min(table.shape[0], page.shape[0]), : min(table.shape[1], page.shape[1])] = \
        table[: page.shape[0], : page.shape[1]]
    return rotate_by(page, 1.2)


def test_scans_at_any_resolution_are_brought_to_the_working_scale():
    assert working_scale(1654, 2339, 200) == 1.0
    assert abs(working_scale(2480, 3508, 300) * 3508 - A4_LONG_SIDE) < 2
    assert abs(working_scale(1240, 1754, 150) * 1754 - A4_LONG_SIDE) < 2
    assert working_scale(1000, 400, 100) == 2.0  # not A4: the file's resolution decides


def test_the_transform_replays_the_reader_pixel_for_pixel():
    original = a4_scan(300)
    image, transform, _ = upright(PageImage("scan.png", 1, original, 300.0), Upright())
    assert transform.scale < 0.8 and abs(transform.skew) > 0.5
    replayed = PageTransform.from_json(transform.to_json()).apply(original)
    assert replayed.shape == image.shape
    assert np.abs(replayed.astype(int) - image.astype(int)).mean() < 1.0
