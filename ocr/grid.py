"""Ruled tables: grid lines -> rows and columns -> cell boxes.

A chain of plain functions driven by one settings object (after pdfplumber's table finder):
line masks from morphology, line positions from their projections, a grid from the positions.
Tolerates broken or faint lines (gaps are bridged before lines are measured), red seals over
lines (coloured ink is invisible to the line masks) and residual skew of a fraction of a degree.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.clean import binarize, ink_gray
from ocr.types import Box


@dataclass(frozen=True, slots=True)
class GridSettings:
    # A horizontal rule must run across this share of the table's width to count as a row line.
    row_line_share: float = 0.55
    # A vertical rule must run down this share of the table's height to count as a column line.
    col_line_share: float = 0.5
    # Rules shorter than this share of the page width are not table rules (underlines, strokes).
    min_rule_share: float = 0.25
    # Pieces of rule shorter than this are not kept: character strokes are shorter (at 200 dpi).
    min_piece: int = 50
    # Gaps in a rule up to this many pixels are bridged (broken or faint lines, scan dropout).
    bridge_gap: int = 40
    # Positions closer than this are one line (thick or doubled rules).
    merge_distance: int = 12
    min_rows: int = 1
    min_cols: int = 3


@dataclass(frozen=True, slots=True)
class Grid:
    """Row boundaries `ys` and column boundaries `xs` (ascending) of one ruled table."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> Box:
        return Box(self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell(self, row: int, col: int) -> Box:
        return Box(self.xs[col], self.ys[row], self.xs[col + 1], self.ys[row + 1])

    def row_box(self, row: int) -> Box:
        return Box(self.xs[0], self.ys[row], self.xs[-1], self.ys[row + 1])


def find_grid(image: np.ndarray, settings: GridSettings = GridSettings()) -> Grid | None:
    """The largest ruled table on an upright, levelled page, or None when there is none."""
    ink = binarize(ink_gray(image))
    h_mask = horizontal_rules(ink, settings)
    rules = rule_segments(h_mask, settings)
    if len(rules) < 2:
        return None
    x0 = int(np.median([r.x0 for r in rules]))
    x1 = int(np.median([r.x1 for r in rules]))
    ys = line_positions(h_mask[:, x0:x1].sum(axis=1) / 255, (x1 - x0) * settings.row_line_share,
                        settings.merge_distance)
    if len(ys) < settings.min_rows + 1:
        return None
    y0, y1 = ys[0], ys[-1]
    v_mask = vertical_rules(ink, ys, settings)
    xs = line_positions(v_mask[y0:y1, :].sum(axis=0) / 255, (y1 - y0) * settings.col_line_share,
                        settings.merge_distance)
    xs = _with_outer_edges(xs, x0, x1, settings.merge_distance * 3)
    if len(xs) < settings.min_cols + 1:
        return None
    return Grid(tuple(xs), tuple(ys))


def horizontal_rules(ink: np.ndarray, settings: GridSettings) -> np.ndarray:
    """Mask of long horizontal strokes, with gaps in broken rules bridged.

    Opening comes first so that text never turns into a bar: only runs longer than any
    character stroke survive it; closing then joins the surviving pieces of a broken rule.
    """
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                             (settings.min_piece, 1)))
    bridged = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                                  (settings.bridge_gap, 1)))
    # A rule may be tilted by a pixel or two over its length; the 3-px tall dilation keeps it whole.
    return cv2.dilate(bridged, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))


def vertical_rules(ink: np.ndarray, ys: list[int], settings: GridSettings) -> np.ndarray:
    """Mask of vertical strokes at least half a row tall: taller than any character stroke."""
    heights = np.diff(ys)
    length = max(settings.min_piece, int(np.median(heights) * 0.6)) if len(heights) else settings.min_piece
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    bridged = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                                  (1, settings.bridge_gap)))
    return cv2.dilate(bridged, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))


def rule_segments(h_mask: np.ndarray, settings: GridSettings) -> list[Box]:
    """Connected horizontal rules long enough to belong to a table."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(h_mask, connectivity=8)
    min_len = h_mask.shape[1] * settings.min_rule_share
    return [Box(int(x), int(y), int(x + w), int(y + h))
            for x, y, w, h, _area in stats[1:n] if w >= min_len]


def line_positions(profile: np.ndarray, threshold: float, merge: int) -> list[int]:
    """Centres of the runs where the projection profile reaches `threshold`, close runs merged."""
    above = np.flatnonzero(profile >= threshold)
    if len(above) == 0:
        return []
    runs: list[list[int]] = [[int(above[0]), int(above[0])]]
    for i in above[1:]:
        if i - runs[-1][1] <= merge:
            runs[-1][1] = int(i)
        else:
            runs.append([int(i), int(i)])
    return [(a + b) // 2 for a, b in runs]


def _with_outer_edges(xs: list[int], x0: int, x1: int, tolerance: int) -> list[int]:
    """Tables drawn without outer verticals still end where their row rules end."""
    if not xs or xs[0] - x0 > tolerance:
        xs = [x0, *xs]
    if x1 - xs[-1] > tolerance:
        xs = [*xs, x1]
    return xs
