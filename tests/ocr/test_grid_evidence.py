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


def photographed(img: Image.Image, seed: int = 3) -> np.ndarray:
    """The drawing as a phone photo: a grey-white sheet, everything blurred wide, noise."""
    import cv2

    rng = np.random.default_rng(seed)
    page = cv2.GaussianBlur(bgr(img).astype(np.float32), (0, 0), 2.2) * 0.82 + rng.normal(0, 3, (img.height,
                                                                                                  img.width, 1))
    return np.clip(page, 0, 255).astype(np.uint8)


def test_faint_rules_a_photo_blurred_wide_are_the_table():
    """The rules of a phone photo are 20 grey levels under the paper and 6 px wide: the old reader found two
    rows and three columns of an agreement and judged every signature outside them missing."""
    img, d = canvas()
    faint = (190, 190, 190)  # once blurred and greyed: 21 levels under the paper, 5 px wide, as photographed
    for y in YS:
        d.line([(XS[0], y), (XS[-1], y)], fill=faint, width=2)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill=faint, width=2)
    write_cells(d)
    grid = find_grid(photographed(img))
    assert grid is not None and grid.ruled == "grid"
    assert grid.n_cols == len(XS) - 1 and grid.n_rows == len(YS) - 1 and not grid.spans


def test_a_handwritten_stroke_in_a_tall_row_is_not_a_column_rule():
    """A signature's long stroke stopping 20 px short of a 96 px row's rules split the signature column."""
    ys = [300 + 96 * k for k in range(6)]
    img, d = canvas()
    for y in ys:
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for x in XS:
        d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=3)
    for r, top in enumerate(ys[1:-1]):
        d.line([(900 + 18 * r, top + 21), (900 + 18 * r, top + 96 - 24)], fill=(20, 20, 20), width=3)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(XS) - 1


def test_an_unruled_agreement_is_read_from_its_header_to_its_last_row():
    """A borderless agreement: a paragraph over it, signatures set loosely (one reaching into the next row,
    a fingerprint's edge a speck-high band of its own), the unit's line and a date under it, and the shadow
    of the scanner's lid down the page's left edge. The old reader's table started at the seventh row."""
    rows = 12
    ys = [560 + 62 * k for k in range(rows + 1)]
    xs = [190, 270, 420, 510, 850, 1080, 1420]
    img = Image.new("RGB", (1500, 1500), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 6, img.height], fill=(40, 40, 40))  # the lid's shadow
    for k, line in enumerate(["乙方承诺：本年度内未享受过同一职业（工种）同一等级的培训补贴，所提供的身份证",
                              "件、证书等材料真实有效，如有虚假，自愿承担相应责任。"]):
        d.text((190, 420 + 50 * k), line, font=FONT, fill="black")
    header = ["序号", "姓名", "性别", "身份证号码", "联系电话", "本人签字"]
    for c, label in enumerate(header):
        d.text((xs[c] + 8, ys[0] + 16), label, font=FONT, fill="black")
    for r in range(1, rows):
        for c, text in enumerate([str(r), "张三丰", "男", "371602199003071213", "13812345678"]):
            d.text((xs[c] + 8, ys[r] + 16), text, font=FONT, fill="black")
        d.text((xs[5] + 20 + 9 * r, ys[r] + 6 + (22 if r == 4 else 0)), "张三丰", font=FONT, fill="black")
    d.ellipse([xs[5] + 40, ys[7] + 50, xs[5] + 60, ys[7] + 58], fill="black")  # a print's edge below its row
    d.text((850, ys[-1] + 40), "甲方（盖章）：博兴县鲁北安全技术培训中心", font=FONT, fill="black")
    d.text((1250, ys[-1] + 90), "2020-09-30", font=FONT, fill="black")
    grid = find_grid(bgr(img))
    assert grid is not None and grid.ruled == "text"
    assert grid.n_cols == len(header)
    assert grid.n_rows == rows  # the header and eleven trainees, nothing above or below
    assert grid.ys[0] == pytest.approx(ys[0] + 16, abs=12) and grid.ys[-1] < ys[-1] + 40


