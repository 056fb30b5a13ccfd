"""Public real table images with hand-checked truth: loading them as pages and scoring the reader's table.

The truth files live in tests/data/real_tables/<source>/<image stem>.json, one per image, beside a SOURCE.md
per source (repository, path, commit, licence). The images themselves are looked up by the same
<source>/<file> under each image root in turn (see `image_roots`), because they are other projects' files.

A truth file holds the table(s) on the image as rows of cell texts over the table's finest grid. A cell
that spans several grid positions is written once, in its top-left position; the positions it covers
hold "<" (same cell as on the left) or "^" (same cell as above). `tables` is [] for an image without a
table.

Scoring: the reader's table (its header rows and data rows) is laid over the best-matching truth table,
columns and rows aligned in order by their text (so one merged or split row does not shift every row
after it), and each truth cell is right when the reader's positions under it hold its text and nothing
else (a spanning cell repeated in each position it covers counts as whole), after removing whitespace.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from intake.page_reader import PageReading
from ocr.sources import load_pages
from ocr.types import PageImage

ROOT = Path(__file__).resolve().parents[1]
TRUTH_ROOT = ROOT / "tests" / "data" / "real_tables"
IMAGE_ROOT_VARIABLE = "SUBSIDY_REAL_TABLES"
LEFT, ABOVE = "<", "^"
VARIANTS = ("turn90", "perspective")
DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－一"})


@dataclass(frozen=True, slots=True)
class TruthCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True, slots=True)
class TruthTable:
    rows: tuple[tuple[str, ...], ...]   # every grid position, a spanning cell's text in each it covers
    cells: tuple[TruthCell, ...]        # each cell once

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0]) if self.rows else 0


@dataclass(frozen=True, slots=True)
class Sample:
    source: str
    name: str            # file name of the image
    truth_path: Path
    image_path: Path | None
    layout: str          # ruled, partial, three-line, borderless, none
    capture: str         # screenshot, scan, photo, turned
    dpi: float | None    # the resolution the image stands for, where its file states none that fits
    tables: tuple[TruthTable, ...]
    variants: tuple[str, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}/{self.name}"


def image_roots() -> list[Path]:
    """Where the images are looked for, in order: $SUBSIDY_REAL_TABLES, then shared/real_tables beside the
    checkout (where CI lays shared/), then the truth folder itself."""
    roots = [Path(p) for p in os.environ.get(IMAGE_ROOT_VARIABLE, "").split(os.pathsep) if p]
    return [*roots, ROOT.parent / "shared" / "real_tables", TRUTH_ROOT]


def load_samples(truth_root: Path = TRUTH_ROOT, roots: Sequence[Path] | None = None) -> list[Sample]:
    roots = list(roots) if roots is not None else image_roots()
    return [load_sample(path, roots) for path in sorted(truth_root.glob("*/*.json"))]


def load_sample(path: Path, roots: Sequence[Path]) -> Sample:
    data = json.loads(path.read_text(encoding="utf-8"))
    source = path.parent.name
    image = next((root / source / data["image"] for root in roots if (root / source / data["image"]).is_file()),
                 None)
    tables = tuple(parse_table(rows, f"{path.name} table {i + 1}") for i, rows in enumerate(data["tables"]))
    return Sample(source, data["image"], path, image, data["layout"], data["capture"], data.get("dpi"),
                  tables, tuple(data.get("variants", ())), data.get("note", ""))


def parse_table(rows: Sequence[Sequence[str]], where: str) -> TruthTable:
    """Grid positions and cells from rows written with "<" and "^" for the positions a cell covers."""
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError(f"{where}: rows of different lengths {[len(r) for r in rows]}")
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == LEFT:
                if c == 0:
                    raise ValueError(f"{where}: '<' in the first column, row {r + 1}")
                owner[r, c] = owner[r, c - 1]
            elif text == ABOVE:
                if r == 0:
                    raise ValueError(f"{where}: '^' in the first row, column {c + 1}")
                owner[r, c] = owner[r - 1, c]
            else:
                owner[r, c] = (r, c)
    covered: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for pos, top_left in owner.items():
        covered.setdefault(top_left, []).append(pos)
    cells = []
    for (r, c), positions in sorted(covered.items()):
        rs = max(p[0] for p in positions) - r + 1
        cs = max(p[1] for p in positions) - c + 1
        if rs * cs != len(positions):
            raise ValueError(f"{where}: the cell at row {r + 1}, column {c + 1} is not a rectangle")
        cells.append(TruthCell(r, c, rs, cs, rows[r][c]))
    grid = tuple(tuple(rows[owner[r, c][0]][owner[r, c][1]] for c in range(width)) for r in range(len(rows)))
    return TruthTable(grid, tuple(cells))


# --- pages ------------------------------------------------------------------------------------------------

def load_page(sample: Sample, variant: str = "") -> PageImage:
    """The image as the product loads it, at the truth's resolution where the file states none that fits,
    turned or put in perspective for a variant."""
    if sample.image_path is None:
        raise FileNotFoundError(f"{sample.key}: image not found under {', '.join(map(str, image_roots()))}")
    page = next(iter(load_pages(sample.image_path)))
    if not isinstance(page, PageImage):
        raise ValueError(f"{sample.key}: {page}")
    if sample.dpi:
        page.dpi = float(sample.dpi)
    if variant == "turn90":
        page.image = np.ascontiguousarray(np.rot90(page.image, k=-1))
    elif variant == "perspective":
        page.image = in_perspective(page.image)
    elif variant:
        raise ValueError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
    return page


def in_perspective(image: np.ndarray, lean: float = 0.07) -> np.ndarray:
    """The sheet as a phone held a little tilted sees it: the top edge narrower, on a grey desk."""
    h, w = image.shape[:2]
    pad = int(0.08 * max(w, h))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[pad + lean * w, pad], [pad + w - lean * w, pad + 0.02 * h],
                      [pad + w, pad + h], [pad, pad + h - 0.01 * h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w + 2 * pad, h + 2 * pad), borderValue=(120, 120, 120))


# --- the reader's table -----------------------------------------------------------------------------------

def reader_rows(reading: PageReading) -> list[list[str]]:
    """The reader's table as rows of texts: its header (two header rows come joined, as the reader keeps
    them) and its data rows; [] when it found no table."""
    table = reading.table
    if table is None:
        return []
    rows = [list(table.header)] if table.header_rows else []
    return rows + [[cell.text for cell in row] for row in table.rows]


def reader_confidences(reading: PageReading) -> list[list[float]]:
    """The confidence of each of `reader_rows` (the header's is not kept by the reader: taken as certain)."""
    table = reading.table
    if table is None:
        return []
    rows = [[1.0] * len(table.header)] if table.header_rows else []
    return rows + [[cell.confidence for cell in row] for row in table.rows]


# --- scoring ----------------------------------------------------------------------------------------------

def strict(text: str) -> str:
    return "".join(text.split())


def loose(text: str) -> str:
    """Also blind to full- and half-width forms and to which dash was printed."""
    return strict(unicodedata.normalize("NFKC", text)).translate(DASHES)


@dataclass(slots=True)
class Score:
    truth_shape: tuple[int, int] = (0, 0)
    found_shape: tuple[int, int] = (0, 0)
    cells: int = 0
    right: int = 0
    filled: int = 0           # truth cells that hold text
    filled_right: int = 0
    loose_right: int = 0      # right when full/half width and dashes are not told apart
    split: int = 0            # a cell's text spread over several of the reader's cells
    unread: int = 0           # text in the truth, nothing in the reader's cell
    unread_certain: int = 0   # of those, how many the reader called certain (confidence >= 0.99)
    misread: int = 0          # text in both, different
    missing: int = 0          # no reader cell under it at all (its row or column not found)
    rows_unmatched: list[int] = field(default_factory=list)   # truth rows (0-based) no reader row was laid on
    extra_rows: int = 0       # reader rows laid on no truth row
    extra_cols: int = 0
    misses: list[str] = field(default_factory=list)           # a few "truth -> read" examples
    header_missed: bool = False  # none of the first truth row's texts came back in place


def score_table(truth: TruthTable, found: list[list[str]], confidences: list[list[float]] | None = None) -> Score:
    n_rows, n_cols = truth.shape
    width = max((len(r) for r in found), default=0)
    found = [list(r) + [""] * (width - len(r)) for r in found]
    sure = [list(r) + [1.0] * (width - len(r)) for r in confidences] if confidences else \
        [[0.0] * width for _ in found]
    score = Score((n_rows, n_cols), (len(found), width))
    cols = align(_column_similarity(truth.rows, found, n_cols, width), n_cols, width)
    rows = align(_row_similarity(truth.rows, found, cols), n_rows, len(found))
    row_of = {t: f for t, f in rows}
    col_of = {t: f for t, f in cols}
    score.rows_unmatched = [r for r in range(n_rows) if r not in row_of]
    score.extra_rows = len(found) - len(rows)
    score.extra_cols = width - len(cols)
    first_row_right = 0
    for cell in truth.cells:
        under = [(row_of[r], col_of[c]) for r in range(cell.row, cell.row + cell.rowspan) if r in row_of
                 for c in range(cell.col, cell.col + cell.colspan) if c in col_of]
        before, unread = score.filled_right, score.unread
        _judge(score, cell, [found[r][c] for r, c in under])
        if score.unread > unread and all(sure[r][c] >= 0.99 for r, c in under):
            score.unread_certain += 1
        if cell.row == 0:
            first_row_right += score.filled_right - before
    score.header_missed = any(strict(t) for t in truth.rows[0]) and not first_row_right
    return score


def _judge(score: Score, cell: TruthCell, texts: list[str]) -> None:
    want = strict(cell.text)
    score.cells += 1
    score.filled += bool(want)
    pieces = _distinct([strict(t) for t in texts])
    if not texts:
        score.missing += 1
    elif pieces == ([want] if want else []):
        score.right += 1
        score.filled_right += bool(want)
        score.loose_right += 1
        return
    elif len(pieces) > 1 and "".join(pieces) == want:
        score.split += 1
    elif want and not pieces:
        score.unread += 1
    else:
        score.misread += 1
    if _distinct([loose(t) for t in texts]) == ([loose(cell.text)] if want else []):
        score.loose_right += 1
    if want and len(score.misses) < 6:
        score.misses.append(f"{cell.text} -> {' | '.join(pieces) if texts else '(no cell)'}")


def _distinct(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        if t and t not in out:
            out.append(t)
    return out


def _overlap(a: str, b: str) -> float:
    if not a and not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return common / max(len(a), len(b))


def _column_similarity(truth: Sequence[Sequence[str]], found: list[list[str]], n_cols: int,
                       width: int) -> list[list[float]]:
    truth_cols = ["".join(strict(row[c]) for row in truth) for c in range(n_cols)]
    found_cols = ["".join(strict(row[c]) for row in found) for c in range(width)]
    return [[_overlap(t, f) for f in found_cols] for t in truth_cols]


def _row_similarity(truth: Sequence[Sequence[str]], found: list[list[str]],
                    cols: list[tuple[int, int]]) -> list[list[float]]:
    def sim(t_row: Sequence[str], f_row: list[str]) -> float:
        paired = sum(_overlap(strict(t_row[t]), strict(f_row[f])) for t, f in cols)
        whole = _overlap("".join(map(strict, t_row)), "".join(map(strict, f_row)))
        return paired + 0.5 * whole
    return [[sim(t_row, f_row) for f_row in found] for t_row in truth]


def align(sim: list[list[float]], n: int, m: int) -> list[tuple[int, int]]:
    """Pairs (i, j), both ascending, that maximise the summed similarity (a pair needs some similarity,
    or the same place when neither side has text, so that empty rows and columns still line up)."""
    best = np.zeros((n + 1, m + 1))
    step = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0 pair, 1 skip truth, 2 skip found
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i and j:
                gain = sim[i - 1][j - 1]
                options.append((best[i - 1, j - 1] + (gain if gain > 0 else 1e-3), 0))
            if i:
                options.append((best[i - 1, j], 1))
            if j:
                options.append((best[i, j - 1], 2))
            best[i, j], step[i, j] = max(options, key=lambda o: (o[0], -o[1]))
    pairs = []
    i, j = n, m
    while i or j:
        move = step[i, j] if i and j else (1 if i else 2)
        if move == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def best_score(tables: Sequence[TruthTable], found: list[list[str]],
               confidences: list[list[float]] | None = None) -> tuple[int, Score]:
    """The truth table the reader's table is (the page may hold several) and its score."""
    scored = [(i, score_table(t, found, confidences)) for i, t in enumerate(tables)]
    return max(scored, key=lambda s: (s[1].right, -s[0]))


def failure_classes(sample: Sample, score: Score | None, found: list[list[str]]) -> list[str]:
    """What went wrong, in the words of the issue's failure classes."""
    if not sample.tables:
        return ["table where there is none"] if found else []
    if not found or score is None:
        return ["table not found"]
    (t_rows, t_cols), (f_rows, f_cols) = score.truth_shape, score.found_shape
    seen = [
        (f_rows < t_rows, "rows merged"),
        (score.extra_rows > 0, "rows split"),
        (f_cols < t_cols, "columns merged"),
        (score.extra_cols > 0, "columns split"),
        (score.header_missed, "header missed"),
        (score.split > 0, "spanning cell split"),
        (score.unread > 0, "cells unread"),
        (score.unread_certain > 0, "unread cells called certain"),
        (score.misread > 0, "cells misread"),
        (len(sample.tables) > 1, "second table not read"),
    ]
    return [name for happened, name in seen if happened]
