"""The class's Excel records (records.xlsx): what the institution keeps about each trainee, to check a
bundle against. One row per person, in the true values (not the roster's typos)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tests.bundlegen.content import BundleContent

HEADERS = ("姓名", "性别", "身份证号码", "手机号码", "培训工种", "班期", "培训开始日期", "培训结束日期")


def write_records(content: BundleContent, path: Path) -> None:
    k = content.klass
    book = Workbook()
    sheet = book.active
    sheet.title = "学员名单"
    sheet.append(list(HEADERS))
    seen: set[str] = set()
    for t in content.trainees:
        p = t.person
        if p.id_number in seen:
            continue
        seen.add(p.id_number)
        sheet.append([p.name, p.gender, p.id_number, p.phone, k.profession.item, k.class_period,
                      k.training_start, k.training_end])
        row = sheet.max_row
        sheet.cell(row, 3).number_format = "@"   # an ID number is text: never 3.7e17
        sheet.cell(row, 4).number_format = "@"
        for col in (7, 8):
            sheet.cell(row, col).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGH", (10, 6, 22, 14, 24, 16, 14, 14), strict=True):
        sheet.column_dimensions[col].width = width
    book.save(path)
