"""The class's Excel records (records.xlsx): what the institution keeps about each trainee, to check a
bundle against. One row per person, in the true values (not the roster's typos).

The house export has fixed headers and real date cells; a wide bundle's export is typed by someone
with their own habits: other headers and column orders, a title row, the training as one text cell
("8月4日-8月23日"), the period as "9期", the profession as they say it.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.bundlegen import writing
from tests.bundlegen.content import BundleContent
from tests.bundlegen.dates import format_date
from tests.bundlegen.rng import derive_seed
from tests.bundlegen.style import Style

HEADERS = ("姓名", "性别", "身份证号码", "手机号码", "培训工种", "班期", "培训开始日期", "培训结束日期", "备案日期")
WIDE_HEADERS = {"seq": ("序号",), "name": ("姓名", "学员姓名"), "gender": ("性别",),
                "id_number": ("身份证号码", "身份证号", "证件号码", "公民身份号码"),
                "phone": ("手机号码", "联系电话", "手机"),
                "profession": ("培训工种", "专业（工种）", "培训专业", "工种"),
                "class_period": ("班期", "期次", "培训期次"), "training_date": ("培训日期", "培训时间", "培训起止日期"),
                "training_start": ("培训开始日期", "开始日期"), "training_end": ("培训结束日期", "结束日期")}
TEXT_COLUMNS = ("id_number", "phone")   # numbers that are text: never 3.7e17


def write_records(content: BundleContent, path: Path, style: Style | None = None) -> None:
    if style is not None and style.wide:
        _write_wide(content, path, style)
        return
    k = content.klass
    book = Workbook()
    sheet = book.active
    sheet.title = "学员名单"
    sheet.append(list(HEADERS))
    for p in _people(content):
        sheet.append([p.name, p.gender, p.id_number, p.phone, k.profession.item, k.class_period,
                      k.training_start, k.training_end, k.filing_date])
        row = sheet.max_row
        sheet.cell(row, 3).number_format = "@"   # an ID number is text: never 3.7e17
        sheet.cell(row, 4).number_format = "@"
        for col in (7, 8, 9):
            sheet.cell(row, col).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGHI", (10, 6, 22, 14, 24, 16, 14, 14, 14), strict=True):
        sheet.column_dimensions[col].width = width
    book.save(path)


def _people(content: BundleContent) -> list[Any]:
    seen: set[str] = set()
    out = []
    for t in content.trainees:
        if t.person.id_number not in seen:
            seen.add(t.person.id_number)
            out.append(t.person)
    return out


def _write_wide(content: BundleContent, path: Path, style: Style) -> None:
    k = content.klass
    habits = style.habits["records"]
    rng = random.Random(derive_seed(style.roster_table().seed, "records"))
    one_range = rng.random() < 0.5
    columns = ["name", "gender", "id_number", "phone", "profession", "class_period"]
    columns += ["training_date"] if one_range else ["training_start", "training_end"]
    if rng.random() < 0.4:
        a, b = rng.sample(range(2, len(columns)), 2)
        columns[a], columns[b] = columns[b], columns[a]
    if rng.random() < 0.5:
        columns.insert(0, "seq")
    dates_as_text = rng.random() < 0.4
    profession = writing.profession_text(k.profession, habits.profession, rng)
    period = writing.period_text(k.training_start.year, k.period_number, k.period_code, habits.period)
    book = Workbook()
    sheet = book.active
    sheet.title = rng.choice(("学员名单", "Sheet1", "花名册", "学员信息"))
    if rng.random() < 0.4:   # a title row above the header, as exports often have
        sheet.append([f"{k.institution}{k.year}年培训学员名单"])
    sheet.append([rng.choice(WIDE_HEADERS[c]) for c in columns])
    for i, p in enumerate(_people(content)):
        values = {"seq": i + 1, "name": writing.name_text(p.name, habits.pad_names), "gender": p.gender,
                  "id_number": p.id_number, "phone": p.phone, "profession": profession, "class_period": period,
                  "training_date": writing.range_text(k.training_start, k.training_end, habits.range_format),
                  "training_start": format_date(k.training_start, "dotted") if dates_as_text else k.training_start,
                  "training_end": format_date(k.training_end, "dotted") if dates_as_text else k.training_end}
        sheet.append([values[c] for c in columns])
        for j, c in enumerate(columns, start=1):
            if c in TEXT_COLUMNS:
                sheet.cell(sheet.max_row, j).number_format = "@"
            elif c in ("training_start", "training_end") and not dates_as_text:
                sheet.cell(sheet.max_row, j).number_format = "yyyy-mm-dd"
    book.save(path)
