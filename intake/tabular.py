"""Header-driven reading of the bureau's spreadsheets into row dictionaries.

Shared by the ledger import and the class records: columns are found by their Chinese header text (any
order, full- or half-width brackets), with the same matching as the scanned tables' columns; what a cell
means is each field's own module's business (intake/fields).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from intake.columns import COLUMN_LABELS, map_columns
from intake.fields.text import half_width
from intake.spreadsheets import Sheet

HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, field -> text)


def find_table(sheets: Sequence[Sheet], required: Sequence[str],
               labels: dict[str, tuple[str, ...]] | None = None) -> Table | str:
    """The first sheet with a header row naming every required field, or the reason there is none.
    `labels` (field -> header labels) defaults to the forms' columns."""
    best_missing: list[str] | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            columns = map_columns(row, labels)
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
    names = "、".join((labels or COLUMN_LABELS)[f][0] for f in (best_missing or required))
    sheet_names = "、".join(s.name for s in sheets)
    return f"找不到含“{names}”列的表头（工作表：{sheet_names}）(no header row naming {names})"


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
