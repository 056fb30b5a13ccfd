"""The class's structured records: the Excel export of the provincial system, one row a trainee.

Columns are found by their header text (any order, full- or half-width brackets), the same way
as the scanned tables' columns, so the two kinds of witness speak the same field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from intake.columns import map_columns
from intake.spreadsheets import Sheet, read_sheets
from ocr.errors import InputProblem

HEADER_SEARCH_ROWS = 15
REQUIRED = ("name", "id_number")


@dataclass(frozen=True, slots=True)
class ClassRecord:
    source: str
    sheet: str
    row: int  # the spreadsheet's row number, as Excel shows it
    values: dict[str, str]


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The first row that names the required fields and at least three in all."""
    for i, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        columns = map_columns(row)
        if len(columns) >= 3 and all(f in columns for f in REQUIRED):
            return i, columns
    return None


def read_records(path: Path) -> list[ClassRecord]:
    """Every non-blank row under the header of the first sheet that has one."""
    for sheet in read_sheets(path):
        found = find_header(sheet)
        if found is None:
            continue
        header_index, columns = found
        records = []
        for offset, row in enumerate(sheet.rows[header_index + 1:], start=header_index + 1):
            values = {f: row[c].strip() if c < len(row) else "" for f, c in columns.items() if f != "seq"}
            if any(values.values()):
                records.append(ClassRecord(path.name, sheet.name, sheet.first_row + offset, values))
        return records
    raise InputProblem(path.name, "找不到含“姓名”“身份证号”的表头 (no header row naming 姓名 and 身份证号)")
