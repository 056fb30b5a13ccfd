"""Phone numbers (手机): an 11-digit mobile (1[3-9]…) or a landline with its area code; their labels, the
reading of a cell, and the mask every display uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.fields.text import DIGIT_LOOKALIKES, compact
from intake.fields.value import FieldValue

TITLE = "手机"
TABLE_LABELS = ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "电话号码")
# The roster's footer: the filler's number.
HEADER_LABELS = ("联系方式",)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})[-—－]?(\d{7,8})")
_STORED_LANDLINE = re.compile(r"(0\d{2,3})-(\d{7,8})")


@dataclass(frozen=True)
class Phone:
    value: str      # normalised: 13812345678 or 0543-3161234; "" when none
    valid: bool
    digits: str     # every digit read, for a reviewer when the number is not valid


def normalize_phone(raw: str) -> Phone:
    text = compact(raw).translate(DIGIT_LOOKALIKES)
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return Phone(digits, True, digits)
    if m := _LANDLINE.fullmatch(re.sub(r"[^\d\-—－]", "", text)):
        return Phone(f"{m.group(1)}-{m.group(2)}", True, digits)
    return Phone("", False, digits)


def read(raw: str, _year: int | None = None) -> FieldValue:
    phone = normalize_phone(raw)
    return FieldValue(phone.value if phone.valid else phone.digits, phone.valid)


def reads_valid(raw: str) -> bool:
    return normalize_phone(raw).valid


def is_mobile(number: str) -> bool:
    return bool(_MOBILE.fullmatch(number))


def mask_phone(phone: str | None) -> str:
    """138****5678 for a mobile (DOMAIN.md); a landline keeps its area code and last four (0543-***1234);
    anything else keeps at most its last four."""
    if not phone:
        return ""
    if _MOBILE.fullmatch(phone):
        return phone[:3] + "****" + phone[-4:]
    if m := _STORED_LANDLINE.fullmatch(phone):
        local = m.group(2)
        return f"{m.group(1)}-{'*' * (len(local) - 4)}{local[-4:]}"
    return "*" * (len(phone) - 4) + phone[-4:] if len(phone) > 8 else "*" * len(phone)
