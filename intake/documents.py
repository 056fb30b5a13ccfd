"""A bundle's pages grouped into documents, whatever order the clerk scanned them in."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.fields.grammar import TRAINEE_FIELDS, normalize
from intake.page_kinds import PageKind
from intake.page_reader import PageReading

# Kinds of which each copy is one page: every page is a document of its own.
SINGLE_PAGE_KINDS = frozenset({"certificate", "unknown"})


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
    from each table's left edge (scans shift the sheet, not the form)."""
    out: dict[str, int] = {}
    for name, c in columns.items():
        a0, a1 = header_xs[c] - header_xs[0], header_xs[c + 1] - header_xs[0]
        best, share = None, 0.0
        for k in range(len(xs) - 1):
            b0, b1 = xs[k] - xs[0], xs[k + 1] - xs[0]
            overlap = max(0, min(a1, b1) - max(a0, b0)) / max(1, min(a1 - a0, b1 - b0))
            if overlap > share:
                best, share = k, overlap
        if best is not None and share >= 0.5 and best not in out.values():
            out[name] = best
    return out


def split_documents(readings: list[PageReading], kinds: list[PageKind]) -> tuple[list[Document], list[str]]:
    """Documents in order of their first page, and each page's final kind."""
    documents: list[Document] = []
    continuations: list[PageReading] = []
    for reading, kind in zip(readings, kinds, strict=True):
        name = kind.kind
        if name == "continuation":
            continuations.append(reading)
            doc = _same_table(documents, reading)
            name = doc.kind if doc else kind.guess or "unknown"
        else:
            doc = _last_of(documents, name)
            if kind.starts_document and not (doc and _runs_on(doc, reading)):
                doc = None
        if name in SINGLE_PAGE_KINDS or doc is None or doc.kind != name:
            doc = Document(name, opened=kind.starts_document)
            documents.append(doc)
        doc.pages.append(reading)
    documents = _join_orphans(documents)
    _move_to_better_fits(documents, continuations)
    kind_of = {id(page): doc.kind for doc in documents for page in doc.pages}
    return documents, [kind_of[id(r)] for r in readings]


def _join_orphans(documents: list[Document]) -> list[Document]:
    """Pages scanned out of order: a table document that began without its title page (a continuation
    read before the page it continues) belongs after the titled document of its kind and columns."""
    kept = []
    for doc in documents:
        home = None
        # A headerless table page that nothing preceded may not even know its kind ("unknown").
        orphan = not doc.opened and doc.kind in ("roster", "agreement")
        orphan = orphan or (doc.kind == "unknown" and doc.n_cols is not None
                            and any(p.table is not None and p.table.holds_trainees() for p in doc.pages))
        if orphan:
            home = next((d for d in documents if d is not doc and d.opened and d.kind in ("roster", "agreement")
                         and doc.kind in ("unknown", d.kind) and d.n_cols == doc.n_cols), None)
        if home is None:
            kept.append(doc)
        else:
            home.pages.extend(doc.pages)
    return kept


def _move_to_better_fits(documents: list[Document], continuations: list[PageReading]) -> None:
    """A headerless page was joined to a table document read before it; scanned out of order, the document
    it continues may come after it (an agreement's second page between the roster's pages, its first page
    at the end). It moves where its cells read clearly better, now that every document is known."""
    for reading in continuations:
        doc = next(d for d in documents if any(p is reading for p in d.pages))
        if doc.kind not in ("roster", "agreement") or len(doc.pages) == 1:
            continue
        best = _same_table([d for d in documents if d.opened], reading)
        if best is None or best is doc or _fit(best, reading) <= _fit(doc, reading):
            continue
        doc.pages = [p for p in doc.pages if p is not reading]
        best.pages.append(reading)


def _runs_on(doc: Document, reading: PageReading) -> bool:
    """A titled page continues a document of its kind when its table has the same columns and its row
    numbers run on from the document's (some forms repeat the title on every page); numbers starting
    again at 1 open a new document."""
    if doc.kind not in ("roster", "agreement") or reading.table is None or doc.n_cols != reading.table.grid.n_cols:
        return False
    first, last = _row_number(reading, 0), _last_row_number(doc)
    return first is not None and last is not None and first == last + 1


def _row_number(reading: PageReading, index: int) -> int | None:
    table = reading.table
    if table is None or "seq" not in table.columns or not table.rows:
        return None
    text = table.rows[index][table.columns["seq"]].text.strip()
    return int(text) if text.isdigit() else None


def _last_row_number(doc: Document) -> int | None:
    for page in reversed(doc.pages):
        if page.table is not None and page.table.rows:
            for i in range(len(page.table.rows) - 1, -1, -1):
                if (n := _row_number(page, i)) is not None:
                    return n
    return None


def _last_of(documents: list[Document], kind: str) -> Document | None:
    for doc in reversed(documents):
        if doc.kind == kind:
            return doc
    return None


def _same_table(documents: list[Document], reading: PageReading) -> Document | None:
    """The table document this headerless page continues: of those whose columns line up with it (the same
    count, or one or two rules lost or found), the one whose columns its cells read best as (IDs where the
    ID column is, professions and dates where a roster has them); the latest on a tie. Pages scanned out of
    order put a roster's continuation after the agreement, so the order alone cannot tell."""
    assert reading.table is not None
    if not reading.table.holds_trainees():
        return None  # a financial statement's or a letter's table continues no roster
    n = reading.table.grid.n_cols
    tables = [d for d in reversed(documents) if d.kind in ("roster", "agreement") and d.n_cols is not None
              and abs(d.n_cols - n) <= 2]
    if not tables:
        return None
    return max(tables, key=lambda d: (_fit(d, reading), d.n_cols == n, -tables.index(d)))


def _fit(doc: Document, reading: PageReading) -> int:
    """How many of the page's filled cells read as well-formed values of the field the document's header puts
    above them, less those that do not."""
    columns = doc.columns_of(reading)
    table = reading.table
    assert table is not None
    score = 0
    for name, c in columns.items():
        if name not in TRAINEE_FIELDS or name == "name":
            continue
        for row in table.rows:
            text = row[c].text.strip() if c < len(row) else ""
            if text:
                score += 1 if normalize(name, text).valid else -1
    return score
