"""What the typed forms share: margins, the 附件 label, titles, page numbers, and pressing a seal."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from tests.bundlegen import fonts, handwriting, layout
from tests.bundlegen.draft import PageDraft
from tests.bundlegen.seals import official_seal
from tests.bundlegen.style import Style


@dataclass(frozen=True)
class Margins:
    left: int
    right: int
    top: int
    bottom: int


def margins(rng: random.Random, landscape: bool) -> Margins:
    if landscape:
        return Margins(rng.randint(100, 160), rng.randint(100, 160), rng.randint(80, 130), rng.randint(80, 120))
    return Margins(rng.randint(130, 200), rng.randint(130, 200), rng.randint(120, 180), rng.randint(110, 160))


def attachment_label(draft: PageDraft, style: Style, m: Margins, number: int) -> int:
    """附件N at the top left, as the notice's attachments are headed; returns the y below it."""
    if not style.attachment_label:
        return m.top
    size = 34
    layout.line_of(draft, m.left, m.top + size / 2, f"附件{number}", style.title_face, size, style.text_color)
    return m.top + int(size * 1.8)


def title(draft: PageDraft, style: Style, text: str, top: int, size: int) -> int:
    layout.centred(draft, draft.width / 2, top + size / 2, text, style.title_face, size, style.text_color)
    return top + int(size * 1.9)


def page_number(draft: PageDraft, style: Style, m: Margins, number: int, total: int) -> None:
    if style.page_numbers:
        layout.centred(draft, draft.width / 2, draft.height - m.bottom / 2, f"第 {number} 页  共 {total} 页",
                       style.body_face, 24, style.text_color)


def press_seal(draft: PageDraft, unit: str, style: Style, centre: tuple[float, float],
               rng: np.random.Generator) -> None:
    """The unit's round seal pressed roughly centred on `centre` (a hand never centres it exactly)."""
    seal = official_seal(unit, rng, style.seal_face, diameter=int(rng.integers(300, 345)))
    x = centre[0] - seal.width / 2 + rng.normal(0, 25)
    y = centre[1] - seal.height / 2 + rng.normal(0, 20)
    draft.overlay(seal, int(x), int(y))


def labelled_line(draft: PageDraft, x: float, centre_y: float, text: str, face: str, size: int,
                  color: tuple[int, int, int], hand: np.random.Generator | None = None) -> None:
    """A "label：value" line of a form; with `hand`, the value is written in by hand after the typed label,
    as on a printed blank form."""
    label, sep, value = text.partition("：")
    if hand is None or not sep:
        layout.line_of(draft, x, centre_y, text, face, size, color)
        return
    right = layout.line_of(draft, x, centre_y, label + sep, face, size, color)
    width = fonts.text_width(value, face, size) * 1.7   # a hand writes wider than type
    handwriting.fill_in(draft, value, (right, centre_y - size, right + width, centre_y + size), hand)


def text_extent(text: str, face: str, size: int) -> float:
    return fonts.text_width(text, face, size)
