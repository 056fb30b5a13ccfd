"""The roster, the publicity list and the quarterly report as .xlsx (openpyxl).

The roster sheet is what the provincial information system imports: one header row with the roster's
nine column names, one row per trainee, every value as text (an ID number as a number loses its last
digits and its X). The other sheets follow the same plain layout so they can be filtered and summed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

ROSTER_COLUMNS = (("序号", "number", 6), ("姓名", "name", 12), ("性别", "gender", 6), ("身份证号", "id_number", 22),
                  ("手机", "phone", 14), ("专业（工种）", "profession", 22), ("证书编号", "certificate_no", 24),
                  ("培训日期", "training_date", 24), ("班期", "class_period", 14))
PUBLICITY_COLUMNS = (("序号", "number", 6), ("姓名", "name", 12), ("身份证号码", "id_number", 22),
                     ("手机", "phone", 14), ("专业（工种）", "profession", 22), ("证书编号", "certificate_no", 24),
                     ("培训机构", "institution", 30), ("补贴金额（元）", "amount_text", 14))
QUARTERLY_COLUMNS = (("序号", "number", 6), ("培训机构", "institution", 30), ("专业（工种）", "profession", 22),
                     ("培训人数", "trained", 10), ("取证人数", "certified", 10), ("申领人数", "claimed", 10),
                     ("审核通过人数", "approved", 12), ("已拨付人数", "paid", 10),
                     ("申领金额（元）", "claimed_amount", 14), ("核准金额（元）", "approved_amount", 14),
                     ("已拨付金额（元）", "paid_amount", 14))
TEXT = "@"


def _value(row: Any, key: str) -> Any:
    return row.get(key, "") if isinstance(row, dict) else getattr(row, key, "")


def write_sheet(path: Path, title: str, columns: Sequence[tuple[str, str, int]], rows: Sequence[Any],
                numeric: Sequence[str] = ()) -> Path:
    """One sheet: bold frozen header row, then the rows; text cells stored as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([c[0] for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        values = []
        for _, key, _ in columns:
            value = _value(row, key)
            values.append(value if key in numeric and isinstance(value, int) else str(value))
        sheet.append(values)
        for cell, (_, key, _) in zip(sheet[sheet.max_row], columns, strict=True):
            if key not in numeric:
                cell.number_format = TEXT
    for i, (_, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def roster_xlsx(trainees: Sequence[Any], path: Path) -> Path:
    return write_sheet(path, "花名册", ROSTER_COLUMNS, trainees, numeric=("number",))


def publicity_xlsx(context: dict[str, Any], path: Path) -> Path:
    rows = [{**t, "institution": context["institution"]} for t in context["trainees"]]
    return write_sheet(path, "公示名单", PUBLICITY_COLUMNS, rows, numeric=("number",))


def quarterly_xlsx(context: dict[str, Any], path: Path) -> Path:
    counts = ("number", "trained", "certified", "claimed", "approved", "paid")
    return write_sheet(path, f"季报{context['quarter']}", QUARTERLY_COLUMNS, [*context["rows"], context["total"]],
                       numeric=counts)
