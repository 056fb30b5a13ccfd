"""Reading a found table: header, data rows, rows not ruled apart. Drawn tables, real OCR."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from intake.tables import read_table
from ocr.engines import create_engine
from ocr.grid import Grid, find_grid
from ocr.settings import ReadSettings

FONT = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 28, index=2)
XS = [100, 200, 400, 520, 900, 1140]
HEADER = ["序号", "姓名", "性别", "身份证号", "手机"]
PEOPLE = [("1", "张三丰", "男", "371602199003071213", "13812345678"),
          ("2", "李四", "女", "37160219850411122X", "13912345678"),
          ("3", "王五", "男", "371602197712301216", "15012345678")]


@pytest.fixture(scope="module")
def engine():
    return create_engine("rapidocr")


def draw(rows_ruled: bool, two_lines: bool = False) -> np.ndarray:
    """A roster: a header row, then one row per person, ruled apart or not; with `two_lines` every cell
    carries a second line under its value, as a timetable's teacher under the subject."""
    row_height = 120 if two_lines else 70
    ys = [200, 270] + [270 + row_height * (i + 1) for i in range(len(PEOPLE))]
    img = Image.new("RGB", (1300, 800), "white")
    d = ImageDraw.Draw(img)
    rule(d, XS, ys if rows_ruled else [ys[0], ys[1], ys[-1]])
    for c, text in enumerate(HEADER):
        d.text((XS[c] + 10, ys[0] + 18), text, font=FONT, fill="black")
    for r, person in enumerate(PEOPLE):
        for c, text in enumerate(person):
            top = ys[r + 1] + 18
            d.text((XS[c] + 10, top), text, font=FONT, fill="black")
            if two_lines:
                d.text((XS[c] + 10, top + 46), "备注", font=FONT, fill="black")
    return np.array(img)[:, :, ::-1].copy()


def read(image: np.ndarray, engine):
    grid = find_grid(image)
    assert grid is not None
    return read_table(image, grid, engine, None, ReadSettings())


def rule(d: ImageDraw.ImageDraw, xs: list[int], rows: list[int]) -> None:
    """Row rules at `rows` across the table, column rules at `xs` from the first row rule to the last."""
    for y in rows:
        d.line([(xs[0], y), (xs[-1], y)], fill="black", width=3)
    for x in xs:
        d.line([(x, rows[0]), (x, rows[-1])], fill="black", width=3)


def test_each_ruled_row_is_one_trainee(engine):
    table = read(draw(rows_ruled=True), engine)
    assert [row[table.columns["id_number"]].text for row in table.rows] == [p[3] for p in PEOPLE]


def test_trainees_not_ruled_apart_are_split_by_their_lines(engine):
    table = read(draw(rows_ruled=False), engine)
    assert [row[table.columns["name"]].text for row in table.rows] == [p[1] for p in PEOPLE]


def test_ruled_rows_of_two_lines_each_are_not_split(engine):
    table = read(draw(rows_ruled=True, two_lines=True), engine)
    assert len(table.rows) == len(PEOPLE)
    assert [row[table.columns["id_number"]].text[:18] for row in table.rows] == [p[3] for p in PEOPLE]


def test_a_value_written_once_for_trainees_not_ruled_apart_goes_to_each_of_them(engine):
    xs = [100, 200, 400, 800, 1000]
    ys = [200, 270, 270 + 70 * len(PEOPLE)]
    img = Image.new("RGB", (1300, 800), "white")
    d = ImageDraw.Draw(img)
    rule(d, xs, ys)
    for c, text in enumerate(["序号", "姓名", "身份证号", "专业（工种）"]):
        d.text((xs[c] + 10, ys[0] + 18), text, font=FONT, fill="black")
    for r, person in enumerate(PEOPLE):
        for c, text in enumerate((person[0], person[1], person[3])):
            d.text((xs[c] + 10, ys[1] + 18 + 70 * r), text, font=FONT, fill="black")
    middle = (ys[1] + ys[2]) // 2  # one profession for the class, wrapped in the middle of the band
    d.text((xs[3] + 10, middle - 44), "低压电工", font=FONT, fill="black")
    d.text((xs[3] + 10, middle + 4), "作业", font=FONT, fill="black")
    table = read(np.array(img)[:, :, ::-1].copy(), engine)
    assert [row[table.columns["name"]].text for row in table.rows] == [p[1] for p in PEOPLE]
    assert {row[table.columns["profession"]].text for row in table.rows} == {"低压电工作业"}


def test_a_header_whose_rule_underneath_was_not_drawn_keeps_the_first_trainee(engine):
    # Bundle seed 1013's agreement page 5: no rule under the repeated header, so the header and the first
    # trainee were one grid row; its words became the header ("序6", "姓名袁胜") and the trainee was lost.
    ys = [200, 340] + [340 + 70 * i for i in range(1, len(PEOPLE))]
    img = Image.new("RGB", (1300, 800), "white")
    d = ImageDraw.Draw(img)
    rule(d, XS, ys)
    for c, text in enumerate(HEADER):
        d.text((XS[c] + 10, ys[0] + 14), text, font=FONT, fill="black")
    for r, person in enumerate(PEOPLE):
        for c, text in enumerate(person):
            d.text((XS[c] + 10, (ys[0] + 80 if r == 0 else ys[r] + 18)), text, font=FONT, fill="black")
    table = read(np.array(img)[:, :, ::-1].copy(), engine)
    assert table.header == HEADER
    assert [row[table.columns["id_number"]].text for row in table.rows] == [p[3] for p in PEOPLE]


