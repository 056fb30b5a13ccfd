"""Ruled tables: column widths that fit their longest text, the grid lines, and splitting rows
across pages."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from tests.bundlegen import fonts, ruling
from tests.bundlegen.draft import BLACK, Color, PageDraft


@dataclass(frozen=True)
class Column:
    label: str
    weight: float                 # share of the width left after every column got its minimum
    must_fit: Sequence[str] = ()  # texts that must fit on one line (ID numbers, phones)


def column_edges(columns: Sequence[Column], left: float, width: float, face: str, size: int,
                 rng: random.Random, jitter: float, pad: float = 14) -> list[float]:
    """Edges of the columns: each at least as wide as its one-line texts, the rest shared by weight."""
    minimum = [max([fonts.text_width(t, face, size) for t in c.must_fit] + [size * 1.6]) + 2 * pad
               for c in columns]
    spare = width - sum(minimum)
    if spare < 0:
        raise ValueError("table too narrow for its one-line columns")
    weights = [c.weight * (1 + rng.uniform(-jitter, jitter)) for c in columns]
    total = sum(weights)
    edges = [left]
    for m, w in zip(minimum, weights, strict=True):
        edges.append(edges[-1] + m + spare * w / total)
    return [round(e) for e in edges]


def fits(columns: Sequence[Column], width: float, face: str, size: int, pad: float = 14) -> bool:
    need = sum(max([fonts.text_width(t, face, size) for t in c.must_fit] + [size * 1.6]) + 2 * pad
               for c in columns)
    return need <= width


def draw_grid(draft: PageDraft, xs: Sequence[float], ys: Sequence[float], line: int, outer: int,
              color: Color = BLACK) -> None:
    ruling.draw(draft, xs, ys, ruling.Merges(), "solid", line, outer, color)


def row_edges(top: float, header: float | None, row: float, count: int) -> list[float]:
    ys = [top]
    if header is not None:
        ys.append(top + header)
    for _ in range(count):
        ys.append(ys[-1] + row)
    return [round(y) for y in ys]


def paginate(total: int, first_capacity: int, next_capacity: int, footer_rows: int = 0) -> list[int]:
    """Rows per page: pages filled in turn; the last one also needs `footer_rows` rows' worth of space
    for what follows the table, so rows move on to a further page rather than crowd it out."""
    if first_capacity < 1 or next_capacity < 1:
        raise ValueError("a page must hold at least one row")
    counts, left, capacity = [], total, first_capacity
    while left > 0:
        if left <= capacity - footer_rows:
            take = left
        elif left <= capacity:
            take = max(1, min(left - 1, capacity - footer_rows))
        else:
            take = capacity
        counts.append(take)
        left -= take
        capacity = next_capacity
    return counts or [0]
