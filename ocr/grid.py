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

from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.clean import binarize, ink_gray
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
    ink = binarize(ink_gray(image))
    return find_ruled_grid(ink, settings) or find_text_grid(ink, settings)


def find_ruled_grid(ink: np.ndarray, settings: GridSettings = GridSettings()) -> Grid | None:
    """A table drawn with rules: at least two long horizontal rules over one another."""
    h_rules = rule_segments(horizontal_rules(ink, settings), True, settings.min_piece)
    region = table_region(h_rules, ink.shape, settings)
    if region is None:
        return None
    x0, y0, x1, y1 = region
    rows = _lines([r for r in h_rules if r.end > x0 and r.start < x1 and y0 - 6 <= r.pos <= y1 + 6
                   and r.length >= max(settings.min_piece, settings.min_row_rule_share * (x1 - x0))],
                  settings.merge_distance)
    if len(rows) < settings.min_rows + 1:
        return None
    ys = [line.pos for line in rows]
    heights = np.diff(ys)
    v_mask = vertical_rules(ink, int(np.median(heights)) if len(heights) else settings.min_piece, settings)
    v_rules = [r for r in rule_segments(v_mask, False, settings.min_vertical_piece)
               if r.end > ys[0] + 4 and r.start < ys[-1] - 4 and _near_region(r, x0, x1, ys, settings)]
    cols = _with_outer_edges(_lines(v_rules, settings.merge_distance), x0, x1, settings.merge_distance * 3)
    cols = [c for c in cols if _is_column_rule(c, ys, settings)]
    text_ink = cv2.subtract(ink, cv2.bitwise_or(horizontal_rules(ink, settings), v_mask))
    ruled = "grid"
    if len(cols) - 1 < 3:
        # Too few rules to be the columns (three-line tables, rules only round the outside): the text decides.
        rivers = column_rivers(text_ink, Box(x0, ys[0], x1, ys[-1]), settings)
        if len(rivers) + 1 > len(cols) - 1:
            cols = [_Line(x0), *(_Line(x) for x in rivers), _Line(x1)]
            ruled = "partial"
    if len(cols) - 1 < settings.min_cols:
        return None
    xs = [c.pos for c in cols]
    spans = merged_cells(rows, cols, settings) if ruled == "grid" else ()
    return Grid(tuple(xs), tuple(ys), spans, ruled)


def find_text_grid(ink: np.ndarray, settings: GridSettings = GridSettings()) -> Grid | None:
    """A table drawn without rules: three or more text lines on top of one another that share the same
    blank rivers. Its rows are its text lines; the header is whichever row the caller recognises."""
    bands = text_bands(ink)
    best: tuple[int, int, list[int]] | None = None
    i = 0
    while i < len(bands):
        j = i + 1
        while j < len(bands) and bands[j][0] - bands[j - 1][1] < 2.5 * (bands[j - 1][1] - bands[j - 1][0]):
            j += 1
        if j - i >= 3:
            y0, y1 = bands[i][0], bands[j - 1][1]
            xs = np.flatnonzero(ink[y0:y1].sum(axis=0))
            region = Box(int(xs[0]), y0, int(xs[-1]) + 1, y1) if len(xs) else None
            rivers = column_rivers(ink, region, settings) if region else []
            if len(rivers) >= 2 and (best is None or (j - i) * len(rivers) > (best[1] - best[0]) * len(best[2])):
                best = (i, j, [region.x0, *rivers, region.x1])
        i = j
    if best is None:
        return None
    i, j, xs = best
    ys = [bands[i][0] - 4] + [(bands[k][1] + bands[k + 1][0]) // 2 for k in range(i, j - 1)] + [bands[j - 1][1] + 4]
    return Grid(tuple(xs), tuple(ys), (), "text")


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
    x0 = int(np.median([r.start for r in full]))
    x1 = int(np.median([r.end for r in full]))
    return x0, group[0].pos, x1, group[-1].pos


def merged_cells(rows: list[_Line], cols: list[_Line], settings: GridSettings) -> tuple[tuple[int, int, int, int], ...]:
    """Positions whose shared side carries no rule are one cell, as long as the cells they make are rectangles."""
    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and cols[c + 1].cover and \
                    cols[c + 1].covered(rows[r].pos, rows[r + 1].pos) < settings.cover_share:
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and rows[r + 1].covered(cols[c].pos, cols[c + 1].pos) < settings.cover_share:
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
        if (r1 - r0 + 1) * (c1 - c0 + 1) == len(members):
            spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return tuple(sorted(spans))


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
    lines = text_bands(patch)
    if len(lines) < 2:
        return []
    joined = cv2.dilate(patch, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    occupied = np.zeros(patch.shape[1], np.float32)
    for top, bottom in lines:
        occupied += joined[top:bottom].any(axis=0)
    share = occupied / len(lines)
    blank = share <= settings.river_crossings
    inked = np.flatnonzero(~blank)
    if len(inked) == 0:
        return []
    first, last = int(inked[0]), int(inked[-1])
    rivers = [region.x0 + first + (a + b) // 2 for a, b in true_runs(blank[first:last], settings.river_width)]
    return rivers


def _is_column_rule(line: _Line, ys: list[int], settings: GridSettings) -> bool:
    """A column rule rules most rows, or rules whole rows from one row rule to another (a header-only
    rule, a rule stopping short). A stroke in a cell or a seal's curved edge starts and ends mid-row."""
    if not line.cover:
        return True  # an outer edge put there by the row rules
    ruled = [a for a, b in zip(ys, ys[1:], strict=False) if line.covered(a, b) >= settings.cover_share]
    if len(ruled) * 2 >= len(ys) - 1:
        return True
    tol = settings.merge_distance * 2
    return any(min(abs(s - y) for y in ys) <= tol and min(abs(e - y) for y in ys) <= tol
               and e - s >= 0.5 * min(np.diff(ys)) for s, e in line.cover)


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
