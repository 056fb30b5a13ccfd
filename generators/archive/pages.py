"""Page images for a package, drawn from the byte-for-byte originals (never from OCR by-products).

A reader years later may have no PDF viewer that copes with a scanner's PDF, or a multi-page TIFF: each
page as an upright PNG opens anywhere. A page that cannot be drawn is noted, not fatal: the original is in
the package in any case.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2

from intake.store.models import Page, Upload
from ocr.errors import InputProblem
from ocr.sources import load_pages

ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def render_pages(data_dir: Path, uploads: Sequence[Upload], pages: Sequence[Page], work: Path,
                 folder: str) -> tuple[dict[int, str], list[str]]:
    """Write each page as <folder>/page-NNN-<kind>.png; returns {page number: path in the package}, notes."""
    written: dict[int, str] = {}
    notes: list[str] = []
    for upload in uploads:
        own = [p for p in pages if p.upload_id == upload.id]
        if not own:
            continue
        wanted = {index: page for index, page in enumerate(own, start=1)}  # page's index inside its own file
        try:
            for item in load_pages(data_dir / upload.stored_path):
                if isinstance(item, InputProblem) or item.number not in wanted:
                    continue
                page = wanted[item.number]
                image = cv2.rotate(item.image, ROTATE[page.rotation]) if page.rotation in ROTATE else item.image
                ok, png = cv2.imencode(".png", image)
                if not ok:
                    continue
                name = f"{folder}/page-{page.number:03d}-{page.kind}.png"
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                (work / name).write_bytes(png.tobytes())
                written[page.number] = name
        except InputProblem as problem:
            notes.append(f"{upload.original_name}: 无法生成页面图像 (pages not drawn: {problem})")
        except Exception as problem:  # a damaged original must not stop the package; the file itself is kept
            notes.append(f"{upload.original_name}: 无法生成页面图像 (pages not drawn: {type(problem).__name__})")
    missing = [p.number for p in pages if p.number not in written and p.upload_id is not None]
    if missing and not notes:
        notes.append(f"{folder}: 第 {', '.join(map(str, missing))} 页无图像")
    return written, notes
