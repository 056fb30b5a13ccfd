"""Writing the page images out as the bundle's files: a scanned PDF, one image file per page, or a
multi-page TIFF. File names are fixed so that truth.json can list them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image

from tests.bundlegen.draft import DPI

OUTPUTS = ("pdf", "jpeg", "png", "tiff", "text_pdf")


def write_images(images: list[Image.Image], output: str, out_dir: Path, clean: bool,
                 scanned: dt.datetime, dpi: int = DPI) -> list[str]:
    """Files written, relative to out_dir, in page order; `scanned` dates the PDF, keeping it reproducible;
    `dpi` is the resolution the pages were scanned at, as the files declare it."""
    if output == "pdf":
        first, *rest = [_pdf_mode(im) for im in images]
        # Pillow embeds RGB/L pages as JPEG (DCTDecode), as scanners do; 200 DPI sets the page size.
        first.save(out_dir / "bundle.pdf", "PDF", save_all=True, append_images=rest, resolution=dpi,
                   quality=95 if clean else 88, creationDate=scanned.timetuple(), modDate=scanned.timetuple())
        return ["bundle.pdf"]
    if output == "tiff":
        first, *rest = images
        compression = "tiff_deflate" if clean else "jpeg"
        first.save(out_dir / "bundle.tiff", "TIFF", save_all=True, append_images=rest, dpi=(dpi, dpi),
                   compression=compression)
        return ["bundle.tiff"]
    if output in ("jpeg", "png"):
        ext = "jpg" if output == "jpeg" else "png"
        names = []
        for i, im in enumerate(images, 1):
            name = f"page-{i:03d}.{ext}"
            if output == "jpeg":
                im.save(out_dir / name, "JPEG", quality=95 if clean else 90, dpi=(dpi, dpi))
            else:
                im.save(out_dir / name, "PNG", dpi=(dpi, dpi), compress_level=1)
            names.append(name)
        return names
    raise ValueError(f"unknown output {output!r}; known: {', '.join(OUTPUTS)}")


def _pdf_mode(image: Image.Image) -> Image.Image:
    return image if image.mode in ("RGB", "L") else image.convert("RGB")
