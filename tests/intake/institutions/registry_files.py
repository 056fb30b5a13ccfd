"""Registry lists for tests, written as the departments' Excel or CSV files are."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl

from tests.bundlegen.credit_codes import credit_code

HEADER = ("机构名称", "统一社会信用代码", "认定类别", "认定部门", "认定文号", "有效期起", "有效期止", "取消资格日期",
          "取消资格原因")


def code(n: int) -> str:
    return credit_code(random.Random(f"institution-{n}"))


def write_xlsx(path: Path, rows: list[tuple], header: tuple[str, ...] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "认定机构"
    sheet.append(["滨州市安全技能培训机构名录"])  # a title row above the header, as published lists have
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_csv(path: Path, rows: list[tuple], header: tuple[str, ...] = HEADER) -> Path:
    lines = [",".join(header), *(",".join("" if v is None else str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