def test_a_header_over_two_trainees_with_a_rule_under_a_group_label_only(engine):
    # Bundle seed 1013's agreement page 4: ruled round pairs of trainees, no rule under the header, a short
    # rule under 联系方式 over 手机号码 that cut every other label in half; no header was found.
    xs = [100, 180, 340, 420, 780, 1000, 1250]
    labels = ["序号", "姓名", "性别", "身份证号", "联系方式", "签字"]
    people = [*PEOPLE, ("4", "赵六", "女", "110105194912310021", "13612345678")]
    img = Image.new("RGB", (1400, 900), "white")
    d = ImageDraw.Draw(img)
    top, line = 200, 70
    ys = [top, top + 60 + 2 * line, top + 60 + 3 * line, top + 60 + 4 * line]  # header+1+2 | 3 | 4
    rule(d, xs, ys)
    d.line([(xs[4], top + 30), (xs[5], top + 30)], fill="black", width=2)  # under 联系方式 only
    for c, text in enumerate(labels):
        d.text((xs[c] + 8, top + 16 if c != 4 else top), text, font=FONT, fill="black")
    d.text((xs[4] + 8, top + 32), "手机号码", font=FONT, fill="black")
    for r, person in enumerate(people):
        y = top + 60 + line * r + 18
        for c, text in enumerate((person[0], person[1], person[2], person[3], person[4])):
            d.text((xs[c] + 8, y), text, font=FONT, fill="black")
    table = read(np.array(img)[:, :, ::-1].copy(), engine)
    assert {"seq", "name", "id_number", "phone", "signature"} <= set(table.columns)
    assert [row[table.columns["id_number"]].text for row in table.rows] == [p[3] for p in people]


def test_a_borderless_table_s_header_under_a_group_label_is_found_above_its_rows(engine):
    # Bundle seed 1012's roster: no rules, 取证情况 over 专业（工种） | 证书编号 and two-line labels (序/号, 性/别)
    # crossing the values' rivers; the table was found from its first trainee down, headerless, and the roster
    # gave nobody's fields.
    xs = [100, 260, 340, 680, 940, 1240]
    people = [(p[1], p[0], p[3], p[4], "高压电工作业", p[3]) for p in PEOPLE * 2]
    img = Image.new("RGB", (1700, 1000), "white")
    d = ImageDraw.Draw(img)
    d.text((1180, 200), "取证情况", font=FONT, fill="black")
    for x, label in zip(xs, ["姓名", "序", "身份证件号码", "联系电话", "专业（工种）", "证书编号"], strict=False):
        d.text((x + 10, 250), label, font=FONT, fill="black")
    d.text((xs[1] + 10, 285), "号", font=FONT, fill="black")
    for r, person in enumerate(people):
        for c, text in enumerate(person):
            d.text((xs[c] + 10, 340 + 55 * r), text, font=FONT, fill="black")
    image = np.array(img)[:, :, ::-1].copy()
    found = find_grid(image)
    assert found is not None and found.ruled == "text"
    # As the grid finder left it on that page: from the first trainee down (its header lines crossed rivers).
    first_row = next(k for k, y in enumerate(found.ys) if y > 320)
    grid = Grid(found.xs, found.ys[first_row:], (), "text")
    table = read_table(image, grid, engine, None, ReadSettings())
    assert {"name", "seq", "id_number", "phone", "profession", "certificate_no"} <= set(table.columns)
    assert [row[table.columns["name"]].text for row in table.rows] == [p[0] for p in people]


def test_two_trainees_in_one_ruled_band_split_though_a_wrapped_value_has_as_many_lines():
    # Bundle seed 1008's roster page 5: two trainees between two rules, the class code wrapped in two lines
    # centred between theirs; every column of two lines had to align, so the band stayed one trainee.
    from intake.tables import _common_line_count
    from ocr.types import Box

    def two(y0: int, y1: int) -> list[Box]:
        return [Box(0, y0, 50, y0 + 25), Box(0, y1, 50, y1 + 25)]

    lines = [two(175, 290), two(171, 285), two(175, 290), two(212, 256)]  # seq, name, ID, a wrapped code
    assert _common_line_count(lines, [0, 1, 2, 3]) == (2, [0, 1, 2])


def test_a_label_the_rivers_cut_in_two_makes_one_column_again():
    # Bundle seed 1110's borderless agreement: 签字 | (手印或盖章) read as two columns, the signatures under the
    # second half, the first half's empty cells "unsigned": four false missing_signature.
    from intake.tables import _labels_made_whole
    from ocr.cells import CellText

    grid = Grid((0, 100, 200, 300, 400), (0, 50, 100), (), "text")
    header = [CellText(t, 0.99, grid.cell(0, c)) for c, t in enumerate(["序号", "姓名", "签字", "(手印或盖章)"])]
    whole = _labels_made_whole(grid, [header], 0, 1, {"seq": 0, "name": 1, "signature": 2})
    assert whole is not None and whole.xs == (0, 100, 200, 400)
    assert _labels_made_whole(grid, [header], 0, 1, {"seq": 0, "name": 1, "signature": 2, "remark": 3}) is None
