"""Header-driven reading of the bureau's spreadsheets into row dictionaries and typed values.

Shared by the ledger import and the class-records import: columns are found by their Chinese header text
(any order, full- or half-width brackets), dates may be Excel serials, dates or text, ID numbers may have
been damaged by Excel; each problem becomes a reason in words, for a row-numbered message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from intake.columns import map_columns
from intake.fields.dates import parse_date
from intake.fields.id_numbers import mask_id, validate_id
from intake.fields.text import half_width
from intake.spreadsheets import Sheet, excel_serial_date

HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, field -> text)


def map_headers(header: Sequence[str], labels: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field -> column index; each field and each column used once, best match first."""
    return map_columns(header, labels)


def find_table(sheets: Sequence[Sheet], labels: dict[str, tuple[str, ...]], required: Sequence[str]) -> Table | str:
    """The first sheet with a header row naming every required field, or the reason there is none."""
    best_missing: list[str] | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            columns = map_headers(row, labels)
            if len(columns) < 2:
                continue
            missing = [f for f in required if f not in columns]
            if not missing:
                rows = []
                for offset, cells in enumerate(sheet.rows[index + 1:], start=index + 1):
                    values = {f: (cells[c].strip() if c < len(cells) else "") for f, c in columns.items()}
                    if any(values.values()):
                        rows.append((sheet.first_row + offset, values))
                return Table(sheet.name, columns, rows)
            if best_missing is None or len(missing) < len(best_missing):
                best_missing = missing
    names = "、".join(labels[f][0] for f in (best_missing or required))
    sheet_names = "、".join(s.name for s in sheets)
    return f"找不到含“{names}”列的表头（工作表：{sheet_names}）(no header row naming {names})"


def read_id_number(text: str) -> tuple[str | None, str]:
    """A valid ID number, or None and the reason (masked: messages never print a full number)."""
    number = half_width(text).replace(" ", "").upper()
    if not number:
        return None, "身份证号为空"
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", number) or re.fullmatch(r"\d{16,}\.0", number):
        return None, "身份证号被 Excel 存成了数字，后几位已丢失，请将该列设为文本后重新导出"
    check = validate_id(number)
    if not check.valid:
        return None, f"身份证号 {mask_id(number)} 无效：{check.reason}"
    return number, ""


def read_date(text: str) -> dt.date | None:
    """A date typed as a date, an Excel serial number or text (2020-05-06, 2020年5月6日, 2020.5.6, 20200506)."""
    text = text.strip()
    if not text:
        return None
    iso = excel_serial_date(text) if re.fullmatch(r"\d{5}(\.\d+)?", text) else parse_date(text)
    return dt.date.fromisoformat(iso) if iso else None


def read_amount(text: str) -> Decimal | None:
    """An amount in yuan ('1000', '1,000.00', '1000元'); raises ValueError when it is not one."""
    cleaned = half_width(text).replace(",", "").replace("元", "").replace("¥", "").replace("￥", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"金额“{text}”不是数字") from exc
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError(f"金额“{text}”无效")
    return value
