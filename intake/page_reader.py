"""One page from pixels to readings: turned upright, levelled, its table read cell by cell.

Runs in worker processes (one engine each), so it takes and returns plain picklable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from intake.tables import PageTable, read_table
from ocr.clean import binarize, ink_gray, remove_red_ink
from ocr.deskew import deskew
from ocr.engines.base import OcrEngine, rotate_clockwise
from ocr.flatten import find_sheet, sheet_size
from ocr.frames import TurnedText, card_outlines
from ocr.geometry import PageTransform, rescale, warp_sheet, working_dpi, working_scale
from ocr.grid import find_grid
from ocr.marks.seal import Seal, find_seals
from ocr.overlay import write_overlay
from ocr.settings import ReadSettings
from ocr.types import Box, PageImage, Word

MIN_REGION_HEIGHT = 24  # px; thinner bands above or below a table hold no text line

__all__ = ["PageReading", "PageTable", "read_page", "upright"]


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
    transform: PageTransform = field(default_factory=PageTransform)
    # Outlines of cards on the page (a sheet of certificate copies), and the cards among them laid in turned,
    # read in their own frames (their words are not in `lines`).
    cards: list[Box] = field(default_factory=list)
    turned: list[TurnedText] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join([w.text for w in self.lines] + [w.text for t in self.turned for w in t.words])


def upright(page: PageImage, engine: OcrEngine) -> tuple[np.ndarray, PageTransform, float]:
    """The page flattened, brought to the working scale, turned and levelled; what was done, and how sure
    the turn is."""
    if page.text_layer is not None:
        # Text-layer words are in the rendered page's pixels: the page is read as it is.
        return page.image, PageTransform(dpi=page.dpi), 1.0
    # A phone photo is flattened first: its table's rules must be straight for the grid finder.
    corners = find_sheet(page.image)
    image, size = page.image, None
    if corners is not None:
        size = sheet_size(corners)
        image = warp_sheet(image, corners, size)
    scale = working_scale(image.shape[1], image.shape[0], page.dpi)
    dpi = working_dpi(image.shape[1], image.shape[0], page.dpi, scale)
    image = rescale(image, scale)
    orientation = engine.detect_orientation(image)
    image = rotate_clockwise(image, orientation.rotation)
    image, skew = deskew(image)
    corner_list = tuple((float(x), float(y)) for x, y in corners) if corners is not None else None
    return image, PageTransform(corner_list, size, scale, orientation.rotation, skew, dpi), orientation.confidence


def read_page(page: PageImage, engine: OcrEngine, settings: ReadSettings, keep_image_in: Path | None = None,
              overlay_in: Path | None = None) -> PageReading:
    """Read one page. `keep_image_in` keeps the upright page image; `overlay_in` a debug overlay."""
    image, transform, confidence = upright(page, engine)
    h, w = image.shape[:2]
    settings = settings.at_dpi(transform.dpi)
    grid = find_grid(image, settings.grid)
    table = read_table(image, grid, engine, page.text_layer, settings) if grid is not None else None
    if table is not None and grid.ruled == "text" and grid.n_rows == 1 and not table.holds_trainees():
        table = None  # a line of spaced-out words (a letter-spaced title, a footer), not a trainee's row
    # A table with neither a header nor a trainee in it may be no table at all (the outlines of certificate
    # cards, a form's frame): the whole page is read as text too, so that it is classified by what it says.
    # A headerless table of trainees (a continuation) is not read twice.
    framed = table.grid.box if table is not None and (table.columns or table.holds_trainees()) else None
    lines = read_outside(image, framed, engine, page.text_layer)
    turned: list[TurnedText] = []
    cards = card_outlines(image) if framed is None and page.text_layer is None else []
    if cards:
        lines, turned = read_turned_cards(image, cards, lines, engine, settings.low_confidence)
    if table is not None and table.above:
        lines = sorted([*lines, *table.above], key=lambda word: (word.box.y0, word.box.x0))
    reading = PageReading(page.source, page.number, transform.rotation, transform.skew, w, h, lines, table,
                          from_text_layer=page.text_layer is not None, orientation_confidence=confidence,
                          seals=find_seals(image, settings.seals), transform=transform, cards=cards,
                          turned=turned)
    if keep_image_in is not None:
        path = keep_image_in / f"page-{page.number:04d}.jpg"
        cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
        reading.image_path = str(path)
    if overlay_in is not None:
        cells = [c for row in table.rows for c in row] if table else []
        write_overlay(overlay_in / f"{Path(page.source).stem}-page-{page.number:04d}.png", image,
                      table.grid if table else None, cells, lines)
    return reading


def read_turned_cards(image: np.ndarray, cards: list[Box], lines: list[Word], engine: OcrEngine, doubt: float
                      ) -> tuple[list[Word], list[TurnedText]]:
    """Cards laid a quarter turn round (standing where the sheet's cards lie) or read badly (perhaps upside
    down) are read again the right way up; their words leave the page's lines for the card's own frame."""
    turned = []
    for box in cards:
        inside = [w for w in lines if box.contains(*w.box.center)]
        standing = box.height > box.width
        if not standing and inside and float(np.median([w.confidence for w in inside])) >= doubt:
            continue
        crop = image[box.y0:box.y1, box.x0:box.x1]
        rotation = engine.detect_orientation(crop).rotation
        if rotation == 0:
            continue
        card = TurnedText(box, rotation, engine.read_page(rotate_clockwise(crop, rotation)))
        if not card.words:
            continue
        turned.append(card)
        lines = [w for w in lines if not box.contains(*w.box.center)]
    return lines, turned


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
