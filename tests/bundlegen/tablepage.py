"""A trainee table as one page prints it: its look (columns, header wordings, merges, ruling, what is
written by hand) and the drawing of the rules, the header cells and the rows.

The roster and the agreement share this; the house look of each is the notice's columns in the
notice's order under a plain ruled grid, and a "wide" bundle draws every part of the look.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tests.bundlegen import handwriting, layout, ruling
from tests.bundlegen.draft import Color, PageDraft

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class TableLook:
    columns: tuple[str, ...]                 # field keys in print order
    labels: dict[str, str]                   # key -> header text; "\n" breaks it where the form does
    group: tuple[str, tuple[str, ...]] | None = None   # a heading over adjacent columns: two header rows
    spans: frozenset[str] = frozenset()      # columns merged down the page into one tall cell
    ruling: str = "solid"
    hand: frozenset[str] = frozenset()       # columns filled in by hand, in ballpoint
    glue_gender: bool = False                # the gender written in the name cell, no gender column
    align: str = "center"
    pad: float = 14                          # room a column leaves beside its longest one-line value
    seed: int = 0                            # for the ruling's and the hands' own random draws

    def group_columns(self) -> tuple[int, int] | None:
        if self.group is None:
            return None
        idx = [self.columns.index(k) for k in self.group[1]]
        return min(idx), max(idx)

    def merges(self, with_header: bool) -> ruling.Merges:
        return ruling.Merges(header_rows=(2 if self.group else 1) if with_header else 0,
                             group=self.group_columns() if with_header else None,
                             spans=frozenset(self.columns.index(k) for k in self.spans))


def plain_look(columns: Sequence[str], labels: dict[str, str]) -> TableLook:
    return TableLook(tuple(columns), dict(labels))


@dataclass
class PagePaint:
    """What one table page is drawn with."""
    face: str
    size: int
    color: Color
    line: int
    outer: int
    max_lines: int = 2
    rng: random.Random | None = None             # the ruling's draws (broken, partial)
    hand_rng: np.random.Generator | None = None  # the hands' draws
    skip: frozenset[str] = field(default_factory=frozenset)   # columns drawn by the caller (signatures)


def header_edges(top: float, header_h: float, two_rows: bool) -> list[float]:
    """The y of the header's rules: one row, or a heading row over a row of sub-labels."""
    if not two_rows:
        return [top, top + header_h]
    return [top, top + round(header_h * 0.48), top + header_h]


def draw(page: PageDraft, look: TableLook, xs: Sequence[float], ys: Sequence[float], with_header: bool,
         rows: Sequence[dict[str, str]], paint: PagePaint) -> list[dict[str, Box]]:
    """Rules, header and rows of one page; returns each row's cell boxes by column key."""
    merges = look.merges(with_header)
    ruling.draw(page, xs, ys, merges, look.ruling, paint.line, paint.outer, paint.color, paint.rng)
    if with_header:
        _header(page, look, xs, ys, merges, paint)
    body = list(ys[merges.header_rows:])
    boxes = [{k: (xs[i], body[r], xs[i + 1], body[r + 1]) for i, k in enumerate(look.columns)}
             for r in range(len(rows))]
    for r, row in enumerate(rows):
        for key in look.columns:
            if key in paint.skip or key in look.spans:
                continue
            _cell(page, look, key, row.get(key, ""), boxes[r][key], paint)
    for key in look.spans:
        i = look.columns.index(key)
        if rows and key not in paint.skip:
            _cell(page, look, key, rows[0].get(key, ""), (xs[i], body[0], xs[i + 1], body[len(rows)]), paint,
                  max_lines=6)
    return boxes


def _header(page: PageDraft, look: TableLook, xs: Sequence[float], ys: Sequence[float], merges: ruling.Merges,
            paint: PagePaint) -> None:
    group = merges.group
    bottom = ys[merges.header_rows]
    for i, key in enumerate(look.columns):
        under = group is not None and group[0] <= i <= group[1]
        top = ys[1] if under else ys[0]
        _typed(page, look.labels[key], (xs[i], top, xs[i + 1], bottom), paint, "center", paint.max_lines)
    if group is not None and look.group is not None:
        _typed(page, look.group[0], (xs[group[0]], ys[0], xs[group[1] + 1], ys[1]), paint, "center", 1)


def _cell(page: PageDraft, look: TableLook, key: str, text: str, box: Box, paint: PagePaint,
          max_lines: int | None = None) -> None:
    if not text:
        return
    if key in look.hand and paint.hand_rng is not None:
        handwriting.fill_in(page, text, box, paint.hand_rng)
    else:
        _typed(page, text, box, paint, "center" if key == "seq" else look.align, max_lines or paint.max_lines)


def _typed(page: PageDraft, text: str, box: Box, paint: PagePaint, align: str, max_lines: int) -> None:
    layout.text_in_box(page, text, box, paint.face, paint.size, align=align, max_lines=max_lines, color=paint.color)
