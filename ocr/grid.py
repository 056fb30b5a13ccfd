"""Tables from their evidence: ruling lines where there are any, the text's own alignment where there are not.

A chain of plain functions driven by one settings object (after pdfplumber's table finder): line masks from
morphology -> rule segments -> the table's region -> row and column boundaries -> which cell sides are
ruled -> merged (spanning) cells. Rules may be faint, broken, doubled or missing: gaps in a rule are
bridged, a column rule counts where it rules at least one row (a header-only rule, a rule stopping short),
and where a table has too few column rules (three-line tables, 三线表, or none at all) the columns are the
blank "rivers" that run down through its text lines.

Pixel constants are for pages at about 200 dpi: the reader brings every page to that scale first
(ocr/resolution.py), so these stay true for 150 and 600 dpi scans alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocr.clean import binarize, ink_gray, remove_red_ink
from ocr.types import Box


@dataclass(frozen=True, slots=True)
class GridSettings:
    # Rules shorter than this share of the page width do not open a table (underlines, strokes).
    min_rule_share: float = 0.25
    # Pieces of rule shorter than this are not kept: character strokes are shorter.
    min_piece: int = 50
    # Vertical pieces may be shorter than horizontal ones (a rule that rules one short row).
    min_vertical_piece: int = 38
    # Gaps in a rule up to this many pixels are bridged (broken or faint lines, scan dropout).
    bridge_gap: int = 40
    # A thin line this many grey levels darker than the paper on both sides of it is a rule, however
    # faint: hairline rules of a light printer come out 20 levels below the paper and break apart in the
    # binarized ink.
    faint_line_contrast: int = 10
    # ...and no part of it (nor of what touches it) darker than this: darker strokes are ink.
    faint_line_darkest: int = 150
    # A side that rules cover less than this share of is unruled; between this and `cover_share` it is a
    # broken rule, and stays a boundary where the cells on either side hold text of their own.
    broken_share: float = 0.15
    # Positions closer than this are one line (thick or doubled rules).
    merge_distance: int = 12
    # A cell side is ruled when rules cover this share of it.
    cover_share: float = 0.6
    # A horizontal rule inside the table counts when it rules at least this share of the table's width.
    min_row_rule_share: float = 0.06
    # A blank run down the text this wide (px) separates two columns of an unruled table.
    river_width: int = 16
    # A river may be crossed by text in this share of the rows (a long value overflowing its column).
    river_crossings: float = 0.12
    # Lines this close to the image's top or bottom (share of its height) are the sheet's edge, not rules.
    page_margin_share: float = 0.012
    # Blobs of ink up to this many pixels are the paper's grain or dust, not text: one would block a river.
    speck_area: int = 12
    min_rows: int = 1
    min_cols: int = 2


@dataclass(frozen=True, slots=True)
class Grid:
    """Row boundaries `ys` and column boundaries `xs` (ascending) of one table, with its merged cells.

    `spans` lists the merged cells as (row, col, rowspan, colspan); every other position is a cell of its
    own. `ruled` says whether the boundaries came from rules ("grid"), partly from the text ("partial"), or
    only from the text ("text").
    """

    xs: tuple[int, ...]
    ys: tuple[int, ...]
    spans: tuple[tuple[int, int, int, int], ...] = ()
    ruled: str = "grid"

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> Box:
        return Box(self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell(self, row: int, col: int) -> Box:
        return Box(self.xs[col], self.ys[row], self.xs[col + 1], self.ys[row + 1])

    def row_box(self, row: int) -> Box:
        return Box(self.xs[0], self.ys[row], self.xs[-1], self.ys[row + 1])

    def span_of(self, row: int, col: int) -> tuple[int, int, int, int]:
        """(row, col, rowspan, colspan) of the cell that covers this position."""
        for r, c, rs, cs in self.spans:
            if r <= row < r + rs and c <= col < c + cs:
                return r, c, rs, cs
        return row, col, 1, 1

    def with_row_boundary(self, y: int) -> Grid:
        """The grid with one more row boundary at `y` (inside a row, or above the table): a merged cell the
        boundary cuts ends at it, what lies under it being cells of their own."""
        i = sum(1 for v in self.ys if v < y)  # the new boundary's index

        def moved(r: int, c: int, rs: int, cs: int) -> tuple[int, int, int, int]:
            if r >= i:
                return r + 1, c, rs, cs
            return (r, c, i - r, cs) if i - 1 < r + rs else (r, c, rs, cs)

        return Grid(self.xs, (*self.ys[:i], y, *self.ys[i:]), tuple(moved(*s) for s in self.spans), self.ruled)

    def merged_cell(self, row: int, col: int) -> Box:
        r, c, rs, cs = self.span_of(row, col)
        return Box(self.xs[c], self.ys[r], self.xs[c + cs], self.ys[r + rs])


@dataclass(frozen=True, slots=True)
class Rule:
    """One straight rule on the page: its position across and its extent along."""

    horizontal: bool
    pos: int
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class _Line:
    """Rules at one position, with the stretches they cover."""

    pos: int
    cover: list[tuple[int, int]] = field(default_factory=list)

    def covered(self, a: int, b: int) -> float:
        """Share of [a, b) the line's rules cover."""
        if b <= a:
            return 0.0
        total = sum(max(0, min(b, e) - max(a, s)) for s, e in self.cover)
        return total / (b - a)


