"""Image files and TIFF frames to pages: size limits, EXIF orientation, dpi, downscaling, BGR."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

from ocr.errors import InputProblem
from ocr.sources.sniff import _short
from ocr.types import PageImage

# A4 at 600 dpi is 35 megapixels; anything much past that is a mistake or a decompression bomb.
MAX_PIXELS = 60_000_000
# PIL refuses outright at twice this, before any pixel is decoded; our own check (with the size
# in the message) catches the rest, also before decoding.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

DEFAULT_DPI = 200.0
# Scanner resolutions people actually set; a 72 or 96 dpi tag is a camera's or a program's default.
PLAUSIBLE_DPI = (100.0, 2400.0)
A4_LONG_SIDE_IN = 297 / 25.4
# Reading gains nothing past ~300 dpi and every stage slows with the pixel count.
TARGET_DPI = 300.0
MAX_LONG_SIDE = 3508  # A4 long side at 300 dpi
DOWNSCALE_ABOVE_DPI = 330.0  # a little slack so a 310 dpi scan is not resampled for nothing
DOWNSCALE_ABOVE_PX = 4000


def _image_pages(path: Path, first_number: int, multi_page: bool) -> Iterator[PageImage | InputProblem]:
    im = _open_image(path)
    try:
        if not multi_page:
            yield _frame_page(path.name, first_number, im)
            return
        for index in count():
            number = first_number + index
            if index > 0:
                try:
                    im.seek(index)
                except EOFError:
                    return
                except Exception as e:  # a broken link between frames: the rest cannot be reached
                    yield InputProblem(path.name, f"page cannot be read, nor any after it: {_short(e)}", page=number)
                    return
            yield _frame_page(path.name, number, im)
    finally:
        im.close()


def _open_image(path: Path) -> Image.Image:
    """Open without decoding pixels, and refuse an outsize image from its header alone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
    except Image.DecompressionBombError as e:
        raise InputProblem(path.name, _too_large(_header_size(path)) or f"image too large: {_short(e)}") from None
    except Exception as e:
        raise InputProblem(path.name, f"corrupt image: {_short(e)}") from None
    problem = _too_large(im.size)
    if problem:
        im.close()
        raise InputProblem(path.name, problem)
    return im


def _header_size(path: Path) -> tuple[int, int]:
    """Width and height from the header, through the format's own reader, which (unlike
    Image.open) does not refuse a decompression bomb before saying how big it is."""
    with path.open("rb") as f:
        head = f.read(16)
        for factory, accept in (Image.OPEN[fmt] for fmt in Image.ID if fmt in Image.OPEN):
            if accept is None or accept(head):
                f.seek(0)
                try:
                    with factory(f, path.name) as im:
                        return im.size
                except Exception:
                    continue
    return (0, 0)


def _too_large(size: tuple[int, int]) -> str | None:
    w, h = size
    if w * h > MAX_PIXELS:
        return f"image too large: {w}×{h} pixels (limit {MAX_PIXELS // 1_000_000} megapixels)"
    return None


def _frame_page(source: str, number: int, im: Image.Image) -> PageImage | InputProblem:
    """The current frame as a page, or the problem in its place (the next frames may still be fine)."""
    problem = _too_large(im.size)
    if problem:
        return InputProblem(source, problem, page=number)
    notes: list[str] = []
    dpi = _image_dpi(im, notes)
    scale = _downscale_factor(max(im.size), dpi)
    stated = f"{im.size[0]}×{im.size[1]} at {dpi:.0f} dpi"
    stated_pixels = im.size[0] * im.size[1]
    try:
        if scale < 1 and im.format == "JPEG":
            # JPEG can decode straight at 1/2, 1/4 or 1/8 size: a 12 MP photo loads several times faster.
            full = im.size
            im.draft("RGB", (math.ceil(full[0] * scale), math.ceil(full[1] * scale)))
            reduced = im.size[0] / full[0]
            dpi, scale = dpi * reduced, scale / reduced
        im.load()
        pixels = _to_bgr(ImageOps.exif_transpose(im), notes)
    except Exception as e:  # truncated files and bad compressed data surface only when decoding
        return InputProblem(source, f"image data unreadable: {_short(e)}", page=number)
    if _orientation(im) not in (None, 1):
        notes.append(f"turned upright from EXIF orientation {_orientation(im)}")
    if scale < 1:
        h, w = pixels.shape[:2]
        pixels = cv2.resize(pixels, (max(1, round(w * scale)), max(1, round(h * scale))),
                            interpolation=cv2.INTER_AREA)
        dpi *= scale
    h, w = pixels.shape[:2]
    if w * h != stated_pixels:
        notes.append(f"reduced from {stated} to {w}×{h} at {dpi:.0f} dpi")
    return PageImage(source, number, pixels, dpi, None, notes)


def _image_dpi(im: Image.Image, notes: list[str]) -> float:
    """The scanner's dpi when the file states a plausible one; otherwise taken as an A4 page.

    Phone photos and many programs write 72 or 96 dpi, which says nothing about the paper;
    bundles are A4 forms, so the long side over 11.7 in is the better guess (200 dpi for a
    1654×2339 scan that lost its tag).
    """
    stated = im.info.get("dpi")
    try:
        value = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1]:
        return float(round(value))  # PNG stores dots per metre: 150 dpi comes back as 150.0124
    if max(im.size) < 100:
        return DEFAULT_DPI
    guess = min(max(max(im.size) / A4_LONG_SIDE_IN, 72.0), 1200.0)
    notes.append(f"no usable dpi in the file{f' ({value:g})' if value else ''}: "
                 f"taken as an A4 page, {guess:.0f} dpi")
    return guess


def _downscale_factor(long_side: int, dpi: float) -> float:
    if dpi <= DOWNSCALE_ABOVE_DPI and long_side <= DOWNSCALE_ABOVE_PX:
        return 1.0
    return min(1.0, TARGET_DPI / dpi, MAX_LONG_SIDE / long_side)


def _orientation(im: Image.Image) -> int | None:
    try:
        return im.getexif().get(0x0112)
    except Exception:
        return None


def _to_bgr(im: Image.Image, notes: list[str]) -> np.ndarray:
    """Any PIL mode to 8-bit BGR: 16-bit scaled down, transparency laid on white paper."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im)
        if im.mode.startswith("I;16") or (im.mode == "I" and arr.max(initial=0) > 255):
            arr = arr / 257.0
        gray = np.clip(arr, 0, 255).astype(np.uint8)
        return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(paper, rgba)
        notes.append("transparent parts laid on white")
    rgb = np.asarray(im.convert("RGB"))
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
