"""Input files to page images: PDFs (rendered, with their text layer) and scans or photos.

A bundle arrives as whatever the clerk has: one PDF, a multi-page TIFF, a pile of phone photos
or a folder of scans. Everything here is decided by the file's first bytes, not its name, so
that a ZIP or a Word file renamed to .pdf is reported for what it is.

Failures are reported, never fatal to the batch: a file that cannot be read at all raises
InputProblem; a page that cannot be read is yielded as an InputProblem in its place, so the
pages after it are still read and keep their numbers.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from itertools import count
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from ocr.errors import InputProblem
from ocr.types import Box, PageImage, Word

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

# extract_words: CJK glyphs come as separate characters with no spaces; 1.5 pt joins a run of
# them into one word and still splits at a space.
X_TOLERANCE = 1.5
MIN_TEXT_CHARS = 5  # fewer letters/digits/hanzi than this is a stray mark, not a text layer

IMAGE_KINDS = frozenset({"jpeg", "png", "bmp", "webp", "gif", "tiff"})
MULTI_PAGE_KINDS = frozenset({"pdf", "tiff"})
# Names that say "this was meant as a page", so a misnamed or broken one is reported, not skipped.
PAGE_SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".webp", ".gif"})
SINGLE_IMAGE_SUFFIXES = PAGE_SUFFIXES - {".pdf", ".tif", ".tiff"}

WHAT_IT_IS = {
    "zip": "a ZIP archive",
    "docx": "a Word document (.docx)",
    "xlsx": "an Excel workbook (.xlsx)",
    "ole": "an old Office document (.doc/.xls)",
    "gzip": "a gzip archive",
    "rar": "a RAR archive",
    "7z": "a 7-Zip archive",
    "rtf": "an RTF document",
    "html": "a web page (HTML)",
    "xml": "an XML file",
    "svg": "an SVG drawing",
    "text": "a text file",
    "jpeg2000": "a JPEG 2000 image, which is not supported",
    "heic": "a HEIC/HEIF photo, which is not supported; save it as JPEG",
    "unknown": "unrecognised content",
}


# --- what a file is ---------------------------------------------------------------------------

def sniff(path: Path) -> str:
    """The file's type from its first bytes: "pdf", "tiff", "jpeg", "png", ... or "empty"/"unknown"."""
    if path.is_dir():
        return "directory"
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        raise InputProblem(path.name, "file not found") from None
    except OSError as e:
        raise InputProblem(path.name, f"cannot open file: {e.strerror or e}") from None
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> str:
    if not head:
        return "empty"
    # The PDF header may legally sit anywhere in the first 1024 bytes.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return _zip_kind(head) if kind == "zip" else kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif"):
        return "heic"
    return _text_kind(head)


