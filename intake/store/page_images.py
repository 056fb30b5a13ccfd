"""A stored bundle's pages as the reader saw them: each original opened once, each wanted page turned and
levelled by the transform the reader recorded, so that the evidence boxes fall where they were read."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.store.models import Bundle, Page, Upload
from ocr.errors import InputProblem
from ocr.geometry import PageTransform
from ocr.sources import load_pages


def page_in_file(session: Session, page: Page) -> int:
    """The page's number inside its own upload (pages of several files share one numbering)."""
    same_file = list(session.scalars(select(Page.number).where(Page.bundle_id == page.bundle_id,
                                                              Page.upload_id == page.upload_id)
                                     .order_by(Page.number)))
    return same_file.index(page.number) + 1


def upright_pages(session: Session, data_dir: Path, bundle: Bundle, numbers: Iterable[int]) -> dict[int, np.ndarray]:
    """The wanted pages of the bundle, upright; a page whose original cannot be opened is left out."""
    wanted = set(numbers)
    pages = [p for p in session.scalars(select(Page).where(Page.bundle_id == bundle.id)) if p.number in wanted]
    by_upload: dict[int, dict[int, Page]] = {}
    for page in pages:
        if page.upload_id is not None:
            by_upload.setdefault(page.upload_id, {})[page_in_file(session, page)] = page
    out: dict[int, np.ndarray] = {}
    for upload_id, by_index in by_upload.items():
        upload = session.get(Upload, upload_id)
        path = (data_dir / upload.stored_path) if upload is not None else None
        if path is None or not path.is_file():
            continue
        try:
            for image in load_pages(path):
                if isinstance(image, InputProblem) or image.number not in by_index:
                    continue
                page = by_index[image.number]
                pixels = cv2.cvtColor(image.image, cv2.COLOR_GRAY2BGR) if image.image.ndim == 2 else image.image
                out[page.number] = PageTransform.from_json(page.transform).apply(pixels)
                if len(out) == len(wanted):
                    return out
        except InputProblem:
            continue
    return out
