"""One page from pixels to readings: turned upright, levelled, its table read cell by cell.

Runs in worker processes (one engine each), so it takes and returns plain picklable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from intake.columns import DIGIT_FIELDS, looks_like_header, map_columns
from intake.second_look import second_look
from ocr.cells import CellText, cells_from_text_layer, read_cells, text_ink
from ocr.clean import binarize, ink_gray, remove_red_ink
from ocr.deskew import deskew
from ocr.engines.base import Charset, OcrEngine, rotate_clockwise
from ocr.flatten import flatten
from ocr.grid import Grid, find_grid
from ocr.marks.base import MarkVerdict
from ocr.marks.seal import Seal, find_seals
from ocr.marks.signature import SignatureDetector
from ocr.overlay import write_overlay
from ocr.types import Box, PageImage, Word

MIN_REGION_HEIGHT = 24  # px; thinner bands above or below a table hold no text line

# Cells whose content is a mark, not text: detected by the mark detectors, never OCR'd.
UNREAD_FIELDS = frozenset({"signature"})


@dataclass(slots=True)
class PageTable:
    grid: Grid
    header: list[str]
    columns: dict[str, int]
    # Data rows (the header row left out), each a list of cells in column order.
    rows: list[list[CellText]]
    # Signature verdicts per data row, by column: the signature column when the header names
    # it, every column of a headerless continuation page (its columns are known only later).
    marks: dict[int, list[MarkVerdict]] = field(default_factory=dict)


@dataclass(slots=True)
class PageReading:
    source: str
    number: int
    rotation: int
    skew: float
    width: int
    height: int
    # Text outside the table (title, header fields, paragraphs, footer), or the whole page's.
    lines: list[Word]
    table: PageTable | None
    from_text_layer: bool = False
    orientation_confidence: float = 1.0
    image_path: str | None = None
    seals: list[Seal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(w.text for w in self.lines)


def upright(page: PageImage, engine: OcrEngine) -> tuple[np.ndarray, int, float, float]:
    """The page turned and levelled; with the rotation undone, the skew removed and the confidence."""
    if page.text_layer is not None:
        return page.image, 0, 0.0, 1.0
    # A phone photo is flattened first: its table's rules must be straight for the grid finder.
    flat, _ = flatten(page.image)
    orientation = engine.detect_orientation(flat)
    image = rotate_clockwise(flat, orientation.rotation)
    image, skew = deskew(image)
    return image, orientation.rotation, skew, orientation.confidence


def read_page(page: PageImage, engine: OcrEngine, keep_image_in: Path | None = None,
              overlay_in: Path | None = None) -> PageReading:
    """Read one page. `keep_image_in` keeps the upright page image; `overlay_in` a debug overlay."""
    image, rotation, skew, confidence = upright(page, engine)
    h, w = image.shape[:2]
    grid = find_grid(image)
    table = read_table(image, grid, engine, page.text_layer) if grid is not None else None
    lines = read_outside(image, table.grid.box if table else None, engine, page.text_layer)
    reading = PageReading(page.source, page.number, rotation, skew, w, h, lines, table,
                          from_text_layer=page.text_layer is not None, orientation_confidence=confidence,
                          seals=find_seals(image))
    if keep_image_in is not None:
        path = keep_image_in / f"page-{page.number:04d}.jpg"
        cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
        reading.image_path = str(path)
    if overlay_in is not None:
        cells = [c for row in table.rows for c in row] if table else []
        write_overlay(overlay_in / f"{Path(page.source).stem}-page-{page.number:04d}.png", image,
                      table.grid if table else None, cells, lines)
    return reading


def read_table(image: np.ndarray, grid: Grid, engine: OcrEngine, text_layer: list[Word] | None) -> PageTable:
    ink = text_ink(image) if text_layer is None else None

    def read(boxes: list[Box], charsets: list[Charset]) -> list[CellText]:
        if text_layer is not None:
            return cells_from_text_layer(text_layer, boxes)
        return read_cells(image, boxes, engine, charsets, ink=ink)

    first = read([grid.cell(0, c) for c in range(grid.n_cols)], ["any"] * grid.n_cols)
    header = [cell.text for cell in first]
    if looks_like_header(header):
        columns, start = map_columns(header), 1
    else:
        columns, start = {}, 0
    role_of_col = {col: role for role, col in columns.items()}
    wanted: list[tuple[int, int]] = []
    charsets: list[Charset] = []
    for r in range(start, grid.n_rows):
        for c in range(grid.n_cols):
            if role_of_col.get(c) in UNREAD_FIELDS:
                continue
            wanted.append((r, c))
            charsets.append("digits" if role_of_col.get(c) in DIGIT_FIELDS else "any")
    texts = dict(zip(wanted, read([grid.cell(r, c) for r, c in wanted], charsets), strict=True))
    if start == 0:
        texts.update({(0, c): cell for c, cell in enumerate(first)})
    rows = [[texts.get((r, c)) or CellText("", 0.0, grid.cell(r, c)) for c in range(grid.n_cols)]
            for r in range(start, grid.n_rows)]
    if text_layer is None:
        second_look(image, rows, columns, engine)
    detector = SignatureDetector()
    mark_columns = [columns["signature"]] if "signature" in columns else [] if columns else range(grid.n_cols)
    marks = {c: [detector.detect(image, grid.cell(r, c)) for r in range(start, grid.n_rows)] for c in mark_columns}
    return PageTable(grid, header if start else [], columns, rows, marks)


def has_ink(region: np.ndarray) -> bool:
    """Blank paper (the space under a short table) is skipped without asking the engine."""
    ink = binarize(ink_gray(region))
    return float(ink.mean()) / 255 > 0.002


def read_outside(image: np.ndarray, table: Box | None, engine: OcrEngine,
                 text_layer: list[Word] | None) -> list[Word]:
    """Every text line not inside the table, in page coordinates."""
    if text_layer is not None:
        return [w for w in text_layer if table is None or not table.contains(*w.box.center)]
    # Seal ink over the unit name would otherwise be read as part of it.
    image = remove_red_ink(image)
    if table is None:
        return engine.read_page(image)
    h = image.shape[0]
    words: list[Word] = []
    for y0, y1 in ((0, table.y0), (table.y1, h)):
        if y1 - y0 < MIN_REGION_HEIGHT or not has_ink(image[y0:y1]):
            continue
        for word in engine.read_page(image[y0:y1]):
            b = word.box
            words.append(Word(word.text, Box(b.x0, b.y0 + y0, b.x1, b.y1 + y0), word.confidence))
    return words
