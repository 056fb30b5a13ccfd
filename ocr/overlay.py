"""A picture of what the table finder and the reader saw, drawn over the page.

Turns "row 7 came out wrong" into something one can look at: rules in blue, cells in green,
text-line boxes in orange, each cell's reading and confidence in small red print.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ocr.cells import CellText
from ocr.glyphs import cjk_font
from ocr.grid import Grid
from ocr.types import Word


def draw_overlay(image: np.ndarray, grid: Grid | None, cells: Sequence[CellText] = (),
                 words: Sequence[Word] = ()) -> np.ndarray:
    """The page (BGR) with the grid, cells, line boxes and readings drawn on a faded copy."""
    faded = cv2.addWeighted(image, 0.45, np.full_like(image, 255), 0.55, 0)
    canvas = Image.fromarray(faded[:, :, ::-1].copy())
    draw = ImageDraw.Draw(canvas)
    font = cjk_font(16)
    if grid is not None:
        for x in grid.xs:
            draw.line([(x, grid.ys[0]), (x, grid.ys[-1])], fill=(0, 90, 255), width=2)
        for y in grid.ys:
            draw.line([(grid.xs[0], y), (grid.xs[-1], y)], fill=(0, 90, 255), width=2)
    for cell in cells:
        b = cell.box.inset(3, 3)
        draw.rectangle([b.x0, b.y0, b.x1, b.y1], outline=(0, 160, 60), width=1)
        for line in cell.lines:
            draw.rectangle([line.x0, line.y0, line.x1, line.y1], outline=(255, 140, 0), width=1)
        if cell.text:
            draw.text((b.x0 + 2, b.y1 - 18), f"{cell.text} {cell.confidence:.2f}", font=font, fill=(220, 0, 0))
    for word in words:
        b = word.box
        draw.rectangle([b.x0, b.y0, b.x1, b.y1], outline=(255, 140, 0), width=1)
        draw.text((b.x0, max(0, b.y0 - 18)), f"{word.text} {word.confidence:.2f}", font=font, fill=(220, 0, 0))
    return np.asarray(canvas)[:, :, ::-1].copy()


def write_overlay(path: Path, image: np.ndarray, grid: Grid | None, cells: Sequence[CellText] = (),
                  words: Sequence[Word] = ()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), draw_overlay(image, grid, cells, words))
