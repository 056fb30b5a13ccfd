"""A bundle's pages grouped into documents, whatever order the clerk scanned them in."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.fields.grammar import TRAINEE_FIELDS, normalize
from intake.fields.runs import split_run_together
from intake.page_kinds import PageKind
from intake.page_reader import PageReading
from ocr.cells import CellText

# Kinds of which each copy is one page: every page is a document of its own.
SINGLE_PAGE_KINDS = frozenset({"certificate", "unknown"})
# Kinds whose pages hold a table of trainees that may run over several pages.
TABLE_KINDS = frozenset({"roster", "agreement"})


@dataclass(slots=True)
class Document:
    kind: str
    pages: list[PageReading] = field(default_factory=list)
    # False when the first page read continues a table (no title): its opening page may come later.
    opened: bool = True

    @property
    def page_numbers(self) -> list[int]:
        return [p.number for p in self.pages]

    @property
    def columns(self) -> dict[str, int]:
        for page in self.pages:
            if page.table is not None and page.table.columns:
                return page.table.columns
        return {}

    def columns_of(self, page: PageReading) -> dict[str, int]:
        """A page's columns: its own header's, else the document's header mapped by where its columns stand
        (a continuation page may have lost or gained a rule, so its grid need not have as many columns)."""
        table = page.table
        if table is None:
            return {}
        if table.columns:
            return table.columns
        home = next((p for p in self.pages if p.table is not None and p.table.columns), None)
        if home is None:
            return {}
        if table.grid.n_cols == home.table.grid.n_cols:
            return dict(home.table.columns)
        return _columns_by_position(home.table.grid.xs, home.table.columns, table.grid.xs)

    @property
    def n_cols(self) -> int | None:
        for page in self.pages:
            if page.table is not None:
                return page.table.grid.n_cols
        return None


def _columns_by_position(header_xs: tuple[int, ...], columns: dict[str, int], xs: tuple[int, ...]) -> dict[str, int]:
    """Each field's column on a page of other columns: the one that overlaps the header's column most, measured
    from each table's left edge (scans shift the sheet, not the form). Where a rule is missing, two or three
    fields stand over one column (`field_cells` tells their values apart); the fields come in the header's
    column order."""
    out: dict[str, int] = {}
    for name, c in sorted(columns.items(), key=lambda item: item[1]):
        a0, a1 = header_xs[c] - header_xs[0], header_xs[c + 1] - header_xs[0]
        best, share = None, 0.0
        for k in range(len(xs) - 1):
            b0, b1 = xs[k] - xs[0], xs[k + 1] - xs[0]
            overlap = max(0, min(a1, b1) - max(a0, b0)) / max(1, min(a1 - a0, b1 - b0))
            if overlap > share:
                best, share = k, overlap
        if best is not None and share >= 0.5:
            out[name] = best
    return out


def field_cells(columns: dict[str, int], cells: list[CellText]) -> dict[str, CellText]:
    """A row's cell for each field. A cell several fields stand over is split by the fields' forms
    ("11薛阳男" a number, a name and a gender); where it does not split so, it is the field's whose grammar
    reads it, else the first one's. A signature's cell is its mark's, never split."""
    out: dict[str, CellText] = {}
    shared: dict[int, list[str]] = {}
    for name, c in columns.items():
        if c < len(cells):
            if name == "signature":
                out[name] = cells[c]
            else:
                shared.setdefault(c, []).append(name)
    for c, names in shared.items():
        cell = cells[c]
        parts = split_run_together(tuple(names), cell.text) if len(names) > 1 else {names[0]: cell.text}
        if parts is None:
            owner = next((n for n in names if n in TRAINEE_FIELDS and normalize(n, cell.text).valid), names[0])
            parts = {owner: cell.text}
        for name, text in parts.items():
            out[name] = cell if len(parts) == 1 else CellText(text, cell.confidence, cell.box)
    return out


def split_documents(readings: list[PageReading], kinds: list[PageKind]) -> tuple[list[Document], list[str]]:
    """Documents in the order their first pages were scanned, and each page's final kind.

    The pages that open or head a document are grouped first; then each headerless page goes to the table
    document it fits best, wherever that document's first page lies: clerks shuffle pages, so a second page
    may be scanned before its first, between another document's pages, or at the end."""
    documents: list[Document] = []
    for reading, kind in zip(readings, kinds, strict=True):
        if kind.kind == "continuation":
            continue
        doc = _last_of(documents, kind.kind)
        if kind.starts_document and not (doc and _runs_on(doc, reading)):
            doc = None
        if kind.kind in SINGLE_PAGE_KINDS or doc is None:
            doc = Document(kind.kind, opened=kind.starts_document)
            documents.append(doc)
        doc.pages.append(reading)
    documents = _join_orphans(documents)
    order = {id(r): i for i, r in enumerate(readings)}
    for reading, kind in zip(readings, kinds, strict=True):
        if kind.kind != "continuation":
            continue
        doc = _same_table(documents, reading, order) or _opened_of_kind(documents, kind.guess)
        if doc is None:
            # Nothing it could continue: its own document, of the kind its words suggest if any.
            doc = Document(kind.guess or "unknown", opened=False)
            documents.append(doc)
        doc.pages.append(reading)
    for doc in documents:
        doc.pages = _in_row_order(doc)
    documents.sort(key=lambda d: order[id(d.pages[0])])
    kind_of = {id(page): doc.kind for doc in documents for page in doc.pages}
    return documents, [kind_of[id(r)] for r in readings]


