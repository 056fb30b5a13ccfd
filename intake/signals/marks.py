"""Descriptors of the marks in an agreement's signature cells and of certificate cards, and how alike two
of them are: one hand signing for several trainees, one fingerprint pasted twice, one card copied again.

A scan adds grain, shifts the mark inside its cell and scales it; a hand writing the same scrawl again
moves each stroke a little. So a mark is described by its own ink (the cell's paper, rules and specks
dropped, cut to the ink's extent, brought to a fixed size) and two descriptors are compared by the best
normalised correlation over small shifts:

- a signature by where its strokes run and which way (cells of 8 px, 9 directions), with its ink's
  correlation at the scale of a stroke: the same scrawl written again stays alike, two people's names (even
  in one face) do not;
- a fingerprint at 64 x 64 px, band-passed to its ridges (0.45 mm apart, about 4 px at 200 dpi): the same
  image pasted twice keeps every ridge in place, two fingers' ridges fall anywhere;
- a card by its number line's value at 20 px high: the same copy rescanned, cropped otherwise or compressed
  keeps every stroke, another holder's number does not; across batches the candidates are found by the
  keyed hashes of the number and name read on the card, and a card for another item is another card.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.marks.signature import SignatureSettings, drop_rules, ink_mask, own_components, pressed_in_red

SIGNATURE_SHAPE = (48, 144)
STROKE_CELL, DIRECTIONS = 8, 9
ASPECT_SLACK = 0.25  # a hand's repeat is within about a quarter of the width either way
INK_SHAPE = (32, 96)
STROKES_LENGTH = (SIGNATURE_SHAPE[0] // STROKE_CELL) * (SIGNATURE_SHAPE[1] // STROKE_CELL) * DIRECTIONS
SIGNATURE_LENGTH = 1 + STROKES_LENGTH + INK_SHAPE[0] * INK_SHAPE[1]
FINGERPRINT_SHAPE = (72, 72)
CARD_SHAPE = (20, 200)
SHIFTS = 3
PRINT_SHIFTS = 8
INSET = 6
# Alike enough to be the same mark: measured on the fixture generator's corpus (benchmarks/signals_benchmark.py).
SAME_HAND, SAME_PRINT, SAME_CARD = 0.74, 0.60, 0.80


@dataclass(frozen=True)
class Mark:
    kind: str            # signature | fingerprint | certificate
    vector: np.ndarray   # float32, zero mean, unit norm, of the kind's shape
    box: tuple[int, int, int, int]  # the ink's (or card's) box on the upright page

    def to_bytes(self) -> bytes:
        return self.vector.astype(np.float16).tobytes()


def from_bytes(kind: str, data: bytes) -> np.ndarray:
    shape = {"signature": (SIGNATURE_LENGTH,), "fingerprint": FINGERPRINT_SHAPE, "certificate": CARD_SHAPE}[kind]
    return np.frombuffer(data, dtype=np.float16).astype(np.float32).reshape(shape)


def _clip(box: list[int] | tuple[int, ...], shape: tuple[int, ...], inset: int = 0) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    x0, y0, x1, y1 = (int(v) for v in box)
    return (max(0, min(w, x0 + inset)), max(0, min(h, y0 + inset)), max(0, min(w, x1 - inset)),
            max(0, min(h, y1 - inset)))


def _unit(image: np.ndarray) -> np.ndarray | None:
    centred = image.astype(np.float32) - float(image.mean())
    norm = float(np.linalg.norm(centred))
    return centred / norm if norm > 1e-6 else None


def _fit(ink: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The ink scaled into `shape` keeping its proportions, centred on a blank field."""
    h, w = ink.shape
    scale = min(shape[0] / h, shape[1] / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(ink, size, interpolation=cv2.INTER_AREA)
    out = np.zeros(shape, np.float32)
    y, x = (shape[0] - small.shape[0]) // 2, (shape[1] - small.shape[1]) // 2
    out[y:y + small.shape[0], x:x + small.shape[1]] = small
    return out


def _cell_marks(image: np.ndarray, box: list[int] | tuple[int, ...], without_red: bool = False
                ) -> tuple[np.ndarray, tuple[int, int]] | None:
    """The cell's own marks as a mask over the whole page image's cell (rules, specks and marks reaching
    in from a neighbour dropped), and where the cell's inner area starts."""
    x0, y0, x1, y1 = _clip(box, image.shape, INSET)
    if x1 - x0 < 12 or y1 - y0 < 12:
        return None
    patch = image[y0:y1, x0:x1]
    mask = drop_rules(ink_mask(patch, SignatureSettings().ink_contrast))
    if without_red and patch.ndim == 3:
        channels = patch.astype(np.int16)
        red = (channels[:, :, 2] - np.maximum(channels[:, :, 0], channels[:, :, 1])) > 35
        mask[cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 0
    kept = own_components(mask, SignatureSettings())
    return (kept, (x0, y0)) if kept.any() else None


def red_mark(image: np.ndarray, box: list[int] | tuple[int, ...]) -> bool:
    """Whether the cell's own mark is mostly red ink: a fingerprint (or a personal seal), whatever the
    detector called a faint one."""
    found = _cell_marks(image, box)
    if found is None or image.ndim != 3:
        return False
    kept, (x0, y0) = found
    return pressed_in_red(image[y0:y0 + kept.shape[0], x0:x0 + kept.shape[1]], kept)


def _extent(kept: np.ndarray, origin: tuple[int, int]) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(kept)
    return (origin[0] + int(xs.min()), origin[1] + int(ys.min()), origin[0] + int(xs.max()) + 1,
            origin[1] + int(ys.max()) + 1)


def signature_mark(image: np.ndarray, box: list[int] | tuple[int, ...]) -> Mark | None:
    """A handwritten signature: its pen's ink (without the red of an institution's seal stamped across it),
    cut to its extent and fitted into SIGNATURE_SHAPE; compared by signature_likeness."""
    found = _cell_marks(image, box, without_red=True)
    if found is None:
        return None
    kept, (x0, y0) = found
    where = _extent(kept, (x0, y0))
    patch = image[y0:y0 + kept.shape[0], x0:x0 + kept.shape[1]]
    grey = patch if patch.ndim == 2 else cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY)
    paper = float(np.percentile(grey, 75))
    dark = np.clip(paper - grey.astype(np.float32), 0, 255) / 255.0
    dark = np.where(cv2.dilate(kept, np.ones((3, 3), np.uint8)) > 0, dark, 0)
    ink = _fit(dark[where[1] - y0:where[3] - y0, where[0] - x0:where[2] - x0], SIGNATURE_SHAPE)
    if float(ink.max()) <= 0:
        return None
    small = _unit(cv2.GaussianBlur(cv2.resize(ink, (INK_SHAPE[1], INK_SHAPE[0]), interpolation=cv2.INTER_AREA),
                                   (0, 0), 1.2))
    if small is None:
        return None
    return Mark("signature", np.concatenate([[_aspect(ink)], _strokes(ink), small.ravel()]).astype(np.float32), where)


def signature_parts(vector: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """A signature descriptor's proportions, stroke directions and small ink picture."""
    return float(vector[0]), vector[1:1 + STROKES_LENGTH], vector[1 + STROKES_LENGTH:].reshape(INK_SHAPE)


def _strokes(ink: np.ndarray) -> np.ndarray:
    """Where the strokes run, cell by cell (8 px cells, 9 directions): a hand writing the same scrawl again
    keeps its strokes' directions where they were, though each stroke wanders by a pixel or two."""
    field = cv2.GaussianBlur(ink, (0, 0), 1.5)
    gx, gy = cv2.Sobel(field, cv2.CV_32F, 1, 0), cv2.Sobel(field, cv2.CV_32F, 0, 1)
    magnitude = np.hypot(gx, gy)
    direction = ((np.arctan2(gy, gx) % np.pi) / np.pi * DIRECTIONS).astype(int) % DIRECTIONS
    h, w = ink.shape
    cells = []
    for y in range(0, h, STROKE_CELL):
        for x in range(0, w, STROKE_CELL):
            cells.append(np.bincount(direction[y:y + STROKE_CELL, x:x + STROKE_CELL].ravel(),
                                     weights=magnitude[y:y + STROKE_CELL, x:x + STROKE_CELL].ravel(),
                                     minlength=DIRECTIONS))
    vector = np.sqrt(np.concatenate(cells))
    return vector / (float(np.linalg.norm(vector)) or 1.0)


def _turned(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape
    return cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0), (w, h))


def _aspect(ink: np.ndarray) -> float:
    """Width over height of the ink inside its fitted field."""
    rows, columns = np.flatnonzero(ink.max(axis=1) > 0.05), np.flatnonzero(ink.max(axis=0) > 0.05)
    if rows.size == 0 or columns.size == 0:
        return 1.0
    return (columns[-1] - columns[0] + 1) / (rows[-1] - rows[0] + 1)


def signature_likeness(a: np.ndarray, b: np.ndarray) -> float:
    """How alike two signatures are: mostly by where their strokes run and which way (tolerant of a hand's
    wobble), partly by their ink's correlation at the scale of a stroke over small shifts and turns. Two
    marks of clearly other proportions (a two-character name and a three-character one) are not alike."""
    aspect_a, strokes_a, ink_a = signature_parts(a)
    aspect_b, strokes_b, ink_b = signature_parts(b)
    if abs(np.log(max(aspect_a, 1e-3) / max(aspect_b, 1e-3))) > ASPECT_SLACK:
        return 0.0
    correlation = max(likeness(_turned(ink_a, t), ink_b, SHIFTS) for t in (-3, 0, 3))
    return 0.3 * correlation + 0.7 * float(strokes_a @ strokes_b)


def strokes_only(vectors: np.ndarray, mine: np.ndarray) -> np.ndarray:
    """The stroke part of signature_likeness for many stored signatures at once (one matrix product): an
    upper bound of 0.3 + 0.7 x this lets the rest be skipped for most of an institution's signatures."""
    return vectors[:, 1:1 + STROKES_LENGTH] @ mine[1:1 + STROKES_LENGTH]


def fingerprint_mark(image: np.ndarray, box: list[int] | tuple[int, ...]) -> Mark | None:
    """The print's ridges in a fixed window around its centre, at the page's own scale (every page is read
    at 200 dpi): a pasted copy is the same size, and a faint copy is not cut differently by a threshold.
    Only the ridges count (a band around their 4 px period), and only inside the print: its outline is the
    same egg for every finger, and the cell's rules are no part of it."""
    found = _cell_marks(image, box)
    if found is None:
        return None
    kept, origin = found
    where = _extent(kept, origin)
    half_h, half_w = FINGERPRINT_SHAPE[0] // 2, FINGERPRINT_SHAPE[1] // 2
    cell = image[origin[1]:origin[1] + kept.shape[0], origin[0]:origin[0] + kept.shape[1]]
    green = 255.0 - (cell[:, :, 1] if cell.ndim == 3 else cell).astype(np.float32)
    # Centred on the ink's weight, which a faint rim moves less than it moves the ink's extent.
    weight = np.where(kept > 0, green, 0)
    total = float(weight.sum()) or 1.0
    ys_, xs_ = np.indices(weight.shape)
    cx, cy = int(round(float((weight * xs_).sum()) / total)), int(round(float((weight * ys_).sum()) / total))
    field = np.zeros(FINGERPRINT_SHAPE, np.float32)
    inside = np.zeros(FINGERPRINT_SHAPE, np.uint8)
    ys, xs = slice(max(0, cy - half_h), cy + half_h), slice(max(0, cx - half_w), cx + half_w)
    window, mask = green[ys, xs], kept[ys, xs]
    field[:window.shape[0], :window.shape[1]] = window
    body = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    inside[:mask.shape[0], :mask.shape[1]] = cv2.erode(body, np.ones((5, 5), np.uint8)) > 0
    ridges = cv2.GaussianBlur(field, (0, 0), 0.9) - cv2.GaussianBlur(field, (0, 0), 2.5)
    vector = _unit(ridges * inside)
    return Mark("fingerprint", vector, where) if vector is not None and inside.sum() > 200 else None


def value_start(dark: np.ndarray) -> int:
    """Where a card line's value begins: after the widest blank gap that follows the label (a card prints its
    labels in a column of their own). Every card of a form has the same labels, so they are left out."""
    ink = dark > max(40.0, float(np.percentile(dark, 50)) + 40.0)
    columns = ink.sum(axis=0) > max(1, ink.shape[0] // 12)
    inked = np.flatnonzero(columns)
    if inked.size < 4:
        return 0
    gaps = np.diff(inked)
    widest = int(np.argmax(gaps))
    # A real gap between label and value: wider than the spaces between characters, with ink on both sides.
    if gaps[widest] < max(8, dark.shape[0] // 2) or inked[widest + 1] > 0.75 * dark.shape[1]:
        return 0
    return int(inked[widest + 1])


def _tight(dark: np.ndarray) -> np.ndarray | None:
    """The line cut to its ink, so that a reader's box drawn a little larger or smaller does not move it."""
    ink = dark > max(40.0, float(np.percentile(dark, 50)) + 40.0)
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size < 4 or columns.size < 4:
        return None
    return dark[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1]


def card_mark(image: np.ndarray, number_line: list[int] | tuple[int, ...]) -> Mark | None:
    """A card by its number line as read (证号 or 档案编号): the value cut from the page at its own
    proportions, so the same copy at another scale, crop or compression gives the same picture and another
    holder's number does not. (Every card of a form prints the same labels, title and layout: those would
    make any two cards alike, so they are left out.)"""
    x0, y0, x1, y1 = _clip(number_line, image.shape)
    if x1 - x0 < 20 or y1 - y0 < 8:
        return None
    patch = image[y0:y1, x0:x1]
    grey = patch if patch.ndim == 2 else cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY)
    dark = 255.0 - grey.astype(np.float32)
    dark = _tight(dark[:, value_start(dark):])
    if dark is None:
        return None
    width = max(1, min(CARD_SHAPE[1], round(dark.shape[1] * CARD_SHAPE[0] / dark.shape[0])))
    line = np.zeros(CARD_SHAPE, np.float32)
    line[:, :width] = cv2.resize(dark, (width, CARD_SHAPE[0]), interpolation=cv2.INTER_AREA)
    vector = _unit(line - cv2.GaussianBlur(line, (0, 0), 4))
    return Mark("certificate", vector, (x0, y0, x1, y1)) if vector is not None else None


def likeness(a: np.ndarray, b: np.ndarray, shift: int = SHIFTS) -> float:
    """The best normalised correlation of two descriptors over shifts of up to `shift` pixels either way
    (each one's middle looked for in the other, the better of the two)."""
    if a.shape != b.shape or min(a.shape) <= 2 * shift:
        return -1.0
    best = -1.0
    for image, template in ((a, b), (b, a)):
        middle = np.ascontiguousarray(template[shift:-shift, shift:-shift])
        if float(middle.std()) < 1e-7:
            continue
        scores = cv2.matchTemplate(np.ascontiguousarray(image), middle, cv2.TM_CCOEFF_NORMED)
        best = max(best, float(scores.max()))
    return best



def mark_likeness(kind: str, a: np.ndarray, b: np.ndarray) -> float:
    if kind == "signature":
        return signature_likeness(a, b)
    return likeness(a, b, PRINT_SHIFTS if kind == "fingerprint" else SHIFTS)
