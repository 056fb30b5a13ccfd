"""Agreement cells and card lines drawn the way the fixture generator draws them, then scanned: grain, a
little blur, JPEG. For the mark descriptors' tests, without OCR."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image, ImageDraw

from tests.bundlegen.fingerprint import fingerprint
from tests.bundlegen.fonts import available, font
from tests.bundlegen.handwriting import same_hand, signature

CELL = (300, 100)  # width, height of a signature cell at 200 dpi


def scanned(image: Image.Image, seed: int, quality: int = 80) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32)
    pixels = cv2.GaussianBlur(pixels, (0, 0), 0.6) + rng.normal(0, 6, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=quality)
    return cv2.cvtColor(np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")), cv2.COLOR_RGB2BGR)


def cell_with(mark: Image.Image, seed: int) -> tuple[np.ndarray, list[int]]:
    """A ruled signature cell on paper with the mark placed loosely in it; the image and the cell's box."""
    rng = np.random.default_rng(seed)
    page = Image.new("RGB", (CELL[0] + 40, CELL[1] + 40), (246, 244, 238))
    draw = ImageDraw.Draw(page)
    draw.rectangle((20, 20, 20 + CELL[0], 20 + CELL[1]), outline=(30, 30, 30), width=2)
    if mark.width > CELL[0] - 20:
        mark = mark.resize((CELL[0] - 20, max(1, mark.height * (CELL[0] - 20) // mark.width)))
    x = 20 + int(rng.uniform(10, max(11, CELL[0] - mark.width - 10)))
    y = 20 + (CELL[1] - mark.height) // 2 + int(rng.normal(0, 3))
    page.paste(mark, (x, y), mark)
    return scanned(page, seed), [20, 20, 20 + CELL[0], 20 + CELL[1]]


def signed_by(name: str, seed: int) -> tuple[np.ndarray, list[int]]:
    return cell_with(signature(name, np.random.default_rng(seed), 60, "ink"), seed)


def one_hand(hand_seed: int, name: str, seed: int) -> tuple[np.ndarray, list[int]]:
    return cell_with(same_hand(hand_seed, name, np.random.default_rng(seed), 60), seed)


def pressed(print_seed: int, seed: int, light: bool = False) -> tuple[np.ndarray, list[int]]:
    return cell_with(fingerprint(np.random.default_rng(print_seed), 70, light), seed)


def card_line(number: str, scale: float, seed: int, quality: int = 80) -> tuple[np.ndarray, list[int]]:
    """A card's number line (label, gap, value) copied at `scale`, with the box a reader would give it."""
    size = int(31 * scale)
    face = font(available(("noto_serif", "noto_sans"))[0], size)
    page = Image.new("RGB", (int(900 * scale), int(120 * scale)), (214, 214, 214))
    draw = ImageDraw.Draw(page)
    x0, y0 = int(30 * scale), int(40 * scale)
    draw.text((x0, y0), "证号", font=face, fill=(60, 60, 60))
    draw.text((x0 + int(size * 4.6), y0), number, font=face, fill=(15, 15, 15))
    right = x0 + int(size * 4.6) + int(draw.textlength(number, font=face))
    return scanned(page, seed, quality), [x0 - 2, y0 - 4, right + 3, y0 + size + 6]
