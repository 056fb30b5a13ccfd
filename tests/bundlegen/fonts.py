"""Installed CJK faces, glyph coverage, and per-character fallback so no glyph prints as a tofu box.

Faces are named by a short key. Measuring always goes through Pillow, so the raster and the PDF
backends lay text out identically; only faces with TrueType outlines can be embedded by reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")


@dataclass(frozen=True)
class Face:
    key: str
    path: str
    index: int
    truetype: bool   # glyf outlines: embeddable in a PDF text layer by reportlab


# key -> (file name, family as Pillow reports it, has TrueType outlines)
KNOWN_FACES = {
    "noto_serif": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", False),
    "noto_serif_bold": ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", False),
    "noto_sans": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", False),
    "noto_sans_bold": ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", False),
    "uming": ("uming.ttc", "AR PL UMing CN", True),
    "ukai": ("ukai.ttc", "AR PL UKai CN", True),
    "wqy": ("wqy-zenhei.ttc", "WenQuanYi Zen Hei", True),
}
# Where a glyph is missing, try these in order.
FALLBACK_ORDER = ("noto_sans", "noto_serif", "wqy", "uming", "ukai")
# A code point no CJK font maps: its rendering is the font's .notdef box.
_UNMAPPED = "\U0010fffd"


def _find_file(name: str) -> Path | None:
    for root in FONT_ROOTS:
        if root.is_dir():
            for path in root.rglob(name):
                return path
    return None


@cache
def face(key: str) -> Face | None:
    """The installed face for a key, or None when its font file is not installed."""
    file_name, family, truetype = KNOWN_FACES[key]
    path = _find_file(file_name)
    if path is None:
        return None
    for index in range(16):
        try:
            font = ImageFont.truetype(str(path), 20, index=index)
        except OSError:
            break
        if font.getname()[0] == family:
            return Face(key, str(path), index, truetype)
    return Face(key, str(path), 0, truetype)


def available(keys: tuple[str, ...] = tuple(KNOWN_FACES), truetype_only: bool = False) -> list[str]:
    out = [k for k in keys if (f := face(k)) is not None and (f.truetype or not truetype_only)]
    if not out and not any(face(k) for k in KNOWN_FACES):
        raise RuntimeError("no CJK font installed (fonts-noto-cjk, fonts-wqy-zenhei or fonts-arphic-ukai)")
    return out


@cache
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    f = face(key)
    if f is None:
        raise KeyError(f"font {key!r} is not installed")
    return ImageFont.truetype(f.path, size, index=f.index)


@cache
def has_glyph(key: str, ch: str) -> bool:
    if ch.isspace():
        return True
    probe = font(key, 24)
    return bytes(probe.getmask(ch)) != bytes(probe.getmask(_UNMAPPED))


def glyph_face(key: str, ch: str, truetype_only: bool = False) -> str:
    """The face that draws ch: key itself when it has the glyph, else the first fallback that has it."""
    if has_glyph(key, ch):
        return key
    for other in available(FALLBACK_ORDER, truetype_only):
        if has_glyph(other, ch):
            return other
    return key


def runs(text: str, key: str, truetype_only: bool = False) -> list[tuple[str, str]]:
    """Text split into (face key, substring) runs, each drawable by its face."""
    out: list[tuple[str, str]] = []
    for ch in text:
        k = glyph_face(key, ch, truetype_only)
        if out and out[-1][0] == k:
            out[-1] = (k, out[-1][1] + ch)
        else:
            out.append((k, ch))
    return out


def text_width(text: str, key: str, size: int) -> float:
    return sum(font(k, size).getlength(part) for k, part in runs(text, key))
