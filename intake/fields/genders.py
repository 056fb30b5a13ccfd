"""The trainee's gender (性别): its labels, and 男/女 out of a cell or a card line."""

from __future__ import annotations

from intake.fields.text import compact
from intake.fields.value import FieldValue

TITLE = "性别"
TABLE_LABELS = ("性别",)
CARD_LABELS = ("性别",)
GENDERS = ("男", "女")


def normalize_gender(raw: str) -> str | None:
    text = compact(raw)
    male, female = "男" in text, "女" in text
    if male == female:
        return None
    return "男" if male else "女"


def read(raw: str, _year: int | None = None) -> FieldValue:
    gender = normalize_gender(raw)
    return FieldValue(gender or "", gender is not None)
