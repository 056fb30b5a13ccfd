"""A second look at digit cells whose reading fails its own check.

An ID number carries a check character and a mobile number a fixed shape, so a reading that fails
them is known to be wrong. Such a cell is read again from a larger, sharper crop; the second reading
is kept only when it passes the check, so a second look can repair a misread but never invent one.
A cell that fails both times keeps its first reading and is left to the witnesses and the reviewer.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from intake.fields.certificate_numbers import is_well_formed
from intake.fields.id_numbers import correct_id, normalize_id_text, validate_id
from intake.fields.phones import normalize_phone
from ocr.cells import CellText, crop_with_margin
from ocr.clean import remove_red_ink
from ocr.engines.base import OcrEngine
from ocr.types import union_all

ENLARGE = 1.6
MARGIN = 10
SEAL_LEVELS = (140, 185, 255)  # 255: red ink greyed, never whited out


def _id_ok(text: str) -> bool:
    return validate_id(correct_id(normalize_id_text(text)).value).valid


def _phone_ok(text: str) -> bool:
    return normalize_phone(text).valid


CHECKS: dict[str, Callable[[str], bool]] = {"id_number": _id_ok, "certificate_no": is_well_formed,
                                            "phone": _phone_ok}


def second_look(image: np.ndarray, rows: list[list[CellText]], columns: dict[str, int], engine: OcrEngine) -> int:
    """Re-read failing digit cells in place; returns how many were repaired."""
    doubtful = [(r, c, check) for field, check in CHECKS.items() if (c := columns.get(field)) is not None
                for r, row in enumerate(rows) if c < len(row) and row[c].text and not check(row[c].text)]
    if not doubtful:
        return 0
    # Where a seal crosses grey digits no single cut between seal and text is right for every scan.
    variants = [remove_red_ink(image, level) for level in SEAL_LEVELS]
    crops = [_enlarged(v, rows[r][c]) for r, c, _ in doubtful for v in variants]
    readings = engine.read_lines(crops, "any")
    repaired = 0
    for i, (r, c, check) in enumerate(doubtful):
        tries = readings[i * len(variants):(i + 1) * len(variants)]
        passing = {t.text: t for t in tries if t.text and check(t.text)}
        if len({_digits(text) for text in passing}) == 1:  # every passing reading says the same
            best = next(iter(passing.values()))
            old = rows[r][c]
            rows[r][c] = CellText(best.text, best.confidence, old.box, old.lines)
            repaired += 1
    return repaired


def _digits(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _enlarged(image: np.ndarray, cell: CellText) -> np.ndarray:
    """The cell's text, one line, with room around it and enlarged: thin digits survive the recogniser's
    downscaling better, and a digit clipped by a tight line box is whole again."""
    box = union_all(list(cell.lines)) if cell.lines else cell.box
    crop = crop_with_margin(image, box, MARGIN)
    return cv2.resize(crop, None, fx=ENLARGE, fy=ENLARGE, interpolation=cv2.INTER_CUBIC)
