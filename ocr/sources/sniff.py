"""What a file is, from its first bytes, and the words for a file that is not a page."""

from __future__ import annotations

from pathlib import Path

from ocr.errors import InputProblem

IMAGE_KINDS = frozenset({"jpeg", "png", "bmp", "webp", "gif", "tiff"})

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


# A problem's reason from an exception: its first line, kept short. Shared by the PDF and image readers.
def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."
