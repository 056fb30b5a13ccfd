"""Certificate numbers as printed on rosters and cards.

A special-operation 证号 is the holder's ID number, perhaps behind a "T"; a special-equipment 档案编号
is "TS" and 13 digits. Recognisers read the T as 1, I or 7 and the S as 5, so both shapes are
recognised with those letters misread, and the ID part is checked and corrected like any ID number.
"""

from __future__ import annotations

import re

from intake.fields.id_numbers import LENGTH, correct_id, mask_id, normalize_id_text, validate_id
from intake.fields.text import compact
from intake.fields.value import FieldValue

TITLE = "证书编号"
TABLE_LABELS = ("证书编号", "证书号", "证书号码", "证号", "操作证号", "证件编号")
# A special-equipment card's certificate number is its 档案编号; a special-operation card's is its 证号
# (the holder's ID number: id_numbers.CARD_LABELS).
CARD_LABELS = ("档案编号",)
_RECORD_NO_MISREAD = re.compile(r"[T1I7][S5]\d{13}")
_RECORD_NO = re.compile(r"TS\d{13}")
# A run that may be (or be a misread of) an ID number: a mobile number's length or longer.
_ID_LIKE = re.compile(r"\d{11,}[\dXx]?")


def record_no(raw: str) -> str | None:
    """"TS" and its 13 digits, or None when the text is not a record number."""
    text = compact(raw).upper()
    if _RECORD_NO_MISREAD.fullmatch(text):
        return "TS" + text[2:]
    digits = "".join(ch for ch in text[2:] if ch.isdigit())
    if text.startswith(("TS", "T5")) and len(digits) >= 13:
        return "TS" + digits[-13:]
    return None


def split_t_prefix(raw: str) -> tuple[str, str]:
    """("T", the ID part) for a 证号 printed behind a T (read as T, or as 1/I/7 before a valid ID), else ("", text)."""
    text = compact(raw).upper()
    if text.startswith("T") and len(text) >= LENGTH:
        return "T", text[1:]
    if len(text) == LENGTH + 1 and text[0] in "1I7" and validate_id(text[1:]).valid:
        return "T", text[1:]
    return "", text


def normalize_certificate_no(raw: str) -> str:
    """The record number, or the T-prefixed or bare ID number with its ID part corrected where it can be."""
    if found := record_no(raw):
        return found
    prefix, body = split_t_prefix(raw)
    if len(body) in (LENGTH - 1, LENGTH, LENGTH + 1) and sum(ch.isdigit() for ch in body) >= LENGTH - 3:
        return prefix + correct_id(normalize_id_text(body)).value
    return prefix + body


def is_well_formed(raw: str) -> bool:
    """A number that passes its own check: a record number, or an ID number (behind its T) that validates."""
    text = compact(raw).upper()
    if _RECORD_NO.fullmatch(text):
        return True
    _, body = split_t_prefix(text)
    return validate_id(correct_id(normalize_id_text(body)).value).valid


def same_certificate_no(a: str, b: str) -> bool:
    """One number written with and without the "T" a special-operation 证号 may carry."""
    return split_t_prefix(a)[1] == split_t_prefix(b)[1] and len(split_t_prefix(a)[1]) == LENGTH


def read(raw: str, _year: int | None = None) -> FieldValue:
    value = normalize_certificate_no(raw)
    return FieldValue(value, bool(value) and is_well_formed(value))


def search_key(raw: str) -> str:
    """The form a number is looked up by (the archive's keyed hash): no spaces, upper case, and a
    special-operation 证号 without its "T". The documents print the number as the card does, T and all;
    a search must find the certificate whether the archivist types the T or not, so the key drops it."""
    text = compact(raw).upper()
    prefix, body = split_t_prefix(text)
    return body if prefix and len(body) == LENGTH else text


def mask_certificate_no(number: str) -> str:
    """The number safe to show or store in clear: an ID number inside it (a special-operation 证号, or a
    misread one) masked as publicity lists print it; a record number (TS…) names no person and stays."""
    if _RECORD_NO.fullmatch(number):
        return number
    return _ID_LIKE.sub(lambda m: mask_id(m.group()), number)