def find_grid(image: np.ndarray, settings: GridSettings = GridSettings()) -> Grid | None:
    """The largest table on an upright, levelled page, ruled or not, or None when there is none."""
    gray = ink_gray(image)
    ink = binarize(gray)
    return (find_ruled_grid(ink, settings, gray) or find_text_grid(ink, settings)
            # A seal over the row and the footer under it would join them into one band.
            or find_row_line(binarize(ink_gray(remove_red_ink(image))), settings))


def find_ruled_grid(ink: np.ndarray, settings: GridSettings = GridSettings(),
                    gray: np.ndarray | None = None) -> Grid | None:
    """A table drawn with rules: at least two long horizontal rules over one another.

    With the page's `gray`, faint hairline rules count too (`thin_lines`), but only as rules that run
    most of the table's width or most of its rows: a short faint line may be a character's stroke."""
    h_mask = horizontal_rules(ink, settings)
    h_strong = rule_segments(h_mask, True, settings.min_piece)
    h_all = h_strong
    if gray is not None:
        h_mask = cv2.bitwise_or(h_mask, horizontal_rules(thin_lines(gray, True, settings), settings))
        h_all = rule_segments(h_mask, True, settings.min_piece)
    # The edge of a flattened photo or of a scanner's lid is a long dark line at the image's border; a
    # printed table keeps the paper's margin.
    margin = settings.page_margin_share * ink.shape[0]
    h_strong = [r for r in h_strong if margin <= r.pos <= ink.shape[0] - margin]
    h_all = [r for r in h_all if margin <= r.pos <= ink.shape[0] - margin]
    region = table_region(h_all, ink.shape, settings)
    if region is None:
        return None
    x0, y0, x1, y1 = region

    def in_table(r: Rule) -> bool:
        return r.end > x0 and r.start < x1 and y0 - 6 <= r.pos <= y1 + 6

    min_length = max(settings.min_piece, settings.min_row_rule_share * (x1 - x0))
    rows = _lines([r for r in h_strong if in_table(r) and r.length >= min_length]
                  + [r for r in h_all if in_table(r) and r.length >= 0.5 * (x1 - x0)], settings.merge_distance)
    if len(rows) < settings.min_rows + 1:
        return None
    # A piece of rule on an established row line is part of it, however short: it rules the cells above it.
    pieces = _lines([r for r in h_all if in_table(r)], settings.merge_distance)
    rows = _merge_lines(rows, [p for p in pieces if any(abs(p.pos - row.pos) <= settings.merge_distance
                                                        for row in rows)], settings.merge_distance)
    ys = [line.pos for line in rows]
    heights = np.diff(ys)
    row_height = int(np.median(heights)) if len(heights) else settings.min_piece
    v_mask = vertical_rules(ink, row_height, settings)
    cols = column_lines(v_mask, x0, x1, ys, settings)
    if gray is not None:
        faint_mask = vertical_rules(thin_lines(gray, False, settings), row_height, settings)
        faint = [c for c in column_lines(faint_mask, x0, x1, ys, settings) if _rules_most_rows(c, ys, settings)]
        v_mask = cv2.bitwise_or(v_mask, faint_mask)
        cols = _merge_lines(cols, faint, settings.merge_distance)
    edge = settings.merge_distance * 3
    cols = [c for c in _with_outer_edges(cols, x0, x1, edge) if _is_column_rule(c, ys, settings)]
    text_ink = cv2.subtract(ink, cv2.bitwise_or(h_mask, v_mask))
    ruled = "grid"
    if len(cols) - 1 < 2:
        # No inner column rule (three-line tables, rules only round the outside): the text decides. Where
        # even one inner rule runs down the rows the rules are the columns: the text's blank runs would
        # also cut a left-aligned column of values of different lengths.
        rivers = column_rivers(text_ink, Box(x0, ys[0], x1, ys[-1]), settings)
        if len(rivers) + 1 > len(cols) - 1:
            cols = [_Line(x0), *(_Line(x) for x in rivers), _Line(x1)]
            ruled = "partial"
    elif (inner := _unruled_boundaries(text_ink, [c.pos for c in cols], ys, settings)):
        # Some column rules drawn, others not (a form ruled only here and there): between the rules the
        # text's own boundaries count, where values stand on both sides of them in most rows.
        cols = sorted([*cols, *(_Line(x) for x in inner)], key=lambda c: c.pos)
        ruled = "partial"
    if len(cols) - 1 < settings.min_cols:
        return None
    xs = [c.pos for c in cols]
    # Boundaries the text drew have no rule along them, so no cells merge across them: only down a column,
    # where a row rule does not reach (a label over two rows beside 联系方式 over 手机号码).
    spans = merged_cells(rows, cols, settings, text_ink)
    return Grid(tuple(xs), tuple(ys), spans, ruled)


