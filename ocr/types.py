"""The small value types every stage shares: boxes on a page, words read, page images."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in page pixels: x0,y0 inclusive, x1,y1 exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    def intersection(self, other: Box) -> int:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0, w) * max(0, h)

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def inset(self, dx: int, dy: int) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 - dx, self.y1 - dy)

    def as_list(self) -> list[int]:
        return [self.x0, self.y0, self.x1, self.y1]


@dataclass(frozen=True, slots=True)
class Word:
    """A run of text an engine (or a PDF text layer) found, with its box and a confidence in 0..1."""

    text: str
    box: Box
    confidence: float


@dataclass(frozen=True, slots=True)
class Reading:
    """What an engine read from one crop that holds one line of text."""

    text: str
    confidence: float


@dataclass(slots=True)
class PageImage:
    """One page of a bundle as pixels (BGR, uint8), with the PDF text layer when the page had one.

    `text_layer` words are in the same pixel coordinates as `image`.
    """

    source: str
    number: int
    image: np.ndarray
    dpi: float
    text_layer: list[Word] | None = None
    notes: list[str] = field(default_factory=list)


def union_all(boxes: list[Box]) -> Box:
    """The smallest box holding all of `boxes` (which must not be empty)."""
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out
