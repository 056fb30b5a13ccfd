"""The roster's and the agreement's table rows as witnesses, across the pages of their document.

A row's cells are read by the column each lies in; what a narrow or missing column made one cell carry is
put back where it belongs by the fields' grammar ("陈杰强男" with no gender column is a name and a gender,
"男3716…" a gender and an ID number). A band that carries neither a running number, a name nor an ID
number is the second line of the row above (a long profession or date wrapped without a rule), not a
trainee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.documents import Document, field_cells
from intake.fields.grammar import TRAINEE_FIELDS, normalize
from intake.fields.text import compact
from intake.witness import FieldReading, Witness
from ocr.cells import CellText
from ocr.marks.base import MarkVerdict

GENDERS = ("男", "女")


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

    def is_continuation(self) -> bool:
        """No running number, name or ID, but text elsewhere: the wrapped second line of the row above."""
        own = any(compact(self.raw(f)) for f in ("seq", "name", "id_number"))
        return not own and any(compact(c.text) for c in self.cells.values())


def table_rows(doc: Document) -> list[Row]:
    """The document's data rows across its pages; wrapped lines joined to their row, blank rows dropped.

    A page without a header (a continuation) takes the document's columns, matched by position.
    """
    rows: list[Row] = []
    for page in doc.pages:
        table = page.table
        if table is None:
            continue
        cols = doc.columns_of(page)
        marks = table.marks.get(cols["signature"], []) if "signature" in cols else []
        for i, cells in enumerate(table.rows):
            row = Row(doc.kind, page.number, i, field_cells(cols, cells), marks[i] if i < len(marks) else None)
            if row.is_continuation() and rows and rows[-1].page == page.number:
                _join_wrapped(rows[-1], row)
            elif not row.is_blank():
                rows.append(row)
    return rows


def _join_wrapped(row: Row, wrapped: Row) -> None:
    for field, cell in wrapped.cells.items():
        if not cell.text or field not in row.cells:
            continue
        above = row.cells[field]
        row.cells[field] = CellText(above.text + cell.text, min(above.confidence, cell.confidence),
                                    above.box.union(cell.box), above.lines + cell.lines,
                                    above.line_texts + cell.line_texts,
                                    above.line_confidences + cell.line_confidences)


def row_witness(row: Row, year: int | None, document: int | None = None) -> Witness:
    """What one row says, each field normalised by its grammar after glued values are put back."""
    raw = {field: row.raw(field) for field in TRAINEE_FIELDS if field in row.cells}
    if "training_date" not in raw and ("training_start" in row.cells or "training_end" in row.cells):
        # A date column split under its header into 开始 / 结束: one range.
        raw["training_date"] = f"{row.raw('training_start')}-{row.raw('training_end')}".strip("-")
    raw = split_glued(raw)
    witness = Witness(row.document, row.page, row.index, document=document, signature=row.signature,
                      label=f"第{row.page}页第{row.index + 1}行")
    for field, text in raw.items():
        cell = row.cells.get(field) or row.cells.get("training_start")
        value = normalize(field, text, year)
        if not text and not value.value:
            continue
        box = tuple(cell.box.as_list()) if cell else None
        confidence = cell.confidence if cell else 0.5
        witness.readings[field] = FieldReading(field, text, value.value, value.valid, confidence, box,
                                               repaired_from=value.repaired_from)
    if "signature" in row.cells:
        witness.signature_box = tuple(row.cells["signature"].box.as_list())
    elif row.signature is not None and row.signature.box is not None:
        witness.signature_box = tuple(row.signature.box.as_list())
    return witness


_ID_RUN = re.compile(r"\d{15,17}[\dXx]")
# An ID number and a mobile number with nothing between (a digit more or less is a misread run, not two).
_ID_AND_PHONE = re.compile(r"(\d{17}[\dXx])(1\d{10})")


def split_glued(raw: dict[str, str]) -> dict[str, str]:
    """Values a neighbour's cell carried, moved to their own field: a gender run into the name, an ID
    number run into the gender or the name, a phone run onto the ID number."""
    out = dict(raw)
    name = compact(out.get("name", ""))
    gender = compact(out.get("gender", ""))
    if (found := _ID_RUN.search(name)) and not compact(out.get("id_number", "")):
        out["id_number"], name = found.group(0), name[:found.start()] + name[found.end():]
    # Only where the gender cell is empty: a name of its own may end in 男 (张家男).
    if len(name) >= 3 and name[-1] in GENDERS and not gender:
        out["gender"], name = name[-1], name[:-1]
    elif len(name) >= 3 and name[0] in GENDERS and not gender:
        # No surname is 男 or 女: a gender column printed left of the name ran into it.
        out["gender"], name = name[0], name[1:]
    if "name" in out:
        out["name"] = name
    if gender and len(gender) > 1 and gender[0] in GENDERS:
        rest = gender[1:]
        if _ID_RUN.fullmatch(rest) and not compact(out.get("id_number", "")):
            out["id_number"] = rest
        out["gender"] = gender[0]
    number = compact(out.get("id_number", ""))
    if (run := _ID_AND_PHONE.fullmatch(number)) and not compact(out.get("phone", "")):
        out["id_number"], out["phone"] = run.group(1), run.group(2)
    elif number[:1] in GENDERS and not out.get("gender"):
        out["gender"], out["id_number"] = number[0], number[1:]
    return out
