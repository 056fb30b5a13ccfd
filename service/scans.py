"""The original scan of a stored page, rendered from the byte-for-byte original for the archivist.

The page image is made anew from the original upload (never from an OCR by-product), turned upright by
the rotation the intake undid, scaled for the screen, and cached under <data>/cache/pages by the
original's hash, so a page opened twice is rendered once and the cache can always be thrown away.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy.orm import Session

from intake.store.models import Page, Upload
from intake.store.page_images import page_in_file
from ocr.errors import InputProblem
from ocr.sources import load_pages

MAX_WIDTH = 1600
ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


class PageNotAvailable(Exception):
    """The page has no stored original, or the original cannot be rendered any more."""


def original_of(session: Session, data_dir: Path, page: Page) -> tuple[Upload, int]:
    """The page's stored upload and the page's number inside that file."""
    if page.upload_id is None:
        raise PageNotAvailable("此页没有对应的原始文件")
    upload = session.get(Upload, page.upload_id)
    if upload is None:
        raise PageNotAvailable("原始文件记录缺失")
    return upload, page_in_file(session, page)


def render_original(data_dir: Path, upload: Upload, index: int) -> np.ndarray:
    """Page `index` of the byte-for-byte original, as a BGR image."""
    original = (data_dir / upload.stored_path).resolve()
    if not original.is_relative_to((data_dir / "originals").resolve()) or not original.is_file():
        raise PageNotAvailable("原始文件缺失")
    try:
        image = next((p.image for p in load_pages(original) if not isinstance(p, InputProblem)
                      and p.number == index), None)
    except InputProblem as problem:
        raise PageNotAvailable(f"原始文件无法打开：{problem.reason}") from None
    if image is None:
        raise PageNotAvailable("原始文件中没有这一页")
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def write_png(path: Path, image: np.ndarray) -> bytes:
    """Encode and write atomically (a cache others may be reading); returns the PNG bytes."""
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise PageNotAvailable("页面无法编码为图片")
    data = png.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(temp, path)
    return data


def page_png(session: Session, data_dir: Path, page: Page) -> bytes:
    upload, index = original_of(session, data_dir, page)
    cache = data_dir / "cache" / "pages" / f"{upload.sha256}-{index}-{page.rotation}.png"
    if cache.exists():
        return cache.read_bytes()
    image = render_original(data_dir, upload, index)
    if page.rotation in ROTATE:
        image = cv2.rotate(image, ROTATE[page.rotation])
    if image.shape[1] > MAX_WIDTH:
        scale = MAX_WIDTH / image.shape[1]
        image = cv2.resize(image, (MAX_WIDTH, round(image.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return write_png(cache, image)
