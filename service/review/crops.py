"""Crops of the scan beside each field, and the whole page with the field's box drawn on it.

Boxes in the evidence are pixels of the upright page image intake read, so the image is made the same way
(the stored original through ocr.sources.load_pages at its default resolution, turned by the rotation
intake undid), never from a by-product. The upright page is cached as PNG under <data>/cache/review-pages
by the original's hash (throw-away, like service/scans.py's cache), and the last few decoded pages stay in
memory because a form asks for several crops of the same page at once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy.orm import Session

from intake.store.models import Page, Upload
from ocr.deskew import deskew
from ocr.flatten import flatten
from ocr.geometry import PageTransform
from service.scans import ROTATE, PageNotAvailable, original_of, render_original, write_png

HIGHLIGHT = (0, 120, 255)    # BGR orange: visible on black print and on a red seal alike
CROP_WIDTH = 960             # crops are sent at up to twice their shown size, so zooming stays sharp
PAGE_WIDTH = 1400
_MEMORY: OrderedDict[Path, np.ndarray] = OrderedDict()
_MEMORY_SIZE = 6
_LOCK = threading.Lock()


def upright_page(session: Session, data_dir: Path, page: Page) -> np.ndarray:
    """The page's upright image in the pixel coordinates of its evidence boxes."""
    upload, index = original_of(session, data_dir, page)
    transform = _transform_of(page)
    cache = data_dir / "cache" / "review-pages" / f"{upload.sha256}-{index}-{_key(transform, page.rotation)}.png"
    with _LOCK:
        if cache in _MEMORY:
            _MEMORY.move_to_end(cache)
            return _MEMORY[cache]
    if cache.exists():
        image = cv2.imread(str(cache), cv2.IMREAD_COLOR)
    else:
        image = _render(data_dir, upload, index, transform, page.rotation)
        write_png(cache, image)
    with _LOCK:
        _MEMORY[cache] = image
        while len(_MEMORY) > _MEMORY_SIZE:
            _MEMORY.popitem(last=False)
    return image


def _transform_of(page: Page) -> PageTransform | None:
    return PageTransform.from_json(page.transform) if page.transform else None


def _key(transform: PageTransform | None, rotation: int) -> str:
    if transform is None:
        return f"{rotation}-level"
    digest = hashlib.sha256(json.dumps(transform.to_json(), sort_keys=True).encode()).hexdigest()
    return digest[:16]


def _render(data_dir: Path, upload: Upload, index: int, transform: PageTransform | None,
            rotation: int = 0) -> np.ndarray:
    original = render_original(data_dir, upload, index)
    if transform is not None:
        # What the reader did, replayed step for step: the boxes land where they were read.
        return transform.apply(original)
    # Pages stored before the transform was kept: flatten and level again (deterministic estimates).
    image, _ = flatten(original)
    turned = cv2.rotate(image, ROTATE[rotation]) if rotation in ROTATE else image
    levelled, _ = deskew(turned)
    return levelled


def _clip(box: list[int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    x0, y0, x1, y1 = box
    return max(0, min(x0, w - 1)), max(0, min(y0, h - 1)), max(1, min(x1, w)), max(1, min(y1, h))


def _png(image: np.ndarray) -> bytes:
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise PageNotAvailable("图片无法编码")
    return png.tobytes()


def crop_png(image: np.ndarray, box: list[int]) -> bytes:
    """The box with some of the row around it (the neighbouring cells tell which row it is), outlined."""
    x0, y0, x1, y1 = _clip(box, image.shape)
    height = max(y1 - y0, 10)
    mx, my = max(2 * height, 40), max(height, 20)
    h, w = image.shape[:2]
    cx0, cy0, cx1, cy1 = max(0, x0 - mx), max(0, y0 - my), min(w, x1 + mx), min(h, y1 + my)
    crop = image[cy0:cy1, cx0:cx1].copy()
    thickness = max(2, height // 15)
    cv2.rectangle(crop, (x0 - cx0 - thickness, y0 - cy0 - thickness), (x1 - cx0 + thickness, y1 - cy0 + thickness),
                  HIGHLIGHT, thickness)
    if crop.shape[1] > CROP_WIDTH:
        scale = CROP_WIDTH / crop.shape[1]
        crop = cv2.resize(crop, (CROP_WIDTH, max(1, round(crop.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    return _png(crop)


def page_png(image: np.ndarray, boxes: list[list[int]], width: int = PAGE_WIDTH) -> bytes:
    """The whole page, scaled for the screen, with the boxes outlined."""
    page = image.copy()
    thickness = max(3, image.shape[1] // 300)
    for box in boxes:
        if len(box) == 4:
            x0, y0, x1, y1 = _clip(box, image.shape)
            cv2.rectangle(page, (x0 - thickness, y0 - thickness), (x1 + thickness, y1 + thickness), HIGHLIGHT,
                          thickness)
    if page.shape[1] > width:
        scale = width / page.shape[1]
        page = cv2.resize(page, (width, max(1, round(page.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    return _png(page)
