"""Certificate copy sheets as institutions make them: one card a sheet, a card's front and back side by
side, two or four people's cards on one sheet, now and then a card laid sideways or upside down.

Each sheet's meta lists its cards with their boxes, so truth.json can say which region of the page
belongs to whom, and a reader can be held to keeping each card's fields inside its card.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tests.bundlegen.certificate import CARD_H, CARD_W, draw_back, draw_front
from tests.bundlegen.content import Trainee
from tests.bundlegen.draft import A4_LANDSCAPE, A4_PORTRAIT, PageDraft
from tests.bundlegen.style import Style

SHEET_MODES = ("single", "front_back", "pairs", "grid", "mixed")
SHEET_WEIGHTS = (4, 2, 2, 1, 1)
MAX_CARDS = 4


@dataclass(frozen=True)
class Card:
    trainee: Trainee
    side: str   # "front" or "back"


def plan(trainees: list[Trainee], mode: str, rng: random.Random) -> list[list[Card]]:
    """The cards of each sheet, in copying order; a front and its back always share a sheet."""
    if mode == "single":
        return [[Card(t, "front")] for t in trainees]
    if mode == "front_back":
        return [[Card(t, "front"), Card(t, "back")] for t in trainees]
    if mode == "pairs":
        return _chunks([[Card(t, "front")] for t in trainees], lambda: 2)
    if mode == "grid":
        return _chunks([[Card(t, "front")] for t in trainees], lambda: rng.randint(3, MAX_CARDS))
    if mode == "mixed":
        units = [[Card(t, "front"), Card(t, "back")] if rng.random() < 0.3 else [Card(t, "front")] for t in trainees]
        return _chunks(units, lambda: rng.randint(1, MAX_CARDS))
    raise ValueError(f"unknown sheet mode {mode!r}; known: {', '.join(SHEET_MODES)}")


def _chunks(units: list[list[Card]], room: Callable[[], int]) -> list[list[Card]]:
    sheets: list[list[Card]] = []
    current: list[Card] = []
    limit = room()
    for unit in units:
        if current and len(current) + len(unit) > limit:
            sheets.append(current)
            current, limit = [], room()
        current.extend(unit)
    if current:
        sheets.append(current)
    return sheets


def render(cards: list[Card], style: Style, rng: random.Random, np_rng: np.random.Generator) -> PageDraft:
    """One photocopied sheet holding `cards`, each in its own cell of a grid, placed loosely."""
    n = len(cards)
    landscape = rng.random() < {1: 0.1, 2: 0.5}.get(n, 0.7)
    width, height = A4_LANDSCAPE if landscape else A4_PORTRAIT
    page = PageDraft("certificate", width, height)
    rows, cols = _grid(n, landscape, rng)
    mx, my = rng.randint(90, 170), rng.randint(90, 170)
    cell_w, cell_h = (width - 2 * mx) / cols, (height - 2 * my) / rows
    placed = []
    for i, card in enumerate(cards):
        r, c = divmod(i, cols)
        turn = rng.choices((0, 90, 270, 180), weights=(85, 6, 5, 4), k=1)[0]
        foot_w, foot_h = (CARD_H, CARD_W) if turn in (90, 270) else (CARD_W, CARD_H)
        scale = min(cell_w * 0.92 / foot_w, cell_h * 0.92 / foot_h, 1.05) * rng.uniform(0.88, 1.0)
        fw, fh = foot_w * scale, foot_h * scale
        # Cards laid on the copier's glass leave a finger's breadth between them.
        gap_x, gap_y = min(25.0, (cell_w - fw) / 2), min(25.0, (cell_h - fh) / 2)
        x = mx + c * cell_w + rng.uniform(gap_x, cell_w - fw - gap_x)
        y = my + r * cell_h + rng.uniform(gap_y, cell_h - fh - gap_y)
        _draw(page, card, style, rng, np_rng, x, y, scale, turn)
        placed.append({"trainee": card.trainee, "side": card.side, "turn": turn, "box": (x, y, x + fw, y + fh)})
    page.meta["has_header_row"] = False
    page.meta["cards"] = placed
    page.meta["photocopy_seed"] = rng.randrange(2**32)
    return page


def _grid(n: int, landscape: bool, rng: random.Random) -> tuple[int, int]:
    """Rows and columns of the sheet's cells."""
    if n == 1:
        return 1, 1
    if n == 2:
        return (1, 2) if landscape else (2, 1)
    if n == 3 and not landscape and rng.random() < 0.5:
        return 3, 1
    return 2, 2


def _draw(page: PageDraft, card: Card, style: Style, rng: random.Random, np_rng: np.random.Generator, x: float,
          y: float, scale: float, turn: int) -> None:
    """An upright card straight onto the sheet; a turned one drawn on its own and laid in turned."""
    target = page if turn == 0 else PageDraft("card", int(CARD_W * scale) + 1, int(CARD_H * scale) + 1)
    at = (x, y) if turn == 0 else (0, 0)
    if card.side == "front":
        draw_front(target, card.trainee, style, rng, np_rng, *at, scale)
    else:
        draw_back(target, card.trainee, style, rng, *at, scale)
    if turn:
        page.inset(target, x, y, turn)
