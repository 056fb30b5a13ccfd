"""Tables whose rules do not draw every cell: three-line tables, borderless ones, rules that stop short,
cells spanning rows. Drawn with PIL, read with ocr.grid."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.grid import find_grid

FONT = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 26, index=2)
XS = [100, 220, 380, 480, 800, 1060]
YS = [300, 370, 440, 510, 580, 650, 720]
TEXT = ["序号", "张三丰", "男", "371602199003071213", "13812345678"]


def canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (1400, 1000), "white")
    return img, ImageDraw.Draw(img)


def write_cells(d: ImageDraw.ImageDraw, rows: int = len(YS) - 1) -> None:
    for r in range(rows):
        for c in range(len(XS) - 1):
            d.text((XS[c] + 10, YS[r] + 18), TEXT[c] if r else ["序号", "姓名", "性别", "身份证号", "手机"][c],
                   font=FONT, fill="black")


def bgr(img: Image.Image) -> np.ndarray:
    return np.array(img)[:, :, ::-1].copy()


def test_three_line_table_columns_come_from_the_text():
    img, d = canvas()
    for y in (YS[0], YS[1], YS[-1]):  # top rule, rule under the header, bottom rule: nothing else
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.ruled == "partial"
    assert grid.n_cols == len(XS) - 1


def test_borderless_table_is_found_by_its_aligned_text():
    img, d = canvas()
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.ruled == "text"
    assert grid.n_cols == len(XS) - 1 and grid.n_rows == len(YS) - 1


def test_column_rules_shorter_than_half_the_table_still_count():
    img, d = canvas()
    for y in YS:
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for i, x in enumerate(XS):
        bottom = YS[-1] if i in (0, len(XS) - 1) else YS[2]  # inner rules rule only the first two rows
        d.line([(x, YS[0]), (x, bottom)], fill="black", width=3)
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(XS) - 1


def test_a_cell_spanning_rows_is_one_merged_cell():
    img, d = canvas()
    for y in YS:
        d.line([(XS[0], y), (XS[2], y)], fill="black", width=3)  # column 2 has no rules between rows 1..
        d.line([(XS[3], y), (XS[-1], y)], fill="black", width=3)
    for y in (YS[0], YS[1], YS[-1]):
        d.line([(XS[2], y), (XS[3], y)], fill="black", width=3)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill="black", width=3)
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(XS) - 1 and grid.n_rows == len(YS) - 1
    assert (1, 2, len(YS) - 2, 1) in grid.spans
    assert grid.merged_cell(3, 2).y0 == grid.ys[1]


def noisy(img: Image.Image, seed: int = 7) -> np.ndarray:
    """The drawing as a scan: grey paper with noise, so a faint rule is only a little darker than it."""
    rng = np.random.default_rng(seed)
    page = bgr(img).astype(np.int16) - 12 + rng.normal(0, 4, (img.height, img.width, 1))
    return np.clip(page, 0, 255).astype(np.uint8)


def test_hairline_rules_a_light_printer_left_are_the_columns():
    img, d = canvas()
    hairline = (222, 222, 222)  # ~20 grey levels under the paper once scanned
    for y in YS:
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for i, x in enumerate(XS):
        d.line([(x, YS[0]), (x, YS[-1])], fill="black" if i in (0, len(XS) - 1) else hairline, width=2)
    write_cells(d)
    grid = find_grid(noisy(img))
    assert grid is not None and grid.ruled == "grid"
    assert grid.n_cols == len(XS) - 1 and not grid.spans


def test_a_row_rule_missing_under_text_on_both_sides_is_still_a_row_boundary():
    img, d = canvas()
    for y in YS:
        if y == YS[3]:  # this rule dropped out of the scan except over the last column
            d.line([(XS[-2], y), (XS[-1], y)], fill="black", width=3)
        else:
            d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill="black", width=3)
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_rows == len(YS) - 1
    assert not grid.spans


def test_a_table_whose_row_rules_stop_at_a_spanning_column_keeps_its_columns_beyond_it():
    xs = [100, 220, 380, 480, 800, 900, 1060]  # column 4 (800-900) spans every data row, 期次 after it
    img, d = canvas()
    for y in YS:  # the row rules stop either side of the spanning column
        d.line([(xs[0], y), (xs[4], y)], fill="black", width=3)
        d.line([(xs[5], y), (xs[-1], y)], fill="black", width=3)
    for y in (YS[0], YS[1], YS[-1]):
        d.line([(xs[0], y), (xs[-1], y)], fill="black", width=3)
    for x in xs:
        d.line([(x, YS[0]), (x, YS[-1])], fill="black", width=3)
    for r in range(len(YS) - 1):
        for c, text in enumerate([*TEXT[:4], "", "41期"]):
            d.text((xs[c] + 10, YS[r] + 18), text, font=FONT, fill="black")
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(xs) - 1
    assert (1, 4, len(YS) - 2, 1) in grid.spans


def test_the_edges_of_a_flattened_photo_are_not_the_table_s_rules():
    img, d = canvas()
    for y in (2, img.height - 3):  # the sheet's edge where the photo was cut to the page
        d.line([(0, y), (img.width, y)], fill=(60, 60, 60), width=4)
    for y in (YS[0], YS[1], YS[-1]):  # a three-line table
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(XS) - 1
    assert grid.ys[0] == pytest.approx(YS[0], abs=4) and grid.ys[-1] == pytest.approx(YS[-1], abs=4)
