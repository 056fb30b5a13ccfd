"""Rows out of .xlsx, .xls and .csv files, as text, whatever the file's quirks.

The bureau's files come from Excel and from the provincial system's exports: numbers typed as
numbers (an ID number becomes 3.716e17 and loses its last digits), dates as dates or as serial
numbers or as text, CSV in UTF-8 or GBK. Everything is turned into text here, once, and cells
that lost information are named, not silently repaired.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ocr.errors import InputProblem

EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    # Rows of cell texts; `first_row` is the spreadsheet's number of rows[0] (1-based).
    rows: list[list[str]]
    first_row: int = 1


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook (one for CSV); InputProblem when the file is not a readable table."""
    data = path.read_bytes() if path.exists() else None
    if data is None:
        raise InputProblem(path.name, "文件不存在 (no such file)")
    if not data:
        raise InputProblem(path.name, "文件为空 (empty file)")
    suffix = path.suffix.lower()
    try:
        if data[:4] == b"PK\x03\x04":
            return _xlsx(data)
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return _xls(data)
        if suffix in (".xlsx", ".xls", ".xlsm"):
            raise InputProblem(path.name, "不是 Excel 文件 (not an Excel workbook)")
        return [Sheet(path.stem, _csv(data))]
    except InputProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's problem, named as such
        raise InputProblem(path.name, f"无法读取表格 (unreadable spreadsheet: {type(exc).__name__})") from exc


def _xlsx(data: bytes) -> list[Sheet]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    for ws in book.worksheets:
        rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        sheets.append(Sheet(ws.title, rows))
    book.close()
    return sheets


def _xls(data: bytes) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data)
    sheets = []
    for ws in book.sheets():
        rows = []
        for r in range(ws.nrows):
            row = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                else:
                    row.append(cell_text(cell.value))
            rows.append(row)
        sheets.append(Sheet(ws.name, rows))
    return sheets


def _csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("not text")
    if "\x00" in text:
        raise ValueError("binary data")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, big floats marked as damaged."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            # Excel keeps 15 significant digits: an 18-digit ID typed as a number is damaged.
            return str(int(value)) if abs(value) < 1e15 else f"{value:.15g}"
        return repr(value)
    return str(value).strip()


def excel_serial_date(text: str) -> str | None:
    """An Excel serial day number (e.g. '43952') as an ISO date, for dates stored as numbers."""
    try:
        serial = float(text)
    except ValueError:
        return None
    if not 20000 < serial < 80000:  # 1954..2119
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()
