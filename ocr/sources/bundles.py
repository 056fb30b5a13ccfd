"""Command-line paths to bundles: runs of photos, folders of scans, in natural order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ocr.errors import InputProblem
from ocr.sources.sniff import IMAGE_KINDS, sniff

MULTI_PAGE_KINDS = frozenset({"pdf", "tiff"})
# Names that say "this was meant as a page", so a misnamed or broken one is reported, not skipped.
PAGE_SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".webp", ".gif"})
SINGLE_IMAGE_SUFFIXES = PAGE_SUFFIXES - {".pdf", ".tif", ".tiff"}


def group_bundles(paths: Sequence[Path]) -> list[list[Path]]:
    """Split command-line paths into bundles.

    A PDF or TIFF is a bundle of its own; image files given one after another are one bundle
    (photos of its pages), in natural order, so page-2 comes before page-10 even when a shell
    glob listed them the other way; a folder is one bundle of its page files in natural order.
    A path that is missing or not a page file stands alone, so that reading it names the problem.
    """
    bundles: list[list[Path]] = []
    run: list[Path] = []

    def close_run() -> None:
        if run:
            bundles.append(sorted(run, key=natural_key))
            run.clear()

    for path in paths:
        if path.is_dir():
            close_run()
            bundles.append(folder_pages(path) or [path])
        elif _is_single_image(path):
            run.append(path)
        else:
            close_run()
            bundles.append([path])
    close_run()
    return bundles


def _is_single_image(path: Path) -> bool:
    """A photo or scan of one page; one misnamed or broken stays in its pile so the page numbers hold."""
    try:
        kind = sniff(path)
    except InputProblem:
        return False
    if kind in MULTI_PAGE_KINDS:
        return False
    return kind in IMAGE_KINDS or path.suffix.lower() in SINGLE_IMAGE_SUFFIXES


def folder_pages(folder: Path) -> list[Path]:
    """The folder's PDFs and images in natural order; notes, hidden and system files left out."""
    pages = []
    for path in folder.iterdir():
        if path.name.startswith(".") or not path.is_file() or path.name.lower() == "thumbs.db":
            continue
        try:
            kind = sniff(path)
        except InputProblem:
            continue
        if kind == "pdf" or kind in IMAGE_KINDS or path.suffix.lower() in PAGE_SUFFIXES:
            pages.append(path)
    return sorted(pages, key=natural_key)


def natural_key(path: Path) -> list[str | int]:
    """Sort key that reads digit runs as numbers: page-2 < page-10."""
    parts = re.split(r"([0-9]+)", path.name.casefold())
    return [int(p) if i % 2 else p for i, p in enumerate(parts)]
