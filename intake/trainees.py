"""Trainees out of the roster and agreement tables: one entry per person, each field with its witness.

Roster rows come first and in order; an agreement row joins the roster entry with the same ID
number (or, when the ID was misread beyond repair, the same name); an agreement row that matches
nobody becomes an entry of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from intake.documents import Document
from intake.fields.certificate_numbers import normalize_certificate_no
from intake.fields.dates import parse_date_range, year_hint
from intake.fields.id_numbers import correct_id, gender_from_id, normalize_id_text, validate_id
from intake.fields.names import normalize_gender, normalize_name
from intake.fields.phones import normalize_phone
from intake.fields.professions import match_profession
from intake.fields.text import compact
from intake.header_fields import document_fields
from intake.result import TRAINEE_FIELDS, Evidence, TraineeResult
from ocr.cells import CellText
from ocr.marks.base import MarkVerdict

# Below this recogniser confidence a value is shown to a reviewer even when it parses.
LOW_CONFIDENCE = 0.85
ROW_FIELDS = TRAINEE_FIELDS


@dataclass(slots=True)
class Row:
    """One table row with its cells by field, and where it stands."""

    document: str
    page: int
    index: int
    cells: dict[str, CellText]
    signature: MarkVerdict | None = None

    def raw(self, field: str) -> str:
        cell = self.cells.get(field)
        return cell.text if cell else ""

    def is_blank(self) -> bool:
        return not any(self.raw(f).strip() for f in ("name", "id_number"))


def table_rows(doc: Document) -> list[Row]:
    """The document's data rows across its pages, blank rows dropped."""
    columns = doc.columns
    rows = []
    for page in doc.pages:
        table = page.table
        if table is None:
            continue
        cols = table.columns or (columns if table.grid.n_cols == doc.n_cols else {})
        marks = table.marks.get(cols["signature"], []) if "signature" in cols else []
        for i, cells in enumerate(table.rows):
            row = Row(doc.kind, page.number, i, {f: cells[c] for f, c in cols.items() if c < len(cells)},
                      marks[i] if i < len(marks) else None)
            if not row.is_blank():
                rows.append(row)
    return rows


def assemble_trainees(documents: list[Document]) -> list[TraineeResult]:
    trainees: list[TraineeResult] = []
    # The roster is the primary witness whatever order the pages came in; agreement rows join it.
    for doc in sorted((d for d in documents if d.kind in ("roster", "agreement")), key=lambda d: d.kind != "roster"):
        default_year = _document_year(doc)
        for row in table_rows(doc):
            read = read_row(row, default_year)
            match = _find(trainees, read) if doc.kind == "agreement" else None
            if match is None:
                trainees.append(read)
            else:
                _merge(match, read)
    flag_duplicates(trainees)
    return trainees


def read_row(row: Row, default_year: int | None) -> TraineeResult:
    t = TraineeResult()

    def witness(field: str, value: str) -> None:
        cell = row.cells.get(field)
        if cell is None:
            return
        t.evidence.append(Evidence(row.document, row.page, field, value, cell.text, cell.confidence,
                                   cell.box.as_list(), row.index))
        if cell.text and cell.confidence < LOW_CONFIDENCE:
            t.flag("low_confidence")

    t.name = normalize_name(row.raw("name"))
    witness("name", t.name)
    if "name" in row.cells and _characters_missing(row.cells["name"], t.name):
        t.flag("low_confidence")
    _read_id(t, row)
    witness("id_number", t.id_number)
    t.gender = normalize_gender(row.raw("gender")) or ""
    witness("gender", t.gender)
    phone = normalize_phone(row.raw("phone"))
    t.phone = phone.value if phone.valid else phone.digits
    witness("phone", t.phone)
    profession = match_profession(row.raw("profession"))
    t.profession = profession.item if profession else compact(row.raw("profession"))
    witness("profession", t.profession)
    t.certificate_no = normalize_certificate_no(row.raw("certificate_no"))
    witness("certificate_no", t.certificate_no)
    t.class_period = compact(row.raw("class_period"))
    witness("class_period", t.class_period)
    year = year_hint(t.class_period) or default_year
    t.training_date = parse_date_range(row.raw("training_date"), default_year=year) or ""
    witness("training_date", t.training_date)
    if row.signature is not None:
        _read_signature(t, row, row.signature)
    return t


