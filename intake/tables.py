"""A table on a page read into rows of cells, whatever its geometry.

The grid (ocr/grid.py) says where the boundaries are; this module decides what they mean:
- which grid rows are the header (one or two rows, found by their labels, not assumed to be the first; rows
  above it inside the frame — a title, the unit's name — are text of the page, not of the table),
- which grid rows are data rows: a tall band that holds several trainees' lines (rows without rules between
  them) is split where its lines are, a cell that spans rows (a class period written once for the class)
  gives its value to every row it spans,
- and it reads every data cell once, in one batch per alphabet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from intake.columns import (
    DIGIT_FIELDS,
    FORMED_FIELDS,
    checked_by_values,
    looks_like_header,
    map_header_rows,
    role_of,
)
from intake.fields.text import compact
from intake.second_look import second_look
from ocr.cells import CellSettings, CellText, cells_from_text_layer, line_boxes, read_cells, text_ink
from ocr.engines.base import Charset, OcrEngine
from ocr.grid import Grid, text_bands
from ocr.marks.base import MarkVerdict
from ocr.marks.signature import SignatureDetector
from ocr.settings import ReadSettings
from ocr.types import Box, Word

# Cells whose content is a mark, not text: detected by the mark detectors, never OCR'd.
UNREAD_FIELDS = frozenset({"signature"})
HEADER_SEARCH_ROWS = 4
_ID_RUN = re.compile(r"(?<!\d)\d{15,}[Xx]?")


@dataclass(slots=True)
class PageTable:
    grid: Grid
    # The header's words per column (two header rows joined), [] on a page without a header.
    header: list[str]
    columns: dict[str, int]
    # Data rows (the header left out), each a list of cells in column order.
    rows: list[list[CellText]]
    # Each data row's band on the page.
    row_boxes: list[Box] = field(default_factory=list)
    # Signature verdicts per data row, by column: the signature column when the header names
    # it, every column of a headerless continuation page (its columns are known only later).
    marks: dict[int, list[MarkVerdict]] = field(default_factory=dict)
    # Text inside the table's frame above its header (a title or the unit's name in the first rows).
    above: list[Word] = field(default_factory=list)
    header_rows: int = 0

    def holds_trainees(self) -> bool:
        """Whether a cell holds an ID number with no label before it (alone, or run together with a
        neighbour's value where a rule is missing) in a row with more to say: a table of trainees, not a
        certificate's card outlines (证件编号 before the number, or a misread label, alone on its line) nor a
        financial statement's figures."""
        return any(_bare_id_number(compact(cell.text)) and sum(1 for other in row if other.text.strip()) >= 2
                   for row in self.rows for cell in row)


def _bare_id_number(text: str) -> bool:
    """A run of digits as long as an ID number (perhaps misread a digit or three short), or as a phone and an
    ID run together, with a birth year where an ID has it, that no label (…号, …码, a colon) or certificate
    letter stands before. Other runs are a card's background or a figure read without its separators."""
    for m in _ID_RUN.finditer(text):
        run = m.group(0)
        # An ID alone, or after a phone (1 and ten digits), perhaps misread a digit or three short.
        number = run if len(run) <= 18 else run[11:] if run[0] == "1" and 26 <= len(run) <= 29 else ""
        if number[6:8] not in ("19", "20"):  # the birth year: a card's background has none
            continue
        before = text[:m.start()]
        if not before or not (before[-1] in "号码:：" or (before[-1].isascii() and before[-1].isalpha())):
            return True
    return False


def read_table(image: np.ndarray, grid: Grid, engine: OcrEngine, text_layer: list[Word] | None,
               settings: ReadSettings) -> PageTable:
    ink = text_ink(image, settings.grid) if text_layer is None else None

    def read(boxes: list[Box], charsets: list[Charset], lines: list[list[Box]] | None = None) -> list[CellText]:
        if text_layer is not None:
            return cells_from_text_layer(text_layer, boxes)
        assert ink is not None
        return read_cells(image, boxes, engine, charsets, ink, settings.cells, lines)

    def read_first_rows_of(g: Grid) -> list[list[CellText]]:
        return [read([g.merged_cell(r, c) for c in range(g.n_cols)], ["any"] * g.n_cols)
                for r in range(min(HEADER_SEARCH_ROWS, g.n_rows))]

    first_rows = read_first_rows_of(grid)
    if text_layer is None and (apart := _header_apart(grid, first_rows)) is not None:
        grid = apart
        first_rows = read_first_rows_of(grid)
    header_at, header_rows, columns = _find_header([[c.text for c in row] for row in first_rows])
    if not columns and grid.ruled == "text" and ink is not None and (taller := _header_above(grid, ink)):
        # A borderless table's header of two lines under a group label (取证情况 over 专业 | 证书编号) crosses
        # the values' rivers and was left out of the table: tried as one header row over the grid.
        rows = read_first_rows_of(taller)
        found = _find_header([[c.text for c in row] for row in rows])
        if found[2]:
            grid, first_rows, (header_at, header_rows, columns) = taller, rows, found
    if columns and grid.ruled != "grid" and (whole := _labels_made_whole(grid, first_rows, header_at, header_rows,
                                                                      columns)) is not None:
        grid = whole
        first_rows = read_first_rows_of(grid)
        header_at, header_rows, columns = _find_header([[c.text for c in row] for row in first_rows])
    start = header_at + header_rows if columns else 0
    above = [Word(c.text, c.box, c.confidence) for row in first_rows[:header_at] for c in _unique(row) if c.text]
    role_of_col = {col: role for role, col in columns.items()}
    bands = _data_bands(grid, start, ink, role_of_col, settings.cells)

    def read_columns(cols: list[int], roles: dict[int, str]) -> dict[tuple[int, int], CellText]:
        """The data cells of these columns, each read in its field's alphabet, in one batch."""
        wanted = [(i, c) for i in range(len(bands)) for c in cols if roles.get(c) not in UNREAD_FIELDS]
        found = read([bands[i].cells[c] for i, c in wanted], [_charset(roles.get(c)) for _, c in wanted],
                     None if text_layer is not None else [bands[i].lines[c] for i, c in wanted])
        return dict(zip(wanted, found, strict=True))

    texts = read_columns(list(range(grid.n_cols)), role_of_col)
    for _ in range(len(FORMED_FIELDS)) if columns else ():
        # The header may have put a field over another's values (a seal over two labels): the values say.
        checked = checked_by_values(columns, [[texts[(i, c)].text if (i, c) in texts else "" for c in
                                               range(grid.n_cols)] for i in range(len(bands))])
        if checked == columns:
            break
        roles = {col: role for role, col in checked.items()}
        texts.update(read_columns([c for c in range(grid.n_cols) if _charset(roles.get(c)) != _charset(
            role_of_col.get(c))], roles))
        columns, role_of_col = checked, roles
    rows = [[texts.get((i, c)) or CellText("", 1.0, band.cells[c]) for c in range(grid.n_cols)]
            for i, band in enumerate(bands)]
    if text_layer is None:
        second_look(image, rows, columns, engine)
    detector = SignatureDetector(settings.signatures)
    mark_columns = [columns["signature"]] if "signature" in columns else [] if columns else range(grid.n_cols)
    marks = {c: [detector.detect(image, band.cells[c]) for band in bands] for c in mark_columns}
    header = [" ".join(t for t in (first_rows[r][c].text for r in range(header_at, header_at + header_rows)) if t)
              for c in range(grid.n_cols)] if columns else []
    return PageTable(grid, header, columns, rows, [b.box for b in bands], marks, above, header_rows if columns else 0)


def _charset(role: str | None) -> Charset:
    return "digits" if role in DIGIT_FIELDS else "any"


def _unique(cells: list[CellText]) -> list[CellText]:
    """A spanning cell appears once, not once per column it spans."""
    seen, out = set(), []
    for cell in cells:
        if cell.box not in seen:
            seen.add(cell.box)
            out.append(cell)
    return out


def _find_header(rows: list[list[str]]) -> tuple[int, int, dict[str, int]]:
    """(first header row, number of header rows, field -> column); ({} when no row is a header)."""
    for r, texts in enumerate(rows):
        if not looks_like_header(texts):
            continue
        single = map_header_rows([texts])
        if r + 1 < len(rows) and not _is_data(rows[r + 1]):
            double = map_header_rows([texts, rows[r + 1]])
            if len(double) > len(single):
                return r, 2, double
            if _spans_down(texts, rows[r + 1]):
                # Labels spanning the two rows a group label's rule made (联系方式 over 手机号码).
                return r, 2, double if len(double) == len(single) else single
        if r > 0 and not _is_data(rows[r - 1]):
            # The upper half of labels a partial rule cut off (联系方式 over 手机号码, 序 over nothing).
            double = map_header_rows([rows[r - 1], texts])
            if len(double) > len(single):
                return r - 1, 2, double
        return r, 1, single
    return 0, 0, {}


def _header_apart(grid: Grid, first_rows: list[list[CellText]]) -> Grid | None:
    """A header whose rule underneath was not drawn shares its grid row with the first trainees (序 6, 姓名
    袁胜 …): the grid with that row cut above the first line that holds an ID number under a label line in
    its cell; None when no top row holds labels over data so."""
    for row, cells in enumerate(first_rows):
        for cell in cells:
            texts = [compact(t) for t in cell.line_texts]
            first = next((k for k, t in enumerate(texts) if _bare_id_number(t)), None)
            if first and len(cell.lines) == len(texts) and not any(_bare_id_number(t) for t in texts[:first]):
                cut = (cell.lines[first - 1].y1 + cell.lines[first].y0) // 2
                if grid.ys[row] < cut < grid.ys[row + 1]:
                    return grid.with_row_boundary(cut)  # a label spanning down into it ends at the cut
    return None


def _labels_made_whole(grid: Grid, first_rows: list[list[CellText]], at: int, rows: int,
                       columns: dict[str, int]) -> Grid | None:
    """A label the text's rivers cut in two (签字 | (手印或盖章) over a borderless signature column): a column
    no field holds whose label names its neighbour's field again, or names nothing and makes the neighbour's
    label fuller, is one with it, so the marks under the second half are the signature's. The grid without
    that boundary, or None."""
    held = set(columns.values())
    label = [" ".join(first_rows[r][c].text for r in range(at, at + rows)).strip() for c in range(grid.n_cols)]
    for c in range(1, grid.n_cols):
        if c in held or c - 1 not in held or not label[c]:
            continue
        role, alone = role_of(label[c - 1])
        own = role_of(label[c])[0]
        joined_role, joined = role_of(label[c - 1] + label[c])
        if role is not None and (own == role or (own is None and joined_role == role and joined > alone)):
            return Grid(grid.xs[:c] + grid.xs[c + 1:], grid.ys, (), grid.ruled)
    return None


HEADER_LINES_ABOVE = 3  # a group label over a two-line label


def _header_above(grid: Grid, ink: np.ndarray) -> Grid | None:
    """The grid with one more row on top holding the text lines right above it (up to three lines high, none
    further than two lines' height from the next), or None when there are none."""
    x0, x1 = grid.xs[0], grid.xs[-1]
    first = grid.ys[1] - grid.ys[0]
    reach = max(0, grid.ys[0] - HEADER_LINES_ABOVE * 2 * first)
    bands = text_bands(ink[reach:grid.ys[0], x0:x1])
    top = grid.ys[0]
    for y0, y1 in reversed(bands[-HEADER_LINES_ABOVE:]):
        if top - (reach + y1) > 2 * first or grid.ys[0] - (reach + y0 - 4) > (HEADER_LINES_ABOVE + 1) * first:
            break  # too far above, or a header taller than three of the table's lines
        top = reach + y0 - 4
    return grid.with_row_boundary(max(0, top)) if top < grid.ys[0] - 4 else None


def _spans_down(header: list[str], below: list[str]) -> bool:
    """Whether most labels of a header row are read again in the row below: cells spanning both."""
    labels = [(a, b) for a, b in zip(header, below, strict=False) if a.strip()]
    return bool(labels) and sum(a == b for a, b in labels) * 2 > len(labels)


def _is_data(texts: list[str]) -> bool:
    """A row under the header holding a trainee (digits of an ID or a running number), not a second header row."""
    return sum(ch.isdigit() for t in texts for ch in t) >= 6 or (bool(texts) and texts[0].strip().isdigit())


@dataclass(slots=True)
class _Band:
    box: Box
    cells: list[Box]
    lines: list[list[Box]]


def _data_bands(grid: Grid, start: int, ink: np.ndarray | None, roles: dict[int, str],
                settings: CellSettings) -> list[_Band]:
    """The data rows below the header: grid rows, split where one band holds several trainees' lines, with
    a cell that spans rows giving its lines to each row it spans."""
    bands: list[_Band] = []
    heights = [grid.ys[r + 1] - grid.ys[r] for r in range(start, grid.n_rows)]
    # Rows ruled apart at a steady height are one trainee each, however many lines their cells hold (a
    # timetable's subject and teacher); only a row taller than the shortest (a sliver left out) may hold
    # several: a form ruled round pairs of trainees has more such rows than single ones.
    typical = float(min(h for h in heights if h >= 0.5 * np.median(heights))) if len(heights) >= 3 else 0.0
    for r in range(start, grid.n_rows):
        cells = [_data_cell(grid, r, c) for c in range(grid.n_cols)]
        found = [line_boxes(ink, box, settings) if ink is not None else [] for box in cells]
        band = grid.row_box(r)
        bands.extend([_whole_band(band, cells, found)] if band.height < 1.5 * typical
                     else _split_band(band, cells, found, roles))
    return bands


def _spans_rows(cell: Box, band: Box) -> bool:
    return cell.y0 < band.y0 - 2 or cell.y1 > band.y1 + 2


def _whole_band(band: Box, cells: list[Box], lines: list[list[Box]]) -> _Band:
    return _Band(band, cells, [found if _spans_rows(cell, band) else _clip(found, band)
                               for found, cell in zip(lines, cells, strict=True)])


def _data_cell(grid: Grid, row: int, col: int) -> Box:
    """The cell of a data row: spans across columns are cut at the column (two fields never share a cell);
    spans down several rows are kept (one value written for them all)."""
    r0, c0, rs, cs = grid.span_of(row, col)
    if rs > 1 and cs == 1:
        return grid.merged_cell(row, col)
    return grid.cell(row, col)


def _split_band(band: Box, cells: list[Box], lines: list[list[Box]], roles: dict[int, str]) -> list[_Band]:
    """One grid row, or several when at least two columns hold the same number (>1) of lines one over the
    other at the same heights: trainees whose rows were not ruled apart."""
    spanning = [_spans_rows(cell, band) for cell in cells]
    inside = [[] if spans else [ln for ln in found if band.y0 <= ln.center[1] < band.y1]
              for found, spans in zip(lines, spanning, strict=True)]
    counts = [len(found) for found in inside]
    anchors = [c for c, role in roles.items() if role in ("seq", "id_number", "name") and counts[c] > 1]
    candidates = [c for c in range(len(cells)) if counts[c] > 1 and c not in roles or roles.get(c) in
                  ("seq", "id_number", "name", "gender", "phone")]
    k, columns = _common_line_count(inside, anchors or candidates)
    # Trainees not ruled apart stand on every line of the band; a long value wrapped onto two lines (a
    # profession, a date) makes two or three columns taller, not the row two rows.
    filled = sum(1 for found in inside if found)
    if k >= 2 and not anchors and len(columns) * 2 < filled:
        k = 1
    if k < 2:
        return [_whole_band(band, cells, lines)]
    centres = sorted(np.median([inside[c][i].center[1] for c in columns]) for i in range(k))
    cuts = [band.y0] + [int((a + b) / 2) for a, b in zip(centres, centres[1:], strict=False)] + [band.y1]
    height = float(np.median([b.height for c in columns for b in inside[c]]))
    # A value written once for them all (a profession wrapped in the middle of the band, one date for the
    # class) has lines that do not stand on the trainees' lines: like a cell spanning rows, every row gets it.
    # A person's own value (seq, name, ID, phone …) is never one for all: another's ID must not reach them.
    shared = [spans or (roles.get(c) not in PERSONAL_FIELDS and not _on_lines(inside[c], centres, height))
              for c, spans in enumerate(spanning)]
    out = []
    for y0, y1 in zip(cuts, cuts[1:], strict=False):
        sub = Box(band.x0, y0, band.x1, y1)
        sub_cells = [c if whole else Box(c.x0, y0, c.x1, y1) for c, whole in zip(cells, shared, strict=True)]
        out.append(_Band(sub, sub_cells, [(found if spans else inside[c]) if whole else _clip(found, sub)
                                          for c, (found, spans, whole)
                                          in enumerate(zip(lines, spanning, shared, strict=True))]))
    return out


PERSONAL_FIELDS = frozenset({"seq", "name", "gender", "id_number", "phone", "certificate_no", "signature"})


def _on_lines(found: list[Box], centres: list[float], height: float) -> bool:
    """Whether a column's lines stand on the trainees' lines, most of them (a value broken into pieces, a
    stray mark), or it has one line at most, which is one trainee's."""
    if len(found) <= 1:
        return True
    on = sum(1 for b in found if min(abs(b.center[1] - c) for c in centres) < 0.8 * height)
    return on * 2 > len(found)


def _common_line_count(lines: list[list[Box]], columns: list[int]) -> tuple[int, list[int]]:
    """The number of lines that at least two of `columns` share at matching heights, and those columns: the
    count most columns share first (one line per trainee; wrapped values make a column or two taller)."""
    by_count: dict[int, list[int]] = {}
    for c in columns:
        if len(lines[c]) > 1:
            by_count.setdefault(len(lines[c]), []).append(c)
    for k in sorted(by_count, key=lambda k: (len(by_count[k]), k), reverse=True):
        cols = by_count[k]
        if len(cols) < 2:
            continue
        height = float(np.median([b.height for c in cols for b in lines[c]]))
        # The columns whose lines stand on one another's; a value of as many lines wrapped otherwise (a
        # period in two lines centred on two trainees) is left out, not a reason to see one trainee.
        best = max((_aligned_with(lines, cols, ref, height) for ref in cols), key=len)
        if len(best) >= 2:
            return k, best
    return 1, []


def _aligned_with(lines: list[list[Box]], cols: list[int], ref: int, height: float) -> list[int]:
    return [a for a in cols if all(abs(mine.center[1] - theirs.center[1]) < height * 0.8
                                   for mine, theirs in zip(lines[a], lines[ref], strict=True))]


def _clip(found: list[Box], band: Box) -> list[Box]:
    """The lines whose middle lies in the band (a spanning cell's lines go to each row it spans when it has
    one line for all of them)."""
    inside = [ln for ln in found if band.y0 <= ln.center[1] < band.y1]
    return inside if inside or len(found) != 1 else found
