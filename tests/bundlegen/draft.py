"""A page as a list of drawing operations in pixel coordinates (200 DPI, y downwards).

Renderers fill a PageDraft; raster.py turns it into an image, textpdf.py into a PDF page with a
real text layer. Keeping the two behind one display list means the born-digital PDF and the scan
show the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image

DPI = 200
A4_PORTRAIT = (1654, 2339)
A4_LANDSCAPE = (2339, 1654)

Color = tuple[int, int, int]
BLACK: Color = (20, 20, 20)


@dataclass(frozen=True)
class TextOp:
    x: float
    y: float          # baseline
    text: str
    face: str
    size: int         # em size in pixels
    color: Color = BLACK


@dataclass(frozen=True)
class LineOp:
    x0: float
    y0: float
    x1: float
    y1: float
    width: int
    color: Color = BLACK


@dataclass(frozen=True)
class RectOp:
    x0: float
    y0: float
    x1: float
    y1: float
    width: int
    color: Color = BLACK
    fill: Color | None = None


@dataclass(frozen=True)
class OverlayOp:
    """An RGBA picture laid on the page: ink marks multiply with what is below, like real ink."""
    image: Image.Image
    x: int
    y: int
    multiply: bool = True


@dataclass(frozen=True)
class InsetOp:
    """A smaller page drawn into this one, turned a quarter turn or two: a card copied sideways. Drawn at
    the page's own resolution, so its text stays as sharp as the page's."""
    draft: PageDraft
    x: int
    y: int
    turn: int = 0     # counter-clockwise degrees: 0, 90, 180 or 270


Op = TextOp | LineOp | RectOp | OverlayOp | InsetOp


@dataclass
class PageDraft:
    kind: str
    width: int
    height: int
    ops: list[Op] = field(default_factory=list)
    background: Image.Image | None = None   # a whole-page picture under the ops (certificate copies)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self, x: float, y: float, text: str, face: str, size: int, color: Color = BLACK) -> None:
        if text:
            self.ops.append(TextOp(x, y, text, face, size, color))

    def line(self, x0: float, y0: float, x1: float, y1: float, width: int = 2, color: Color = BLACK) -> None:
        self.ops.append(LineOp(x0, y0, x1, y1, width, color))

    def rect(self, x0: float, y0: float, x1: float, y1: float, width: int = 2, color: Color = BLACK,
             fill: Color | None = None) -> None:
        self.ops.append(RectOp(x0, y0, x1, y1, width, color, fill))

    def overlay(self, image: Image.Image, x: int, y: int, multiply: bool = True) -> None:
        self.ops.append(OverlayOp(image, int(x), int(y), multiply))

    def inset(self, draft: PageDraft, x: float, y: float, turn: int = 0) -> None:
        self.ops.append(InsetOp(draft, int(x), int(y), turn))
