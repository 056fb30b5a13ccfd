"""Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters, checked twice.

Layout: registration authority (1), kind of organisation (1), administrative division (6), the
organisation code of GB 11714 (8 characters and its own check character), and the code's check character.
All 18 characters come from an alphabet of 31 (no I, O, S, V, Z: they read as 1, 0, 5, U, 2). The last character is
ISO 7064-style MOD 31 over weights 3^i mod 31; the organisation code inside keeps its own MOD 11 check, so a
single misread character is caught by at least one of them.

Credit codes are public (printed on every licence): they are stored and shown in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.fields.text import compact

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
LENGTH = 18
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Letters OCR and typists put for the five the alphabet leaves out.
LOOKALIKES = str.maketrans({"I": "1", "O": "0", "S": "5", "V": "U", "Z": "2"})
_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


@dataclass(frozen=True)
class CreditCodeCheck:
    valid: bool
    reason: str = ""  # why not, in words an officer reads


def normalize_credit_code(raw: str) -> str:
    """Upper case, no spaces or dashes, the letters the code never uses read as what they look like."""
    return compact(raw).upper().replace("-", "").replace("—", "").translate(LOOKALIKES)


def check_char(first17: str) -> str:
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check_char(body8: str) -> str:
    """GB 11714's check character of an organisation code: letters count 10..35, MOD 11, 10 is X."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return "X" if digit == 10 else "0" if digit == 11 else str(digit)


def validate_credit_code(code: str) -> CreditCodeCheck:
    if len(code) != LENGTH:
        return CreditCodeCheck(False, f"长度为{len(code)}位，应为18位")
    if not _SHAPE.fullmatch(code):
        return CreditCodeCheck(False, "含有代码不用的字符（I、O、S、V、Z 或标点）或第3-8位不是行政区划代码")
    if code[17] != check_char(code[:17]):
        return CreditCodeCheck(False, "校验码不符")
    if code[8:16] != "00000000" and code[16] != organisation_check_char(code[8:16]):
        # Codes given to bodies without an organisation code carry zeros there; the rest must check out.
        return CreditCodeCheck(False, "第9-17位组织机构代码的校验码不符")
    return CreditCodeCheck(True)


def read_credit_code(raw: str) -> tuple[str | None, str]:
    """A valid code from what was typed or read, or None and the reason."""
    code = normalize_credit_code(raw)
    if not code:
        return None, "统一社会信用代码为空"
    check = validate_credit_code(code)
    if not check.valid:
        return None, f"统一社会信用代码“{code}”无效：{check.reason}"
    return code, ""