# Values must stand on both sides of a boundary the rules do not draw in this share of the rows: a column
# of left-aligned values of different lengths leaves a blank run down its right, with text on one side.
BOTH_SIDES_SHARE = 0.6
VALUE_INK = 25  # px of ink that make a value (a character's worth), not a rule's residue or a speck


def _unruled_boundaries(text_ink: np.ndarray, xs: list[int], ys: list[int], settings: GridSettings) -> list[int]:
    """Column boundaries inside the ruled columns: blank rivers down the rows with values on both sides."""
    rows = [(a, b) for a, b in zip(ys, ys[1:], strict=False) if b - a > 12]
    if len(rows) < 3:  # two rows say too little: two names padded alike (薛 阳, 周 晓) leave a river too
        return []
    wide = replace(settings, river_width=settings.river_width * 3 // 2)  # wider than a padded name's space
    inset = settings.merge_distance  # clear of the rules' residue

    def values_beside(a: int, b: int, x0: int, x1: int) -> bool:
        return int(np.count_nonzero(text_ink[a + 3:b - 3, x0:x1])) >= VALUE_INK

    found = []
    for left, right in zip(xs, xs[1:], strict=False):
        for x in column_rivers(text_ink, Box(left + inset, ys[0], right - inset, ys[-1]), wide):
            both = sum(values_beside(a, b, left + inset, x - 4) and values_beside(a, b, x + 4, right - inset)
                       for a, b in rows)
            if both >= BOTH_SIDES_SHARE * len(rows):
                found.append(x)
    return found


def column_lines(v_mask: np.ndarray, x0: int, x1: int, ys: list[int], settings: GridSettings) -> list[_Line]:
    """Vertical rules of the table between row rules `ys`, grouped by position."""
    v_rules = [r for r in rule_segments(v_mask, False, settings.min_vertical_piece)
               if r.end > ys[0] + 4 and r.start < ys[-1] - 4 and _near_region(r, x0, x1, ys, settings)]
    return _lines(v_rules, settings.merge_distance)


def find_text_grid(ink: np.ndarray, settings: GridSettings = GridSettings()) -> Grid | None:
    """A table drawn without rules: three or more text lines on top of one another that share blank rivers.

    The table is the run of lines that keeps the most rivers the most lines respect, so a paragraph line
    above it or a footer line below it (each crossing every river) is left out, and nothing is assumed of
    how tall its rows are: a band only a speck high (a fingerprint's edge, a signature's tail reaching
    below its row) belongs to the line beside it. Its rows are its text lines; the header is whichever row
    the caller recognises."""
    margin = int(settings.page_margin_share * ink.shape[1]) + 1
    ink = without_specks(ink, settings.speck_area)
    ink[:, :margin], ink[:, ink.shape[1] - margin:] = 0, 0  # a scanner lid's shadow down the page's side
    bands = _whole_lines(text_bands(ink))
    if len(bands) < 3:
        return None
    line = float(np.median([b - t for t, b in bands]))
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    occupied = np.stack([joined[t:b].any(axis=0) for t, b in bands]).astype(np.int32)
    before = np.vstack([np.zeros((1, ink.shape[1]), np.int32), np.cumsum(occupied, axis=0)])
    across = _across(occupied)
    best: tuple[float, int, int, list[tuple[int, int]]] | None = None
    for i in range(len(bands)):
        for j in range(i + 1, len(bands) + 1):
            if j - i >= 2 and _ends_run(bands, i, j, line):
                break
            if j - i < 3:
                continue
            rivers = _rivers((before[j] - before[i]) / (j - i), settings, j - i, one_may_cross=True)
            if len(rivers) < 2:
                continue
            crossings = int(across[i:j, [(a + b) // 2 for a, b in rivers]].sum())
            score = (j - i) * len(rivers) - CROSSING_COST * crossings
            if best is None or score > best[0]:
                best = (score, i, j, rivers)
    if best is None:
        return None
    _, i, j, _ = best
    for _ in range(4):  # columns and lines settle each other: an edge line left out may free a river
        xs = _text_columns(occupied[i:j], settings)
        if xs is None:
            return None
        trimmed = _trimmed(occupied, across, i, j, xs)
        if trimmed == (i, j):
            break
        i, j = trimmed
    ys = [bands[i][0] - 4] + [(bands[k][1] + bands[k + 1][0]) // 2 for k in range(i, j - 1)] + [bands[j - 1][1] + 4]
    return Grid(tuple(xs), tuple(ys), (), "text")


MIN_ROW_VALUES = 6  # a trainee's row: number, name, gender, ID, phone, and a profession or a signature


def find_row_line(ink: np.ndarray, settings: GridSettings = GridSettings()) -> Grid | None:
    """A table of one row drawn without rules (the last trainee alone on a borderless continuation page,
    over the footer): the text line whose values stand apart in the most pieces, six or more. Whether it
    is a trainee's row the reader decides by what it reads there."""
    margin = int(settings.page_margin_share * ink.shape[1]) + 1
    ink = without_specks(ink, settings.speck_area)
    ink[:, :margin], ink[:, ink.shape[1] - margin:] = 0, 0
    best: tuple[int, int, list[int]] | None = None
    for top, bottom in _whole_lines(text_bands(ink)):
        rivers = column_rivers(ink, Box(0, top, ink.shape[1], bottom), settings)
        if len(rivers) + 1 >= MIN_ROW_VALUES and (best is None or len(rivers) > len(best[2])):
            best = (top, bottom, rivers)
    if best is None:
        return None
    top, bottom, rivers = best
    inked = np.flatnonzero(ink[top:bottom].any(axis=0))
    return Grid((int(inked[0]), *rivers, int(inked[-1]) + 1), (top - 4, bottom + 4), (), "text")


def without_specks(ink: np.ndarray, largest: int) -> np.ndarray:
    """The ink without blobs of `largest` pixels or fewer."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= largest)
    small = small[small > 0]
    out = ink.copy()
    if len(small):
        out[np.isin(labels, small)] = 0
    return out


def _ends_run(bands: list[tuple[int, int]], i: int, j: int, line: float) -> bool:
    """Whether the blank above line j - 1 ends the run of lines i..j - 2: wider than a few text lines, and
    wider than the run's own blanks between its rows (rows tall enough for a signature leave wide ones)."""
    gap = bands[j - 1][0] - bands[j - 2][1]
    if gap <= TEXT_ROW_GAP * line:
        return False
    gaps = [bands[k + 1][0] - bands[k][1] for k in range(i, j - 2)]
    return len(gaps) < 2 or gap > TEXT_ROW_GAP / 2 * float(np.median(gaps))


def _text_columns(occupied: np.ndarray, settings: GridSettings) -> list[int] | None:
    """Column boundaries of lines' ink profiles: the table's ink edges and its rivers' centres, without an
    outer "column" that only a row or two reach into (a long value or a signature overflowing)."""
    rivers = _rivers(occupied.mean(axis=0), settings, len(occupied), one_may_cross=True)
    inked = np.flatnonzero(occupied.any(axis=0))
    if len(rivers) < 2 or not len(inked):
        return None
    xs = [int(inked[0]), *((a + b) // 2 for a, b in rivers), int(inked[-1]) + 1]
    sparse = max(1, 0.1 * len(occupied))
    while len(xs) > 3 and _rows_with_ink(occupied, xs[-2], xs[-1]) <= sparse:
        del xs[-2]
    while len(xs) > 3 and _rows_with_ink(occupied, xs[0], xs[1]) <= sparse:
        del xs[1]
    return xs


def _trimmed(occupied: np.ndarray, across: np.ndarray, i: int, j: int, xs: list[int]) -> tuple[int, int]:
    """The run without the lines at its top and bottom that are not rows of the table: a line whose ink runs
    across half the column boundaries, or under the table two of them (a paragraph, a title, the unit's
    line: the crossing allowance let it in), or one with ink in fewer than half the columns (the date under
    the signatures, a page number). Inside the table such a line may be a value wrapped onto a line of its
    own; at its edge it is not."""
    def foreign(line: int, bottom: bool) -> bool:
        ink = occupied[line]
        crossed = int(across[line, xs[1:-1]].sum())
        columns = sum(bool(ink[a:b].any()) for a, b in zip(xs, xs[1:], strict=False))
        # At the top a header's wide labels may cross a boundary or two; under the last row nothing should.
        return (crossed * 2 >= len(xs) - 2 or (bottom and crossed >= 2)
                or (len(xs) > 3 and columns * 2 < len(xs) - 1))

    while j - i > 3:
        if foreign(i, bottom=False):
            i += 1
        elif foreign(j - 1, bottom=True):
            j -= 1
        else:
            break
    return i, j


def _rows_with_ink(occupied: np.ndarray, x0: int, x1: int) -> int:
    return int(occupied[:, x0:x1].any(axis=1).sum())


def _across(occupied: np.ndarray) -> np.ndarray:
    """Where each line's (widened) ink runs across x, 2 px either side: a value spilling into a river stops
    short of its middle, a line that crosses it does not."""
    return cv2.erode(occupied.astype(np.uint8), np.ones((1, 5), np.uint8)).astype(np.int32)


# A line crossing a river costs the table more than the line adds: a paragraph or a footer line, crossing
# every river, is left out; a row with one long value overflowing its column is kept.
CROSSING_COST = 3
# Consecutive lines of an unruled table are at most this many line heights apart.
TEXT_ROW_GAP = 3.0
# A band less than this share of the page's usual line height is part of a line beside it.
SPECK_LINE_SHARE = 0.45


def _whole_lines(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Text bands with the speck-high ones joined to the nearer line beside them (or dropped, far from any)."""
    if len(bands) < 2:
        return bands
    usual = float(np.median([b - t for t, b in bands]))
    out = list(bands)
    k = 0
    while k < len(out) and len(out) > 1:
        top, bottom = out[k]
        if bottom - top >= SPECK_LINE_SHARE * usual:
            k += 1
            continue
        above = top - out[k - 1][1] if k > 0 else None
        below = out[k + 1][0] - bottom if k + 1 < len(out) else None
        other = k - 1 if below is None or (above is not None and above <= below) else k + 1
        if min(g for g in (above, below) if g is not None) > usual:
            del out[k]  # a speck on its own: a dot of dust, a scanner's mark
            continue
        joined = (min(top, out[other][0]), max(bottom, out[other][1]))
        out[min(k, other)] = joined
        del out[max(k, other)]
        k = min(k, other)
    return out


FAINT_LINE_STEPS = (3, 5)


def thin_lines(gray: np.ndarray, horizontal: bool, settings: GridSettings) -> np.ndarray:
    """Mask of faint thin lines: lighter than ink, darker than the paper on both sides, averaged along
    their length.

    A hairline rule only ~20 grey levels below the paper passes the local threshold in scattered pieces
    that no opening keeps; measured against the paper a stroke's width away on each side and averaged over
    a few pixels along the line, it is continuous, while the noise of the paper averages out. Dark strokes
    are left out: they are ink, and the blurred edges of stacked characters' strokes would line up into
    a rule.
    """
    g = gray.astype(np.int16)
    axis = 0 if horizontal else 1
    # The paper a little way off on each side: 3 px off a sharp hairline, 5 off one a photo blurred wide.
    darker = np.max([np.minimum(np.roll(g, step, axis=axis), np.roll(g, -step, axis=axis)) - g
                     for step in FAINT_LINE_STEPS], axis=0)
    darker = np.clip(darker, 0, 255).astype(np.uint8)
    # Along a horizontal line only a short average: a longer one would join the strokes of a text line.
    along = (5, 1) if horizontal else (1, 9)
    light = cv2.erode(gray, np.ones((3, 3), np.uint8)) > settings.faint_line_darkest
    return ((cv2.blur(darker, along) > settings.faint_line_contrast) & light).astype(np.uint8) * 255


def horizontal_rules(ink: np.ndarray, settings: GridSettings) -> np.ndarray:
    """Mask of long horizontal strokes, with gaps in broken rules bridged.

    Opening comes first so that text never turns into a bar: only runs longer than any
    character stroke survive it; closing then joins the surviving pieces of a broken rule.
    """
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                             (settings.min_piece, 1)))
    bridged = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                                  (settings.bridge_gap, 1)))
    # A rule may be tilted by a pixel or two over its length; the 3-px tall dilation keeps it whole.
    return cv2.dilate(bridged, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))


def vertical_rules(ink: np.ndarray, row_height: int, settings: GridSettings) -> np.ndarray:
    """Mask of vertical strokes taller than any character stroke (and at least half a row)."""
    length = max(settings.min_vertical_piece, min(int(row_height * 0.6), settings.min_piece))
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    bridged = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                                  (1, settings.bridge_gap)))
    return cv2.dilate(bridged, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))


def rule_segments(mask: np.ndarray, horizontal: bool, min_length: int) -> list[Rule]:
    """Connected straight rules of a line mask."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        if horizontal and w >= min_length:
            out.append(Rule(True, int(y + h // 2), int(x), int(x + w)))
        elif not horizontal and h >= min_length:
            out.append(Rule(False, int(x + w // 2), int(y), int(y + h)))
    return out


def table_region(h_rules: list[Rule], shape: tuple[int, ...], settings: GridSettings,
                 ) -> tuple[int, int, int, int] | None:
    """x0, y0, x1, y1 of the table the longest rule belongs to: long rules over one another, no wide gap."""
    width = shape[1]
    long = [r for r in h_rules if r.length >= width * settings.min_rule_share]
    if len(long) < 2:
        return None
    anchor = max(long, key=lambda r: r.length)
    members = sorted((r for r in long if _overlap(r, anchor) >= 0.5 * min(r.length, anchor.length)),
                     key=lambda r: r.pos)
    if len(members) < 2:
        return None
    gaps = np.diff([r.pos for r in members])
    limit = max(shape[0] * 0.2, 6 * float(np.median(gaps)))
    groups: list[list[Rule]] = [[members[0]]]
    for rule, gap in zip(members[1:], gaps, strict=True):
        if gap > limit:
            groups.append([])
        groups[-1].append(rule)
    group = max((g for g in groups if len(g) >= 2), key=lambda g: (anchor in g, len(g)), default=None)
    if group is None:
        return None
    # The table's width is its longest rules' (its borders): inner rules stop short where a cell spans rows.
    longest = max(r.length for r in group)
    full = [r for r in group if r.length >= 0.7 * longest]
    # Its borders, top and bottom, run its whole width; inner rules stop short where a cell spans rows, and
    # a stray line beside the table is one rule, not two.
    starts, ends = sorted(r.start for r in full), sorted((r.end for r in full), reverse=True)
    x0, x1 = starts[min(1, len(starts) - 1)], ends[min(1, len(ends) - 1)]
    return x0, group[0].pos, x1, group[-1].pos


def merged_cells(rows: list[_Line], cols: list[_Line], settings: GridSettings,
                 text_ink: np.ndarray | None = None) -> tuple[tuple[int, int, int, int], ...]:
    """Positions whose shared side carries no rule are one cell, as long as the cells they make are rectangles.

    A side with no rule along it is no proof of a merged cell when the rule is only broken (a faint or
    dropped-out line, a seal over it): where both cells hold text of their own and none crosses the side,
    they stay two (`_joined`)."""
    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    open_sides: set[tuple[int, int, int, int]] = set()
    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and cols[c + 1].cover and _joined(
                    cols[c + 1], rows[r].pos, rows[r + 1].pos, cols[c].pos, cols[c + 2].pos, True, text_ink, settings):
                open_sides.add((r, c, r, c + 1))
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and _joined(
                    rows[r + 1], cols[c].pos, cols[c + 1].pos, rows[r].pos, rows[r + 2].pos, False, text_ink, settings,
                    broken=rows[r + 1].covered(cols[0].pos, cols[-1].pos) < 0.5):
                open_sides.add((r, c, r + 1, c))
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    spans = []
    for members in groups.values():
        if len(members) < 2:
            continue
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        # A cell is a rectangle with no rule inside it: a rule inside means positions joined round it.
        inside = [(r, c, r, c + 1) for r in range(r0, r1 + 1) for c in range(c0, c1)] + \
                 [(r, c, r + 1, c) for r in range(r0, r1) for c in range(c0, c1 + 1)]
        if (r1 - r0 + 1) * (c1 - c0 + 1) == len(members) and open_sides.issuperset(inside):
            spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return tuple(sorted(spans))


def _joined(side: _Line, a: int, b: int, before: int, after: int, across_columns: bool,
            text_ink: np.ndarray | None, settings: GridSettings, broken: bool = False) -> bool:
    """Whether the two cells either side of `side` (along a..b; the cells reach back to `before` and on to
    `after`) are one cell.

    Ruled: two. Unruled: one, unless text evidence says otherwise. Across columns any side counts as a
    boundary where both cells hold text and none crosses it (a group header's label crosses the side it
    spans). Down a column only a broken rule can be overruled that way, one with pieces along this side
    or missing across most of the table (`broken`): a value centred in a cell spanning rows may sit in one
    sub-row or two without crossing the side between them.
    """
    covered = side.covered(a, b)
    if covered >= settings.cover_share:
        return False
    if text_ink is None or (not across_columns and not broken and covered < settings.broken_share):
        return True
    return not _text_on_both_sides(text_ink, side.pos, a, b, before, after, across_columns)


def _text_on_both_sides(text_ink: np.ndarray, pos: int, a: int, b: int, before: int, after: int,
                        across_columns: bool) -> bool:
    """Both cells beside the line at `pos` hold ink and no ink crosses the line."""
    margin, near = 6, 3
    patch = text_ink[a + margin:b - margin] if across_columns else text_ink[:, a + margin:b - margin].T
    if patch.size == 0:
        return False
    # `patch` runs along the side (rows) and across it (columns), with the side at column `pos`.
    inked = patch > 0
    first = inked[:, before + margin:pos - near].sum()
    second = inked[:, pos + near + 1:after - margin].sum()
    # Text crosses where ink runs right over the line; the pieces of a broken rule are only a line's width.
    crossing = (inked[:, pos - near:pos + near + 1].sum(axis=1) >= 2 * near).sum()
    return first >= 20 and second >= 20 and crossing == 0


def true_runs(flags: np.ndarray, min_length: int = 1) -> list[tuple[int, int]]:
    """(start, end) of each run of True at least `min_length` long."""
    padded = np.concatenate(([False], flags.astype(bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= min_length]


def text_bands(ink: np.ndarray, min_height: int = 8) -> list[tuple[int, int]]:
    """(top, bottom) of each horizontal band of text on the page, top to bottom."""
    return true_runs(ink.sum(axis=1) / 255 >= 3, min_height)


def column_rivers(text_ink: np.ndarray, region: Box, settings: GridSettings) -> list[int]:
    """Centres of the blank runs that go down through the region's text lines: the columns of an unruled table.

    Each text line's ink is widened by a little so the characters of one value join; a river is a run of
    x at least `river_width` wide where (almost) no line has ink, with text on both sides.
    """
    patch = text_ink[region.y0:region.y1, region.x0:region.x1]
    if patch.size == 0:
        return []
    # A speck of dust in one line's blank is a third of the lines of a three-row page: it would split a river.
    patch = without_specks(patch, settings.speck_area)
    lines = text_bands(patch)
    if not lines:
        return []
    if len(lines) == 1:
        # One row between two rules (the last trainee alone on a page): its values' gaps are the rivers, wider
        # than the space a padded name (张　三) or a date (8月4日 - 8月23日) leaves inside a value.
        settings = replace(settings, river_width=settings.river_width * ONE_LINE_RIVER)
    joined = cv2.dilate(patch, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    occupied = np.zeros(patch.shape[1], np.float32)
    for top, bottom in lines:
        occupied += joined[top:bottom].any(axis=0)
    return [region.x0 + (a + b) // 2 for a, b in _rivers(occupied / len(lines), settings, len(lines))]


MIN_LINES_ONE_MAY_CROSS = 5
ONE_LINE_RIVER = 3  # times river_width: the blank between one line's values


def _rivers(share: np.ndarray, settings: GridSettings, lines: int, one_may_cross: bool = False
            ) -> list[tuple[int, int]]:
    """The blank runs (start, end) in a profile of the share of `lines` text lines with ink at each x, with
    text on both sides. In an unruled table (`one_may_cross`) one line of five or more may always cross: in
    a short table the share allowed is less than a line, and one name written a little wide would narrow a
    river out of being one. Between a ruled table's rules the line that crosses is its header's label,
    which says the column is one."""
    allowed = 1.0 / lines + 1e-6 if one_may_cross and lines >= MIN_LINES_ONE_MAY_CROSS else 0.0
    blank = share <= max(settings.river_crossings, allowed)
    inked = np.flatnonzero(~blank)
    if len(inked) == 0:
        return []
    first, last = int(inked[0]), int(inked[-1])
    return [(first + a, first + b) for a, b in true_runs(blank[first:last], settings.river_width)]


# How far short of the row rules (share of the shortest row's height) a rule that rules whole rows may stop.
SHORT_RULE_SLACK = 0.12


def _is_column_rule(line: _Line, ys: list[int], settings: GridSettings) -> bool:
    """A column rule rules most rows, or rules whole rows from one row rule to another (a header-only
    rule, a rule stopping short). A stroke in a cell or a seal's curved edge starts and ends mid-row."""
    if _rules_most_rows(line, ys, settings):
        return True
    # A rule that rules a row meets the rules above and below it; a character's stroke in a tall row stops
    # a little short of both, so the slack is a share of the row's height, not a fixed distance.
    shortest = float(min(np.diff(ys)))
    tol = max(6.0, min(settings.merge_distance * 2, SHORT_RULE_SLACK * shortest))
    return any(min(abs(s - y) for y in ys) <= tol and min(abs(e - y) for y in ys) <= tol
               and e - s >= 0.5 * shortest for s, e in line.cover)


def _rules_most_rows(line: _Line, ys: list[int], settings: GridSettings) -> bool:
    if not line.cover:
        return True  # an outer edge put there by the row rules
    ruled = [a for a, b in zip(ys, ys[1:], strict=False) if line.covered(a, b) >= settings.cover_share]
    return len(ruled) * 2 >= len(ys) - 1


def _near_region(rule: Rule, x0: int, x1: int, ys: list[int], settings: GridSettings) -> bool:
    """Inside the rows' extent, or just outside it as an outer border that runs the table's height
    (broken row rules may stop short of the border they meet)."""
    if x0 - 6 <= rule.pos <= x1 + 6:
        return True
    reach = max(settings.merge_distance * 3, int(0.04 * (x1 - x0)))
    tall = min(rule.end, ys[-1]) - max(rule.start, ys[0]) >= 0.6 * (ys[-1] - ys[0])
    return tall and x0 - reach <= rule.pos <= x1 + reach


def _overlap(a: Rule, b: Rule) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _lines(rules: list[Rule], merge: int) -> list[_Line]:
    """Rules grouped by position (doubled or thick rules are one line), each line with what it covers."""
    lines: list[_Line] = []
    for rule in sorted(rules, key=lambda r: r.pos):
        if lines and rule.pos - lines[-1].pos <= merge:
            line = lines[-1]
        else:
            line = _Line(rule.pos)
            lines.append(line)
        line.cover.append((rule.start, rule.end))
    for line in lines:
        line.cover = _union(line.cover)
    return lines


def _merge_lines(lines: list[_Line], more: list[_Line], merge: int) -> list[_Line]:
    """`lines` with `more` added; a line of `more` at the position of one of `lines` adds to what it covers."""
    out = [_Line(line.pos, list(line.cover)) for line in lines]
    for extra in more:
        near = min(out, key=lambda line: abs(line.pos - extra.pos), default=None)
        if near is not None and abs(near.pos - extra.pos) <= merge:
            near.cover = _union(near.cover + extra.cover)
        else:
            out.append(_Line(extra.pos, list(extra.cover)))
    return sorted(out, key=lambda line: line.pos)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _with_outer_edges(cols: list[_Line], x0: int, x1: int, tolerance: int) -> list[_Line]:
    """Tables drawn without outer verticals still end where their row rules end."""
    cols = [c for c in cols if x0 - tolerance <= c.pos <= x1 + tolerance]
    if not cols or cols[0].pos - x0 > tolerance:
        cols = [_Line(x0), *cols]
    if x1 - cols[-1].pos > tolerance:
        cols = [*cols, _Line(x1)]
    return cols
