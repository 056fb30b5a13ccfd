"""Tesseract 5 with the chi_sim model, through pytesseract.

Each pytesseract call starts a Tesseract process and loads the model, so lines are never read
one call each: `read_lines` stacks the crops into one strip and reads it once. The raw calls
return Tesseract's TSV text; `parse_tsv` and `split_strip_lines` turn it into our common form.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.engines.base import Charset, EngineUnavailable, OcrEngine, Orientation, as_bgr
from ocr.types import Box, Reading, Word

LANG = "chi_sim"
DIGITS = "0123456789X"
STRIP_LINE_HEIGHT = 40  # px; Tesseract reads best with capitals around 30 px
STRIP_GAP = 24
INSTALL_HINT = "apt-get install -y tesseract-ocr tesseract-ocr-chi-sim"

# Tesseract puts spaces between CJK characters; only spaces between two Latin/digit runs mean
# anything in these documents.
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


@dataclass(frozen=True, slots=True)
class TsvRow:
    level: int
    block: int
    par: int
    line: int
    box: Box
    conf: float
    text: str


class TesseractEngine(OcrEngine):
    name = "tesseract"

    def __init__(self) -> None:
        import pytesseract

        check_tesseract(pytesseract.pytesseract.tesseract_cmd)
        self._tess = pytesseract
        # One page per worker process: Tesseract's own OpenMP threads would fight the workers.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    # -- raw engine calls -----------------------------------------------------------------------
    def _tsv(self, image: np.ndarray, psm: int, lang: str = LANG, whitelist: str | None = None) -> str:
        config = f"--psm {psm}"
        if whitelist:
            config += f" -c tessedit_char_whitelist={whitelist}"
        return self._tess.image_to_data(as_bgr(image)[:, :, ::-1], lang=lang, config=config)

    def _osd(self, image: np.ndarray) -> str:
        return self._tess.image_to_osd(as_bgr(image)[:, :, ::-1], config="--psm 0")

    # -- the interface --------------------------------------------------------------------------
    def read_page(self, image: np.ndarray) -> list[Word]:
        return parse_tsv(self._tsv(image, psm=3))

    def read_lines(self, crops: Sequence[np.ndarray], charset: Charset = "any") -> list[Reading]:
        if not crops:
            return []
        strip, slots = build_strip(crops)
        if charset == "digits":
            tsv = self._tsv(strip, psm=6, lang="eng", whitelist=DIGITS)
        else:
            tsv = self._tsv(strip, psm=6)
        return split_strip_lines(parse_tsv(tsv), slots)

    def detect_orientation(self, image: np.ndarray) -> Orientation:
        try:
            return parse_osd(self._osd(image))
        except self._tess.TesseractError:
            # OSD gives up on pages with too few characters; say so rather than guess.
            return Orientation(0, 0.0)


def installed_languages(command: str = "tesseract") -> list[str] | None:
    """The models Tesseract can load (`--list-langs`), or None when Tesseract cannot be run."""
    exe = shutil.which(command)
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    # The first line is a heading ("List of available languages in ...").
    return [line.strip() for line in done.stdout.splitlines()[1:] if line.strip()]


def check_tesseract(command: str = "tesseract") -> None:
    """Raise EngineUnavailable naming what is missing: the program, or its Chinese model."""
    languages = installed_languages(command)
    if languages is None:
        raise EngineUnavailable("tesseract", f"找不到 Tesseract 程序 ({command})", INSTALL_HINT)
    if LANG not in languages:
        raise EngineUnavailable("tesseract", f"Tesseract 缺少中文模型 {LANG} (has: {', '.join(languages)})",
                                "apt-get install -y tesseract-ocr-chi-sim")


# -- turning raw output into the common form ---------------------------------------------------
def parse_tsv(tsv: str) -> list[Word]:
    """Tesseract TSV -> one Word per text line, its confidence the mean of its words' (0..1)."""
    lines: dict[tuple[int, int, int], list[TsvRow]] = {}
    for row in _tsv_rows(tsv):
        if row.level == 5 and row.text.strip():
            lines.setdefault((row.block, row.par, row.line), []).append(row)
    words = []
    for rows in lines.values():
        text = _CJK_SPACE.sub("", " ".join(r.text.strip() for r in rows))
        box = rows[0].box
        for r in rows[1:]:
            box = box.union(r.box)
        conf = sum(max(r.conf, 0.0) for r in rows) / len(rows) / 100.0
        words.append(Word(text, box, conf))
    return words


def parse_osd(osd: str) -> Orientation:
    """'Rotate: 90' is the clockwise turn that makes the page upright."""
    rotate = re.search(r"Rotate:\s*(\d+)", osd)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", osd)
    rotation = int(rotate.group(1)) % 360 if rotate else 0
    # OSD confidences are open-ended; about 15 is already a sure answer.
    confidence = min(1.0, float(conf.group(1)) / 15.0) if conf else 0.0
    return Orientation(rotation, confidence)


def _tsv_rows(tsv: str) -> list[TsvRow]:
    rows = []
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12:
            continue
        level, _page, block, par, ln, _word, left, top, width, height = map(int, parts[:10])
        rows.append(TsvRow(level, block, par, ln, Box(left, top, left + width, top + height),
                           float(parts[10]), parts[11]))
    return rows


# -- reading many lines in one call ------------------------------------------------------------
def build_strip(crops: Sequence[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Stack line crops, scaled to one height, into a white strip; return it and each slot's y-range."""
    scaled = []
    for crop in crops:
        grey = cv2.cvtColor(as_bgr(crop), cv2.COLOR_BGR2GRAY)
        h, w = grey.shape[:2]
        f = STRIP_LINE_HEIGHT / max(h, 1)
        size = (max(1, int(w * f)), STRIP_LINE_HEIGHT)
        scaled.append(cv2.resize(grey, size, interpolation=cv2.INTER_CUBIC))
    width = max(s.shape[1] for s in scaled) + 2 * STRIP_GAP
    height = len(scaled) * (STRIP_LINE_HEIGHT + STRIP_GAP) + STRIP_GAP
    strip = np.full((height, width), 255, np.uint8)
    slots = []
    y = STRIP_GAP
    for s in scaled:
        strip[y:y + STRIP_LINE_HEIGHT, STRIP_GAP:STRIP_GAP + s.shape[1]] = s
        slots.append((y, y + STRIP_LINE_HEIGHT))
        y += STRIP_LINE_HEIGHT + STRIP_GAP
    return strip, slots


def split_strip_lines(words: Sequence[Word], slots: Sequence[tuple[int, int]]) -> list[Reading]:
    """Give each slot of the strip the words whose centre falls in it, left to right."""
    found: list[list[Word]] = [[] for _ in slots]
    for word in words:
        cy = word.box.center[1]
        for i, (y0, y1) in enumerate(slots):
            if y0 - STRIP_GAP / 2 <= cy < y1 + STRIP_GAP / 2:
                found[i].append(word)
                break
    readings = []
    for ws in found:
        ws.sort(key=lambda w: w.box.x0)
        text = _CJK_SPACE.sub("", " ".join(w.text for w in ws))
        conf = min((w.confidence for w in ws), default=0.0)
        readings.append(Reading(text, conf))
    return readings
