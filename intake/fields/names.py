"""Trainee names and genders as printed in a table cell."""

from __future__ import annotations

import re

from intake.fields.text import compact

# Han characters (with extensions A and B for rare name characters) and the middle dot of
# minority names (e.g. 买买提·艾力).
_NAME_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002a6df\uf900-\ufaff·]")
_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "。": "·", ".": "·"})


def normalize_name(raw: str) -> str:
    text = compact(raw).translate(_DOTS)
    name = "".join(_NAME_CHAR.findall(text)).strip("·")
    return name


def normalize_gender(raw: str) -> str | None:
    text = compact(raw)
    male, female = "男" in text, "女" in text
    if male == female:
        return None
    return "男" if male else "女"
