"""What one source says about one trainee: a roster row, an agreement row, a certificate card, a records row.

Every field a source gives is kept as a `FieldReading` (what was written, its normalised value, whether it is well
formed, how sure the recogniser was, where on which page). The sources are grouped into people
(intake/people.py) and each field is then decided from all of its readings (intake/consensus.py); nothing
is decided from one reading alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocr.marks.base import MarkVerdict

# The sources a trainee's fields are read from; the order breaks ties (the stamped roster first).
SOURCES = ("roster", "agreement", "certificate", "records")


@dataclass(frozen=True, slots=True)
class FieldReading:
    field: str
    raw: str
    value: str
    valid: bool
    confidence: float
    box: tuple[int, int, int, int] | None = None
    # "" read once; "repaired" the check character repaired it; "reread" a second look gave the same text.
    doubt: str = ""
    repaired_from: str = ""


@dataclass(slots=True)
class Witness:
    source: str
    page: int
    row: int | None              # 0-based data row on its page (records: the spreadsheet's row number)
    readings: dict[str, FieldReading] = field(default_factory=dict)
    signature: MarkVerdict | None = None
    signature_box: tuple[int, int, int, int] | None = None
    document: int | None = None  # index of the document it came from
    # A certificate card's own facts (kind, issue date, validity, authority), for the rules and the reviewer.
    card: dict[str, Any] | None = None
    label: str = ""              # how a reviewer finds it: "records.xlsx 第3行", "第2页第5行"

    def value(self, name: str) -> str:
        reading = self.readings.get(name)
        return reading.value if reading else ""

    def valid(self, name: str) -> bool:
        reading = self.readings.get(name)
        return bool(reading and reading.valid)

    def is_blank(self) -> bool:
        return not (self.value("name") or self.value("id_number"))