_MAGIC: list[tuple[bytes, str]] = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
    (b"BM", "bmp"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jpeg2000"),
    (b"\xff\x4f\xff\x51", "jpeg2000"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
]


def _zip_kind(head: bytes) -> str:
    """Office files are ZIPs; their first member names usually give them away."""
    if b"word/" in head:
        return "docx"
    if b"xl/" in head:
        return "xlsx"
    return "zip"


def _text_kind(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    if start.startswith(b"<?xml") or start.startswith(b"<svg"):
        return "svg" if b"<svg" in start else "xml"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _decodes_as_text(head):
        return "text"
    return "unknown"


def _decodes_as_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    # The 4096-byte cut may split a character: allow up to 3 trailing bytes to be cut off.
    for encoding in ("utf-8", "gb18030"):
        for cut in range(4):
            try:
                head[:len(head) - cut].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def not_supported_reason(kind: str) -> str:
    if kind == "empty":
        return "empty file"
    return f"not a PDF or image ({'looks like ' if kind != 'unknown' else ''}{WHAT_IT_IS.get(kind, kind)})"


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


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."


# --- PDFs -------------------------------------------------------------------------------------

def _pdf_pages(path: Path, dpi: int, first_number: int) -> Iterator[PageImage | InputProblem]:
    doc = _open_pdf(path)
    text_pdf: _TextLayerReader | None = None
    try:
        if len(doc) == 0:
            raise InputProblem(path.name, "corrupt PDF: no pages")
        text_pdf = _TextLayerReader(path)
        for index in range(len(doc)):
            number = first_number + index
            try:
                page = doc[index]
            except pdfium.PdfiumError as e:
                yield InputProblem(path.name, f"page cannot be read: {_short(e)}", page=number)
                continue
            try:
                yield _render_pdf_page(path.name, number, index, page, dpi, text_pdf)
            except InputProblem as problem:
                yield problem
            finally:
                page.close()
    finally:
        if text_pdf is not None:
            text_pdf.close()
        doc.close()


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        message = str(e)
        if "password" in message.lower():
            raise InputProblem(path.name, "encrypted PDF (password protected)") from None
        if "security" in message.lower():
            raise InputProblem(path.name, "encrypted PDF (unsupported security scheme)") from None
        detail = message.split("PDFium:", 1)[-1].strip(" ().") or message
        raise InputProblem(path.name, f"corrupt PDF: {detail.lower()}") from None


def _render_pdf_page(source: str, number: int, index: int, page: pdfium.PdfPage, dpi: int,
                     text_pdf: _TextLayerReader) -> PageImage:
    width_pt, height_pt = page.get_size()  # as displayed, i.e. after /Rotate
    scale, notes = _pdf_scale(width_pt, height_pt, dpi)
    try:
        bitmap = page.render(scale=scale)  # pdfium applies the page's /Rotate
        image = bitmap.to_numpy().copy()  # BGR; the copy outlives the bitmap's buffer
        bitmap.close()
    except Exception as e:  # pdfium reports a broken content stream in many ways
        raise InputProblem(source, f"page cannot be rendered: {_short(e)}", page=number) from None
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = np.ascontiguousarray(image[:, :, :3])
    return PageImage(source, number, image, scale * 72, _text_layer(page, index, image, text_pdf, notes), notes)


def _text_layer(page: pdfium.PdfPage, index: int, image: np.ndarray, text_pdf: _TextLayerReader,
                notes: list[str]) -> list[Word] | None:
    try:
        if not _has_text(page):
            return None
        frame = _display_frame(page)
    except Exception as e:  # the rendered image is still good: OCR reads it
        notes.append(f"text layer unreadable, page read by OCR: {_short(e)}")
        return None
    return text_pdf.words(index, frame, image.shape[1], image.shape[0], notes)


def _pdf_scale(width_pt: float, height_pt: float, dpi: int) -> tuple[float, list[str]]:
    """Points to pixels at `dpi`, lowered for an outsize page so it stays under MAX_PIXELS."""
    scale = dpi / 72
    if width_pt * height_pt * scale * scale <= MAX_PIXELS:
        return scale, []
    fitted = math.sqrt(MAX_PIXELS / (width_pt * height_pt)) * 0.999
    return fitted, [f"page is {width_pt / 72:.0f}×{height_pt / 72:.0f} in: rendered at {fitted * 72:.0f} dpi "
                    f"instead of {dpi} to stay under {MAX_PIXELS // 1_000_000} megapixels"]


# Where the rendered area lies in pdfplumber's coordinates: (media box width, height) as displayed,
# and the crop box as displayed (x0, top, x1, bottom), both in points.
Frame = tuple[tuple[float, float], tuple[float, float, float, float]]


def _display_frame(page: pdfium.PdfPage) -> Frame:
    """pdfminer turns the page by /Rotate and measures from the media box's displayed top-left;
    pdfium renders only the crop box. pdfplumber's own cropbox is not turned, so turn it here."""
    mx0, mx1 = sorted(page.get_mediabox()[0::2])
    my0, my1 = sorted(page.get_mediabox()[1::2])
    cx0, cx1 = sorted(page.get_cropbox()[0::2])
    cy0, cy1 = sorted(page.get_cropbox()[1::2])
    cx0, cy0, cx1, cy1 = max(cx0, mx0), max(cy0, my0), min(cx1, mx1), min(cy1, my1)
    w, h = mx1 - mx0, my1 - my0
    rotation = page.get_rotation() % 360
    corners = [_displayed(x - mx0, y - my0, w, h, rotation) for x, y in ((cx0, cy0), (cx1, cy1))]
    xs, ys = sorted(c[0] for c in corners), sorted(c[1] for c in corners)
    media = (h, w) if rotation in (90, 270) else (w, h)
    return media, (xs[0], ys[0], xs[1], ys[1])


def _displayed(u: float, v: float, w: float, h: float, rotation: int) -> tuple[float, float]:
    """A point (u, v up from the media box's bottom-left) on the page turned clockwise by `rotation`,
    measured from the displayed top-left corner, y down."""
    return {0: (u, h - v), 90: (v, u), 180: (w - u, v), 270: (h - v, w - u)}[rotation]


def _has_text(page: pdfium.PdfPage) -> bool:
    """pdfium counts characters cheaply; scanned pages then skip pdfminer's much slower parse."""
    textpage = page.get_textpage()
    try:
        return textpage.count_chars() > 0
    finally:
        textpage.close()


class _TextLayerReader:
    """pdfplumber on the same file, opened only when a page has text; one page parsed at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pdf: pdfplumber.PDF | None = None
        self._failed: str | None = None

    def words(self, index: int, frame: Frame, width_px: int, height_px: int, notes: list[str]) -> list[Word] | None:
        try:
            pdf = self._open()
            page = pdf.pages[index]
            try:
                return _page_words(page, frame, width_px, height_px, notes)
            finally:
                page.close()  # drops the parsed layout, so memory does not grow with the page count
        except Exception as e:  # the image is still good: read it by OCR instead
            notes.append(f"text layer unreadable, page read by OCR: {_short(e)}")
            return None

    def _open(self) -> pdfplumber.PDF:
        if self._failed is not None:
            raise RuntimeError(self._failed)
        if self._pdf is None:
            try:
                self._pdf = pdfplumber.open(self.path)
            except Exception as e:
                self._failed = _short(e)
                raise
        return self._pdf

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _page_words(page: pdfplumber.page.Page, frame: Frame, width_px: int, height_px: int,
                notes: list[str]) -> list[Word] | None:
    """The page's words in pixels of the rendered image, or None when there is no usable text.

    A page size other than the displayed media box means pdfplumber measured from somewhere
    else than assumed: the layer is dropped rather than misplaced.
    """
    media, (x0, top, x1, bottom) = frame
    if abs(page.width - media[0]) > 1 or abs(page.height - media[1]) > 1 or x1 <= x0 or bottom <= top:
        notes.append("text layer dropped: its page geometry does not match the rendered page")
        return None
    raw = page.extract_words(x_tolerance=X_TOLERANCE, keep_blank_chars=False, use_text_flow=False)
    raw = [w for w in raw if "(cid:" not in w["text"]]
    upright = [w for w in raw if w.get("upright", True)]
    if _letters(raw) < MIN_TEXT_CHARS:
        if raw:
            notes.append("text layer too thin to use, page read by OCR")
        return None
    if _letters(upright) < _letters(raw) / 2:
        notes.append("text layer runs sideways (page content rotated), page read by OCR")
        return None
    sx, sy = width_px / (x1 - x0), height_px / (bottom - top)
    words = []
    for w in upright:
        box = Box(max(0, math.floor((w["x0"] - x0) * sx)), max(0, math.floor((w["top"] - top) * sy)),
                  min(width_px, math.ceil((w["x1"] - x0) * sx)), min(height_px, math.ceil((w["bottom"] - top) * sy)))
        if box.width > 0 and box.height > 0:
            words.append(Word(_unify_hanzi(w["text"]), box, 1.0))
    return words


def _letters(words: list[dict]) -> int:
    """Letters, digits and hanzi (str.isalnum counts CJK ideographs) across the words."""
    return sum(ch.isalnum() for w in words for ch in w["text"])


def _unify_hanzi(text: str) -> str:
    """Some producers (Word with certain fonts) emit Kangxi radicals or compatibility ideographs,
    which look like 日 or 金 but are other code points; map just those to the ordinary hanzi and
    leave full-width punctuation alone."""
    return "".join(unicodedata.normalize("NFKC", ch) if _is_lookalike_hanzi(ch) else ch for ch in text)


def _is_lookalike_hanzi(ch: str) -> bool:
    code = ord(ch)
    return 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF


# --- images -----------------------------------------------------------------------------------

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


# --- files to bundles -------------------------------------------------------------------------

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
