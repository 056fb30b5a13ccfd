"""The table finder on drawn tables: clean, broken, faint, sealed over, skewed."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.deskew import deskew, estimate_skew, rotate_by
from ocr.grid import find_grid

FONT = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 26, index=2)
XS = [100, 200, 380, 460, 800, 1020, 1280]
YS = [300, 370, 440, 510, 580, 650]


def draw_table(broken: bool = False, faint: bool = False, seal: bool = False, text: bool = True) -> np.ndarray:
    img = Image.new("RGB", (1400, 1000), "white")
    d = ImageDraw.Draw(img)
    colour = (150, 150, 150) if faint else (0, 0, 0)
    width = 1 if faint else 3
    for y in YS:
        if broken:  # a scan that lost pieces of every rule
            for x in range(XS[0], XS[-1], 90):
                d.line([(x, y), (min(x + 65, XS[-1]), y)], fill=colour, width=width)
        else:
            d.line([(XS[0], y), (XS[-1], y)], fill=colour, width=width)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill=colour, width=width)
    d.text((400, 120), "2020年安全技能培训人员花名册", font=FONT, fill="black")
    d.text((100, 200), "单位名称（盖章）：滨州市宏达机械有限公司——————————", font=FONT, fill="black")
    if text:
        for r in range(len(YS) - 1):
            for c in range(len(XS) - 1):
                d.text((XS[c] + 8, YS[r] + 18), "一二三四五六七八"[: 2 + c], font=FONT, fill="black")
    if seal:
        d.ellipse([300, 250, 560, 510], outline=(230, 40, 40), width=10)
    return np.array(img)[:, :, ::-1].copy()


def assert_grid(grid, tol: int = 4) -> None:
    assert grid is not None
    assert len(grid.xs) == len(XS) and len(grid.ys) == len(YS)
    assert all(abs(a - b) <= tol for a, b in zip(grid.xs, XS, strict=True))
    assert all(abs(a - b) <= tol for a, b in zip(grid.ys, YS, strict=True))


def test_clean_table():
    assert_grid(find_grid(draw_table()))


def test_text_lines_and_underlines_are_not_rows():
    grid = find_grid(draw_table())
    assert grid.n_rows == len(YS) - 1


def test_broken_rules_are_bridged():
    assert_grid(find_grid(draw_table(broken=True)))


def test_faint_rules_are_found():
    assert_grid(find_grid(draw_table(faint=True)))


def test_red_seal_over_the_rules_is_ignored():
    assert_grid(find_grid(draw_table(seal=True)))


def test_page_without_table():
    img = draw_table()
    img[250:700] = 255
    assert find_grid(img) is None


def test_cells_tile_the_table():
    grid = find_grid(draw_table())
    assert grid.cell(0, 0).x0 == grid.xs[0]
    assert grid.cell(grid.n_rows - 1, grid.n_cols - 1).y1 == grid.ys[-1]


def test_skew_is_measured_and_undone():
    img = draw_table()
    tilted = rotate_by(img, -2.0)  # content turned 2 degrees anticlockwise
    assert abs(estimate_skew(tilted) - 2.0) < 0.2
    level, angle = deskew(tilted)
    assert_grid(find_grid(level), tol=8)


def test_grayscale_scan_works_too():
    grey = cv2.cvtColor(draw_table(seal=True), cv2.COLOR_BGR2GRAY)
    assert_grid(find_grid(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)))
