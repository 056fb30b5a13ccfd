"""The documents as .xlsx (openpyxl): the form's label, title and header lines above the table, its footer
below, the table with counts and amounts as numbers and everything else as text (an ID number as a
number loses its last digits and its X).

The lines above and below the table are read from the filled .docx, so a bureau's edited template words
both files alike; the table's cells come typed from the generator's context. Printing repeats the
table's header row on every page, like the documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from intake.fields import (
    certificate_numbers,
    class_periods,
    dates,
    genders,
    id_numbers,
    institutions,
    names,
    phones,
    professions,
)

TEXT, COUNT, MONEY = "@", "0", "#,##0.00"
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: float
    kind: str = "text"  # text | count | money

    @property
    def number_format(self) -> str:
        return {"count": COUNT, "money": MONEY}.get(self.kind, TEXT)


@dataclass(frozen=True)
class Line:
    """A line of the form outside its table; bold lines are titles."""

    text: str
    bold: bool = False
    align: str = "left"


@dataclass
class FormSheet:
    name: str
    columns: Sequence[Column]
    rows: Sequence[Any]
    above: Sequence[Line] = ()
    below: Sequence[Line] = ()
    closing: Sequence[dict[str, Any]] = field(default_factory=list)  # rows after the table body (合计)
    landscape: bool = True


def _n(header: str, key: str, width: float) -> Column:
    return Column(header, key, width, "count")


def _m(header: str, key: str, width: float) -> Column:
    return Column(header, key, width, "money")


ROSTER_COLUMNS = (_n("序号", "number", 6), Column(names.TITLE, "name", 12), Column(genders.TITLE, "gender", 6),
                  Column(id_numbers.TITLE, "id_number", 22), Column(phones.TITLE, "phone", 14),
                  Column(professions.TITLE, "profession", 22), Column(certificate_numbers.TITLE, "certificate_no", 24),
                  Column(dates.TITLE, "training_date", 24), Column(class_periods.TITLE, "class_period", 14))
AGREEMENT_COLUMNS = (_n("序号", "number", 6), Column(names.TITLE, "name", 12), Column(genders.TITLE, "gender", 6),
                     Column(id_numbers.FORM_TITLE, "id_number", 22), Column(phones.TITLE, "phone", 14),
                     Column("签字（手印或盖章）", "signature", 24))
PUBLICITY_COLUMNS = (_n("序号", "number", 6), Column(names.TITLE, "name", 12),
                     Column(id_numbers.FORM_TITLE, "id_number", 22), Column(phones.TITLE, "phone", 14),
                     Column(professions.TITLE, "profession", 22),
                     Column(certificate_numbers.TITLE, "certificate_no", 24),
                     Column(institutions.TITLE, "institution", 30),
                     _m("补贴金额（元）", "amount", 14))
QUARTERLY_COLUMNS = (_n("序号", "number", 6), Column(institutions.TITLE, "institution", 30),
                     Column(professions.TITLE, "profession", 22), _n("培训人数", "trained", 10),
                     _n("取证人数", "certified", 10), _n("申领补贴人数", "claimed", 12),
                     _m("申领金额（元）", "claimed_amount_value", 14), _n("已拨付人数", "paid", 10),
                     _m("已拨付金额（元）", "paid_amount_value", 14))


def docx_lines(path: Path) -> tuple[list[Line], list[Line]]:
    """The paragraphs of a filled .docx before and after its (first) table, as the xlsx repeats them."""
    doc = Document(str(path))
    before: list[Line] = []
    after: list[Line] = []
    target = before
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            target = after
        elif child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text.strip():
                bold = any(b.get(qn("w:val"), "true") not in ("0", "false") for b in child.iter(qn("w:b")))
                jc = child.find(f"{qn('w:pPr')}/{qn('w:jc')}")
                align = {"center": "center", "right": "right", "end": "right"}.get(
                    jc.get(qn("w:val")) if jc is not None else "", "left")
                target.append(Line(text, bold, align))
    return before, after


def _value(row: Any, column: Column) -> Any:
    value = row.get(column.key, "") if isinstance(row, dict) else getattr(row, column.key, "")
    if column.kind == "text" or not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return "" if value is None else str(value)
    return value


def _line(sheet: Worksheet, line: Line, width: int, total_width: float) -> None:
    sheet.append([line.text])
    row = sheet.max_row
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = sheet.cell(row, 1)
    cell.font = Font(bold=line.bold, size=16 if line.bold else 11)
    cell.alignment = Alignment(horizontal=line.align, vertical="center", wrap_text=True)
    # A merged cell does not grow with its text: room for as many lines as the text needs (a CJK
    # character is about two width units).
    lines = max(1, ceil(len(line.text) * 2.1 / max(total_width, 1)))
    sheet.row_dimensions[row].height = (24 if line.bold else 16) * lines


def _table_row(sheet: Worksheet, values: list[Any], columns: Sequence[Column], bold: bool = False) -> None:
    sheet.append(values)
    for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
        cell.number_format = column.number_format
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if bold:
            cell.font = Font(bold=True)


def add_form_sheet(sheet: Worksheet, form: FormSheet) -> None:
    width = len(form.columns)
    total_width = sum(c.width for c in form.columns)
    for line in form.above:
        _line(sheet, line, width, total_width)
    _table_row(sheet, [c.header for c in form.columns], form.columns, bold=True)
    header_row = sheet.max_row
    for row in [*form.rows, *form.closing]:
        _table_row(sheet, [_value(row, c) for c in form.columns], form.columns)
    for line in form.below:
        _line(sheet, line, width, total_width)
    for i, column in enumerate(form.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if form.landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_forms(path: Path, forms: Sequence[FormSheet]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for form in forms:
        add_form_sheet(book.create_sheet("".join("_" if ch in "[]:*?/\\" else ch for ch in form.name)[:31]), form)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_sheet(path: Path, title: str, columns: Sequence[tuple[str, str, int]], rows: Sequence[Any],
                numeric: Sequence[str] = ()) -> Path:
    """A plain list: one header row, then the rows (the archive's ledger)."""
    typed = [Column(h, k, w, "count" if k in numeric else "text") for h, k, w in columns]
    return write_forms(path, [FormSheet(title, typed, rows)])


def _form(docx: Path, name: str, columns: Sequence[Column], rows: Sequence[Any], **extra: Any) -> FormSheet:
    above, below = docx_lines(docx)
    return FormSheet(name, columns, rows, above, below, **extra)


def roster_xlsx(context: dict[str, Any], docx: Path, path: Path) -> Path:
    return write_forms(path, [_form(docx, "花名册", ROSTER_COLUMNS, context["trainees"])])


def agreement_xlsx(classes: Sequence[tuple[dict[str, Any], Path]], path: Path) -> Path:
    """One sheet per class, as the .docx files are one per class."""
    forms = [_form(docx, klass["file_part"] or f"{class_periods.TITLE}{i}", AGREEMENT_COLUMNS, klass["trainees"],
                   landscape=False) for i, (klass, docx) in enumerate(classes, start=1)]
    return write_forms(path, forms)


def publicity_xlsx(context: dict[str, Any], docx: Path, path: Path) -> Path:
    rows = [{**t, "institution": context["institution"]} for t in context["trainees"]]
    closing = [{"number": "合计", "name": f"{context['count']}人", "amount": context["amount"]}]
    return write_forms(path, [_form(docx, "公示名单", PUBLICITY_COLUMNS, rows, closing=closing)])


def quarterly_xlsx(context: dict[str, Any], docx: Path, path: Path) -> Path:
    return write_forms(path, [_form(docx, f"季报{context['quarter']}", QUARTERLY_COLUMNS, context["rows"],
                                    closing=[context["total"]])])