def test_a_short_unruled_table_keeps_a_row_whose_name_is_written_wide():
    """Five lines: the share of lines a river allows to cross was less than one, so one name written a little
    wide narrowed the river between names and numbers out of being one, and its row was left out."""
    xs = [190, 260, 430, 800, 930, 1200]
    ys = [560 + 75 * k for k in range(6)]
    img = Image.new("RGB", (1500, 1500), "white")
    d = ImageDraw.Draw(img)
    for c, label in enumerate(["序", "姓名", "身份证号", "性别", "电话"]):
        d.text((xs[c] + 8, ys[0] + 16), label, font=FONT, fill="black")
    for r in range(1, 5):
        name = "欧阳丽丽娜" if r == 4 else "张三"  # the last row's name runs to within 12 px of its number
        for c, text in enumerate([str(r), name, "371602199003071213", "男", "13812345678"]):
            d.text((xs[c] + 8 - (28 if r == 4 and c == 2 else 0), ys[r] + 16), text, font=FONT, fill="black")
    d.text((930, ys[-1] + 60), "甲方（盖章）：无棣县恒安安全生产培训中心", font=FONT, fill="black")
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == 5 and grid.n_rows == 5


def test_a_table_ruled_only_here_and_there_keeps_the_columns_its_text_draws():
    """Row rules and one inner column rule: the rule was taken for the only boundary, and the agreement's
    ID, phone and signature became one cell (its signatures judged missing)."""
    img, d = canvas()
    for y in YS:
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for x in (XS[0], XS[2], XS[-1]):
        d.line([(x, YS[0]), (x, YS[-1])], fill="black", width=3)
    write_cells(d)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(XS) - 1
    assert all(abs(a - b) <= 40 for a, b in zip(grid.xs, XS, strict=True))


def test_a_speck_of_dust_in_a_three_row_page_does_not_split_a_column():
    # A continuation page of three rows between a three-line table's rules (bundle seed 1023's page 7): one
    # speck in one row's blank is a third of the lines, and made an empty column out of one river.
    img, d = canvas()
    for y in (YS[0], YS[3]):
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for r in range(3):
        for c in range(len(XS) - 1):
            d.text((XS[c] + 10, YS[r] + 18), TEXT[c], font=FONT, fill="black")
    d.rectangle([(XS[2] + 70, YS[0] + 30), (XS[2] + 72, YS[0] + 32)], fill="black")  # a 3×3 speck, 男 | ID
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_cols == len(XS) - 1


def test_one_trainee_alone_between_two_rules_is_a_table_of_his_values():
    # Bundle seed 1006's agreement page 4: the last trainee alone on a three-line table's page, the unit's
    # line and the date under it; read as a borderless table of two columns, the page became `unknown`.
    img, d = canvas()
    for y in (YS[0], YS[1]):
        d.line([(XS[0], y), (XS[-1], y)], fill="black", width=3)
    for c in range(len(XS) - 1):
        d.text((XS[c] + 10, YS[0] + 18), TEXT[c], font=FONT, fill="black")
    d.text((XS[2], YS[2] + 30), "甲方（盖章）：滨州市惠通安全生产培训中心", font=FONT, fill="black")
    d.text((XS[4], YS[3] + 10), "2020年12月31日", font=FONT, fill="black")
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_rows == 1 and grid.n_cols == len(XS) - 1


def test_the_last_trainee_alone_on_a_borderless_page_is_a_row_of_his_values_even_under_the_seal():
    # Bundle seed 1033's roster page 2: one unruled row over the footer, the unit's seal across both; no
    # table was found, the page was `unknown` and its trainee lost his roster row.
    img, d = canvas()
    values = ["14", "刘杰", "男", "372325198811191177", "17722164090", "化工作业", "第25期"]
    x = 60
    for text in values:
        d.text((x, 300), text, font=FONT, fill="black")
        x += int(FONT.getlength(text)) + 70
    d.text((60, 360), "填报人：张勇嘉", font=FONT, fill="black")
    d.text((700, 360), "填表日期：2020-03-31", font=FONT, fill="black")
    d.ellipse([(900, 250), (1100, 450)], outline=(220, 40, 40), width=6)
    grid = find_grid(bgr(img))
    assert grid is not None and grid.n_rows == 1 and grid.n_cols == len(values)
    assert grid.ys[0] < 300 + 10 and grid.ys[1] < 360


def test_a_row_boundary_added_to_a_grid_ends_the_merged_cells_it_cuts():
    from ocr.grid import Grid

    grid = Grid((0, 10, 20), (0, 100, 200, 300), ((0, 0, 2, 1), (1, 1, 2, 1)), "grid")
    cut = grid.with_row_boundary(150)
    assert cut.ys == (0, 100, 150, 200, 300) and cut.spans == ((0, 0, 2, 1), (1, 1, 1, 1))
    above = grid.with_row_boundary(-40)
    assert above.ys == (-40, 0, 100, 200, 300) and above.spans == ((1, 0, 2, 1), (2, 1, 2, 1))
