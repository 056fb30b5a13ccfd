"""The class's structured records: the Excel export of the provincial system, one row a trainee.

One reader for every use: `subsidy intake --records` and web jobs hold the scans against them (witnesses.py),
`subsidy records import` stores them (store/class_records.py). Columns are found by their header text (any
order, full- or half-width brackets), the same way as the scanned tables' columns, so the two kinds of
witness speak the same field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from intake.spreadsheets import read_sheets
from intake.tabular import find_table
from ocr.errors import InputProblem

# A records row is a person: without a name and an ID number it can neither witness nor be stored.
REQUIRED = ("name", "id_number")
# Columns of the forms that are no field of a record.
_NOT_FIELDS = ("seq", "signature")


@dataclass(frozen=True, slots=True)
class ClassRecord:
    source: str
    sheet: str
    row: int  # the spreadsheet's row number, as Excel shows it
    values: dict[str, str]

    def training_text(self) -> str:
        """The training's dates as one text: its column, or its start and end columns joined as a range."""
        values = self.values
        if values.get("training_date") or not (values.get("training_start") and values.get("training_end")):
            return values.get("training_date", "")
        return f"{values['training_start']}至{values['training_end']}"


def read_records(path: Path) -> list[ClassRecord]:
    """Every non-blank row under the header of the first sheet that names the required fields."""
    found = find_table(read_sheets(path), REQUIRED)
    if isinstance(found, str):
        raise InputProblem(path.name, found)
    records = []
    for row, values in found.rows:
        kept = {f: v for f, v in values.items() if f not in _NOT_FIELDS}
        if any(kept.values()):
            records.append(ClassRecord(path.name, found.sheet, row, kept))
    return records
