"""PDF pages: opened with pdfium, rendered, and their text layer (read by pdfplumber) mapped to pixels."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium

from ocr.errors import InputProblem
from ocr.sources.images import MAX_PIXELS
from ocr.sources.sniff import _short
from ocr.types import Box, PageImage, Word

# extract_words: CJK glyphs come as separate characters with no spaces; 1.5 pt joins a run of
# them into one word and still splits at a space.
X_TOLERANCE = 1.5
MIN_TEXT_CHARS = 5  # fewer letters/digits/hanzi than this is a stray mark, not a text layer


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