# Printed CJK names are about as wide as tall per character (0.95-1.12 in scans); a line much wider than
# its reading says the recogniser left out characters it does not know (燚, 䶮, 堃).
MAX_WIDTH_PER_CHARACTER = 1.3


def _characters_missing(cell: CellText, name: str) -> bool:
    if not cell.lines or not name:
        return False
    width = sum(b.width for b in cell.lines)
    height = max(b.height for b in cell.lines)
    return width / max(height, 1) / len(name) > MAX_WIDTH_PER_CHARACTER


def _read_signature(t: TraineeResult, row: Row, mark: MarkVerdict) -> None:
    t.signed = mark.present
    box = row.cells["signature"].box if "signature" in row.cells else mark.box
    t.evidence.append(Evidence(row.document, row.page, "signature", mark.kind, "", mark.confidence,
                               box.as_list() if box else [], row.index))
    if not mark.present:
        t.flag("missing_signature")


def _read_id(t: TraineeResult, row: Row) -> None:
    raw = row.raw("id_number")
    if not raw:
        return
    fixed = correct_id(normalize_id_text(raw))
    t.id_number = fixed.value
    if fixed.corrected:
        t.corrections.append({"field": "id_number", "from": fixed.original, "to": fixed.value,
                              "reason": "check_character", "page": row.page})
    if not validate_id(t.id_number).valid:
        t.flag("invalid_id_number")


def check_gender(t: TraineeResult) -> None:
    """The gender printed against the ID's 17th digit; run once every witness had its say on the ID."""
    if not t.id_number or not validate_id(t.id_number).valid:
        return
    expected = gender_from_id(t.id_number)
    if not t.gender:
        t.gender = expected
    elif t.gender != expected:
        t.flag("gender_id_mismatch")


def _document_year(doc: Document) -> int | None:
    fields = document_fields(doc)
    for key in ("year", "fill_date", "class_period", "training_date"):
        value = fields.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and (y := year_hint(value)):
            return y
    return None


def _find(trainees: list[TraineeResult], other: TraineeResult) -> TraineeResult | None:
    if other.id_number:
        for t in trainees:
            if t.id_number == other.id_number:
                return t
    if other.name:
        named = [t for t in trainees if t.name == other.name]
        if len(named) == 1:
            return named[0]
    return None


def _merge(into: TraineeResult, other: TraineeResult) -> None:
    """Keep the roster's values; fill what the roster lacked; flag what the two papers disagree on;
    keep every witness."""
    for field in ROW_FIELDS:
        ours, theirs = getattr(into, field), getattr(other, field)
        if not ours and theirs:
            setattr(into, field, theirs)
        elif ours and theirs and ours != theirs:
            into.flag("field_mismatch")
    # An ID the check character repaired may have been misprinted on that paper, not misread: the
    # number as printed still differs from the roster's, and a reviewer should see which it was.
    if any(c["field"] == "id_number" and c["from"] != into.id_number for c in other.corrections):
        into.flag("field_mismatch")
    if other.signed is not None:
        into.signed = other.signed
    into.evidence.extend(other.evidence)
    into.corrections.extend(other.corrections)
    for flag in other.flags:
        # The agreement's misread ID is a mismatch (flagged above), not an invalid number of the trainee's.
        if flag != "invalid_id_number" or not validate_id(into.id_number).valid:
            into.flag(flag)


def flag_duplicates(trainees: list[TraineeResult]) -> None:
    counts = Counter(t.id_number for t in trainees if t.id_number)
    for t in trainees:
        if t.id_number and counts[t.id_number] > 1:
            t.flag("duplicate_in_bundle")
