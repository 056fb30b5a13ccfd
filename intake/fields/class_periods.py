"""Class periods (班期): "9期", "第9期", "2020年第9期", "2020第九期", "2020-09", "2020-009" are one period.

The provincial system numbers classes per institution and year; rosters, agreements and the Excel export
write the same number many ways. A numbered period is normalised to "YYYY年第N期" (the year from the text,
else from the training it belongs to); a period code with letters ("BZ20200804", "AQ2020-09") is an
identifier of its own and stays as written, upper-case and without spaces.
"""

from __future__ import annotations

import re

from intake.fields.numerals import parse_int
from intake.fields.text import compact
from intake.fields.value import FieldValue

TITLE = "班期"
TABLE_LABELS = ("班期", "期次", "班次", "培训期次", "培训班期", "班级期次")

_CN = "零〇一二两三四五六七八九十百"
# 期 read without its 月 is 其: a recogniser's slip on a faint or small 期, never a way of writing a period.
_PERIOD = "(?:期|其|班)"
_YEAR_NUMBER = re.compile(rf"((?:19|20)\d{{2}})\s*(?:年度?|[-_./])?\s*第?\s*([0-9{_CN}]{{1,4}})\s*{_PERIOD}?$")
_NUMBER_ONLY = re.compile(rf"第?\s*([0-9{_CN}]{{1,4}})\s*{_PERIOD}$|第\s*([0-9{_CN}]{{1,4}})$|([0-9]{{1,3}})$")
_CODE = re.compile(r"[A-Za-z]")
# A period named inside a paragraph (the agreement's): "2020年第9期" or a code such as "BZ2020-09期".
_IN_TEXT = re.compile(r"(\d{4}\s*年?\s*第\s*\d+\s*期|[A-Z]{0,3}\d{4}[-_]?\d{2,4}期?)")


def normalize_class_period(raw: str, year: int | None = None) -> str:
    """The canonical form of a printed or typed period; "" for an empty cell."""
    text = compact(raw).replace("（", "(").replace("）", ")").strip("()")
    if not text:
        return ""
    if _CODE.search(text):
        return text.upper()
    if m := _YEAR_NUMBER.fullmatch(text):
        number = parse_int(m.group(2))
        if number is not None and 0 < number < 1000:
            return f"{m.group(1)}年第{number}期"
    if m := _NUMBER_ONLY.fullmatch(text):
        number = parse_int(next(g for g in m.groups() if g))
        if number is not None and 0 < number < 1000:
            return f"{year}年第{number}期" if year else f"第{number}期"
    return text


def read(raw: str, year: int | None = None) -> FieldValue:
    value = normalize_class_period(raw, year)
    # A code is letters and digits (BZ20200804); Chinese characters are alphanumeric to Python, not codes.
    return FieldValue(value, bool(value) and ("期" in value or (value.isascii() and value.isalnum())))


def find_in_text(text: str) -> str:
    """The period a paragraph names, as written; "" when it names none."""
    m = _IN_TEXT.search(compact(text))
    return m.group(1) if m else ""


def period_number(canonical: str) -> int | None:
    m = re.search(r"第(\d+)期$", canonical)
    return int(m.group(1)) if m else None


def same_period(a: str, b: str) -> bool:
    """Two normalised periods name the same class: equal, or one lacks the year the other has."""
    if a == b:
        return True
    short, full = sorted((a, b), key=len)
    return short.startswith("第") and full.endswith(short) and full[:4].isdigit()
