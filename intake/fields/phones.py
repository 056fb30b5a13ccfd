"""Phone numbers: an 11-digit mobile (1[3-9]…) or a landline with its area code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.fields.text import DIGIT_LOOKALIKES, compact

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})[-—－]?(\d{7,8})")


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
