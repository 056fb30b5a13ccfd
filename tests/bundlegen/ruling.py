"""A table's ruling: which line segments a grid with merged cells has, and how they are drawn.

Merged cells leave gaps in the grid: a heading over several columns has no rules between them in its
row, a column whose cells are merged down the page has no rules between its rows. The segments are
then drawn in one of the line styles forms are printed or copied in: solid, faint, broken (a worn
copier), double frames, three-line tables, rows without rules, some rules missing, or none at all.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from tests.bundlegen.draft import Color, PageDraft

RULINGS = ("solid", "faint", "broken", "double", "none", "three_line", "open", "partial")
RULING_WEIGHTS = (5, 2, 2, 1, 1, 1, 1, 1)


@dataclass(frozen=True)
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float
    outer: bool        # part of the table's frame
    index: int         # the rule's index among the horizontal (or vertical) rules


@dataclass(frozen=True)
class Merges:
    """Where the grid is interrupted: header rows, a heading's columns, columns merged down the body."""
    header_rows: int = 1                  # 0 (no header on this page), 1 or 2
    group: tuple[int, int] | None = None  # first and last column under a two-row header's heading
    spans: frozenset[int] = frozenset()   # columns whose body cells are one tall cell


def segments(xs: Sequence[float], ys: Sequence[float],
             merges: Merges = Merges()) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical segments of the grid, each rule in as few pieces as its merges allow."""
    rows, cols = len(ys) - 1, len(xs) - 1
    body_from = merges.header_rows

    def h_open(i: int, c: int) -> bool:   # is the rule at ys[i] drawn over column c?
        if i in (0, rows):
            return True
        if merges.header_rows == 2 and i == 1:
            return merges.group is not None and merges.group[0] <= c <= merges.group[1]
        return not (i > body_from and c in merges.spans)

    def v_open(j: int, r: int) -> bool:   # is the rule at xs[j] drawn beside row r?
        if j in (0, cols):
            return True
        return not (merges.header_rows == 2 and r == 0 and merges.group is not None
                    and merges.group[0] < j <= merges.group[1])

    horizontal = [Segment(xs[a], y, xs[b], y, i in (0, rows), i)
                  for i, y in enumerate(ys) for a, b in _runs([h_open(i, c) for c in range(cols)])]
    vertical = [Segment(x, ys[a], x, ys[b], j in (0, cols), j)
                for j, x in enumerate(xs) for a, b in _runs([v_open(j, r) for r in range(rows)])]
    return horizontal, vertical


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Index ranges [a, b) of consecutive True flags, as edge indices (a .. b)."""
    out, start = [], None
    for i, on in enumerate([*flags, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start, i))
            start = None
    return out


def draw(page: PageDraft, xs: Sequence[float], ys: Sequence[float], merges: Merges, ruling: str, line: int,
         outer: int, color: Color, rng: random.Random | None = None) -> None:
    """Draw the grid's rules in a line style. "solid" without merges is the plain grid every house form has."""
    horizontal, vertical = segments(xs, ys, merges)
    header_rule = merges.header_rows if merges.header_rows else None
    for seg in horizontal:
        _draw_segment(page, seg, ruling, line, outer, color, rng, header_rule, horizontal=True)
    for seg in vertical:
        _draw_segment(page, seg, ruling, line, outer, color, rng, header_rule, horizontal=False)


def _draw_segment(page: PageDraft, seg: Segment, ruling: str, line: int, outer: int, color: Color,
                  rng: random.Random | None, header_rule: int | None, horizontal: bool) -> None:
    width = outer if seg.outer else line
    if ruling == "solid":
        page.line(seg.x0, seg.y0, seg.x1, seg.y1, width, color)
    elif ruling == "faint":
        page.line(seg.x0, seg.y0, seg.x1, seg.y1, 1, _faded(color, 0.72))
    elif ruling == "broken":
        _broken(page, seg, width, color, _need(rng))
    elif ruling == "double":
        page.line(seg.x0, seg.y0, seg.x1, seg.y1, max(1, line - 1) if seg.outer else line, color)
        if seg.outer:
            _offset_twin(page, seg, horizontal, max(1, line - 1), color)
    elif ruling == "three_line":
        if horizontal and (seg.outer or seg.index == header_rule):
            page.line(seg.x0, seg.y0, seg.x1, seg.y1, outer + 1 if seg.outer else 1, color)
    elif ruling == "open":
        if not horizontal or seg.outer or seg.index == header_rule:
            page.line(seg.x0, seg.y0, seg.x1, seg.y1, width, color)
    elif ruling == "partial":
        if seg.outer or _need(rng).random() > 0.35:
            page.line(seg.x0, seg.y0, seg.x1, seg.y1, width, color)
    elif ruling != "none":
        raise ValueError(f"unknown ruling {ruling!r}; known: {', '.join(RULINGS)}")


def _need(rng: random.Random | None) -> random.Random:
    if rng is None:
        raise ValueError("this ruling draws at random: pass its rng")
    return rng


def _faded(color: Color, towards_white: float) -> Color:
    return tuple(int(c + (255 - c) * towards_white) for c in color)  # type: ignore[return-value]


def _broken(page: PageDraft, seg: Segment, width: int, color: Color, rng: random.Random) -> None:
    """A rule a worn copier left in pieces: dashes of uneven length with short gaps."""
    length = max(abs(seg.x1 - seg.x0), abs(seg.y1 - seg.y0))
    at = 0.0
    while at < length:
        piece = min(rng.uniform(40, 260), length - at)
        a, b = at / length, (at + piece) / length
        page.line(seg.x0 + (seg.x1 - seg.x0) * a, seg.y0 + (seg.y1 - seg.y0) * a,
                  seg.x0 + (seg.x1 - seg.x0) * b, seg.y0 + (seg.y1 - seg.y0) * b, width, color)
        at += piece + rng.uniform(3, 18)


def _offset_twin(page: PageDraft, seg: Segment, horizontal: bool, width: int, color: Color) -> None:
    """The second line of a double frame, just outside the first."""
    gap = 5
    if horizontal:
        dy = -gap if seg.index == 0 else gap
        page.line(seg.x0 - gap, seg.y0 + dy, seg.x1 + gap, seg.y1 + dy, width, color)
    else:
        dx = -gap if seg.index == 0 else gap
        page.line(seg.x0 + dx, seg.y0 - gap, seg.x1 + dx, seg.y1 + gap, width, color)
