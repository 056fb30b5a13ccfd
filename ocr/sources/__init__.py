"""Input files to page images: PDFs (rendered, with their text layer) and scans or photos.

A bundle arrives as whatever the clerk has: one PDF, a multi-page TIFF, a pile of phone photos
or a folder of scans. Everything here is decided by the file's first bytes, not its name, so
that a ZIP or a Word file renamed to .pdf is reported for what it is.

Failures are reported, never fatal to the batch: a file that cannot be read at all raises
InputProblem; a page that cannot be read is yielded as an InputProblem in its place, so the
pages after it are still read and keep their numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ocr.errors import InputProblem
from ocr.sources.bundles import folder_pages, group_bundles, natural_key
from ocr.sources.images import _image_pages
from ocr.sources.pdf import _pdf_pages
from ocr.sources.sniff import IMAGE_KINDS, not_supported_reason, sniff, sniff_bytes
from ocr.types import PageImage

__all__ = ["folder_pages", "group_bundles", "load_pages", "natural_key", "sniff", "sniff_bytes"]


# --- pages of one file ------------------------------------------------------------------------

def load_pages(path: Path, dpi: int = 200, first_number: int = 1) -> Iterator[PageImage | InputProblem]:
    """The pages of one file, one at a time, numbered on from `first_number`.

    Raises InputProblem (when iterated) if the file cannot be read at all; yields an InputProblem
    in place of a page that cannot be read. PDFs are rendered at `dpi`; images keep their own
    resolution, reduced to about 300 dpi when larger.
    """
    if path.is_dir():
        raise InputProblem(path.name, "is a folder, not a file" if folder_pages(path) else
                           "folder holds no PDF or image files")
    kind = sniff(path)
    if kind == "pdf":
        yield from _pdf_pages(path, dpi, first_number)
    elif kind in IMAGE_KINDS:
        yield from _image_pages(path, first_number, multi_page=kind == "tiff")
    else:
        raise InputProblem(path.name, not_supported_reason(kind))
