"""One settings object, made where reading starts and handed to every detector at the page's resolution."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from intake.page_reader import read_page, upright
from ocr.engines import ENGINES
from ocr.engines.base import Orientation, Reading
from ocr.geometry import WORKING_DPI, working_dpi
from ocr.settings import ReadSettings, read_settings
from ocr.types import PageImage
from tests.ocr.test_geometry import Upright
from tests.ocr.test_grid import draw_table


class Blank(Upright):
    """Finds pages upright and reads every line as nothing: only the detectors' geometry is tested."""

    name = "blank"

    def read_page(self, image: np.ndarray) -> list:
        return []

    def read_lines(self, crops, charset="any") -> list[Reading]:
        return [Reading("", 0.0) for _ in crops]

    def detect_orientation(self, image: np.ndarray) -> Orientation:
        return Orientation(0, 1.0)


def test_each_engine_brings_its_own_doubt_cut_off():
    assert read_settings("rapidocr").low_confidence == ENGINES["rapidocr"].low_confidence
    assert read_settings("tesseract").low_confidence == ENGINES["tesseract"].low_confidence
    assert read_settings("rapidocr").low_confidence != read_settings("tesseract").low_confidence


def test_pixel_settings_follow_the_resolution_and_the_rest_do_not():
    base = read_settings()
    double = base.at_dpi(2 * WORKING_DPI)
    assert base.at_dpi(WORKING_DPI) is base
    assert double.grid.min_piece == 2 * base.grid.min_piece
    assert double.grid.faint_line_contrast == base.grid.faint_line_contrast  # grey levels, not pixels
    assert double.cells.inset == 2 * base.cells.inset
    assert double.signatures.min_component == 4 * base.signatures.min_component  # an area
    assert double.seals.dpi == 2 * WORKING_DPI and double.low_confidence == base.low_confidence


@pytest.mark.parametrize(("size", "dpi", "expected"), [
    ((1654, 2339), 200, 200),   # an A4 scan at the working resolution
    ((2480, 3508), 300, 200),   # brought down to it
    ((300, 424), 72, 200 * 4 / (2339 / 424)),  # a thumbnail: the scale limit stops short
])
def test_the_page_is_read_at_the_resolution_its_scale_reached(size, dpi, expected):
    page = PageImage("scan.png", 1, np.full((size[1], size[0], 3), 255, np.uint8), float(dpi))
    _, transform, _ = upright(page, Upright())
    assert transform.dpi == pytest.approx(expected, rel=0.01)
    assert working_dpi(*size, dpi, transform.scale) == pytest.approx(expected, rel=0.01)


def test_the_settings_handed_in_are_the_ones_the_page_is_read_with():
    page = PageImage("scan.png", 1, draw_table(), WORKING_DPI)
    found = read_page(page, Blank(), ReadSettings())
    assert found.table is not None
    assert found.table.grid.ruled == "grid"
    no_rules = ReadSettings(grid=replace(ReadSettings().grid, min_rule_share=1.5))
    unruled = read_page(page, Blank(), no_rules).table
    assert unruled is None or unruled.grid.ruled == "text"
