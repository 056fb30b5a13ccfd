"""The trainee's name (姓名): its labels on every form, and the name as printed in a cell or on a card."""

from __future__ import annotations

import re

from intake.fields.text import compact
from intake.fields.value import FieldValue
from ocr.glyphs import glyph_likeness

TITLE = "姓名"
# Scanned tables and spreadsheets (records, ledger) head the column so; certificate cards print it so.
TABLE_LABELS = ("姓名", "学员姓名", "姓 名")
CARD_LABELS = ("姓名",)

# Han characters (with extensions A and B for rare name characters) and the middle dot of
# minority names (e.g. 买买提·艾力).
_NAME_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002a6df\uf900-\ufaff·]")
_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "。": "·", ".": "·"})


def normalize_name(raw: str) -> str:
    text = compact(raw).translate(_DOTS)
    return "".join(_NAME_CHAR.findall(text)).strip("·")


def read(raw: str, _year: int | None = None) -> FieldValue:
    name = normalize_name(raw)
    # Chinese names have two to four characters; minority names joined by "·" run longer.
    return FieldValue(name, 2 <= len(name) <= 20)


def starts_card(text: str) -> bool:
    """A card's 姓名 label is in this text: each card of a copy page begins at one."""
    flat = compact(text)
    return any(label in flat for label in CARD_LABELS)


# Two characters this alike in shape (ocr.glyphs) are a misreading of one for the other.
MISREAD_LIKENESS = 0.78


def rare_misread(read: str, full: str) -> bool:
    """`read` is `full` with only its rare characters (outside GB 2312's 6,763, which recognisers learn
    from) read as common ones that look like them; a character of another shape is another name."""
    if len(read) != len(full) or read == full:
        return False
    return all(a == b or (not _common(b) and glyph_likeness(a, b) >= MISREAD_LIKENESS)
               for a, b in zip(read, full, strict=True))


def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