def _opened_of_kind(documents: list[Document], kind: str | None) -> Document | None:
    """The one titled table document of the kind a headerless page's words name (its footer's 填表人), for a
    page whose cells read as nobody (two trainees' lines run together): a document of its own would be one
    "without a seal"."""
    found = [d for d in documents if d.opened and d.kind == kind and kind in TABLE_KINDS]
    return found[0] if len(found) == 1 else None


def _join_orphans(documents: list[Document]) -> list[Document]:
    """A page that repeats a table's header without its title, scanned before the titled page, belongs to
    a titled document of its kind: the one whose header names the same fields, else the same number of
    columns, else the first (a phone photo of the titled page may have lost or found a rule)."""
    kept = []
    for doc in documents:
        homes = [d for d in documents if d is not doc and d.opened and d.kind == doc.kind] \
            if not doc.opened and doc.kind in TABLE_KINDS else []
        if not homes:
            kept.append(doc)
            continue
        home = max(homes, key=lambda d: (set(d.columns) == set(doc.columns), d.n_cols == doc.n_cols,
                                         -homes.index(d)))
        home.pages.extend(doc.pages)
    return kept


def _in_row_order(doc: Document) -> list[PageReading]:
    """A table document's pages in the order their row numbers run, where every page has them; else the
    order they were put in (the opening page first)."""
    firsts = [_row_number(doc, page, 0) for page in doc.pages]
    if len(firsts) < 2 or None in firsts or len(set(firsts)) < len(firsts):
        return doc.pages
    return [page for _, page in sorted(zip(firsts, doc.pages, strict=True), key=lambda pair: pair[0])]


def _runs_on(doc: Document, reading: PageReading) -> bool:
    """A titled page continues a document of its kind when its table has the same columns and its row
    numbers run on from the document's (some forms repeat the title on every page); numbers starting
    again at 1 open a new document."""
    if doc.kind not in TABLE_KINDS or reading.table is None or doc.n_cols != reading.table.grid.n_cols:
        return False
    first, last = _row_number(doc, reading, 0), _last_row_number(doc)
    return first is not None and last is not None and first == last + 1


def _row_number(doc: Document, page: PageReading, index: int) -> int | None:
    """The printed number of a page's row `index`, in the column the document's header names 序号."""
    table = page.table
    seq = doc.columns_of(page).get("seq")
    if table is None or seq is None or not -len(table.rows) <= index < len(table.rows):
        return None
    text = table.rows[index][seq].text.strip() if seq < len(table.rows[index]) else ""
    return int(text) if text.isdigit() else None


def _last_row_number(doc: Document) -> int | None:
    for page in reversed(doc.pages):
        for i in range(-1, -len(page.table.rows) - 1, -1) if page.table is not None else ():
            if (n := _row_number(doc, page, i)) is not None:
                return n
    return None


def _last_of(documents: list[Document], kind: str) -> Document | None:
    for doc in reversed(documents):
        if doc.kind == kind:
            return doc
    return None


def _same_table(documents: list[Document], reading: PageReading, order: dict[int, int]) -> Document | None:
    """The table document this headerless page continues: of those whose columns line up with it (the same
    count, or one or two rules lost or found), the one whose columns its cells read best as (IDs where the
    ID column is, professions and dates where a roster has them); on a tie the one whose pages were scanned
    nearest before it. Pages scanned out of order put a roster's continuation after the agreement, so the
    order alone cannot tell."""
    assert reading.table is not None
    if not reading.table.holds_trainees():
        return None  # a financial statement's or a letter's table continues no roster
    n = reading.table.grid.n_cols
    # Columns that line up (the same count, or one or two rules lost or found) say it continues; a page
    # ruled round groups of columns has fewer, and continues a document only where its cells read as it.
    fits = {id(d): _fit(d, reading) for d in documents if d.kind in TABLE_KINDS and d.n_cols is not None}
    tables = [d for d in documents if id(d) in fits and (abs(d.n_cols - n) <= 2 or fits[id(d)] > 0)]
    if not tables:
        return None
    here = order[id(reading)]

    def nearness(doc: Document) -> tuple[bool, int]:
        before = [order[id(p)] for p in doc.pages if order[id(p)] < here]
        return (True, max(before)) if before else (False, -min(order[id(p)] for p in doc.pages))

    return max(tables, key=lambda d: (fits[id(d)], d.n_cols == n, nearness(d)))


def _fit(doc: Document, reading: PageReading) -> int:
    """How many of the page's filled cells read as well-formed values of the field the document's header puts
    above them, less those that do not."""
    columns = doc.columns_of(reading)
    table = reading.table
    assert table is not None
    score = 0
    for row in table.rows:
        for name, cell in field_cells(columns, row).items():
            if name in TRAINEE_FIELDS and name != "name" and (text := cell.text.strip()):
                score += 1 if normalize(name, text).valid else -1
    return score
