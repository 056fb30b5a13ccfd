"""The trainee's name (姓名): its labels on every form, and the name as printed in a cell or on a card."""

from __future__ import annotations

import re

from intake.fields.text import compact
from intake.fields.value import FieldValue

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
