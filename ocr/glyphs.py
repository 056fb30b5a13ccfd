"""How characters look: a CJK face for drawing them, and how alike two of them are to a recogniser.

A recogniser that meets a character it seldom learned reads the common character that looks most like
it (曌 as 盟, 玥 as 明, 淼 as 森), never one of another shape (曌 as 伟): so two characters drawn in one face
and compared blurred, at the scale of a stroke, tell a misreading from another character.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
GLYPH_SIZE = 48


def _cjk_path() -> str | None:
    return next((path for path in FONT_CANDIDATES if Path(path).exists()), None)


@lru_cache(maxsize=8)
def cjk_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _cjk_path()
    if path is None:
        return ImageFont.load_default()  # draws no Chinese: an overlay still shows its boxes
    return ImageFont.truetype(path, size, index=2 if "Noto" in path else 0)


@lru_cache(maxsize=4096)
def _glyph(ch: str) -> np.ndarray:
    image = Image.new("L", (GLYPH_SIZE + 16, GLYPH_SIZE + 16), 0)
    ImageDraw.Draw(image).text((image.width / 2, image.height / 2), ch, font=cjk_font(GLYPH_SIZE), fill=255,
                               anchor="mm")
    blurred = cv2.GaussianBlur(np.asarray(image, np.float32) / 255.0, (0, 0), 2.0).ravel()
    blurred -= blurred.mean()
    return blurred / (float(np.linalg.norm(blurred)) or 1.0)


def glyph_likeness(a: str, b: str) -> float:
    """Correlation of the two characters' blurred shapes: about 0.8-0.9 for a recogniser's misreading of a
    rare character, 0.6-0.75 for characters of other shapes; 0 without a CJK face to draw them in (`subsidy
    doctor` names the missing font), so that nothing is taken for a misreading."""
    if _cjk_path() is None:  # a face without these characters draws every one as the same box
        return 0.0
    return float(_glyph(a) @ _glyph(b))
