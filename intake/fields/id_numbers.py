"""Resident ID numbers (GB 11643-1999): validation by the ISO 7064 MOD 11-2 check character and a
real birth date, and correction of a single misread character when exactly one candidate passes.

The address code is checked against the province prefixes and the local table (with historical
3723xx codes) but never gated by birth year: a number keeps the code it was issued with.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from intake.data import load
from intake.fields.text import DIGIT_LOOKALIKES, compact, half_width
from intake.fields.value import FieldValue

TITLE = "身份证号"
# The column of the agreement and the publicity list, as the notice prints it.
FORM_TITLE = "身份证号码"
TABLE_LABELS = ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证件号码", "身份证")
# A special-operation card prints the number as its 证号, a special-equipment card as its 证件编号.
CARD_LABELS = ("证号", "证件编号", "身份证号", "公民身份号码")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
LENGTH = 18
OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class IdCheck:
    valid: bool
    reason: str = ""          # why not, in words a reviewer reads


@dataclass(frozen=True)
class IdReading:
    value: str                # the corrected number, or the input when no single correction exists
    original: str
    corrected: bool = False
    candidates: tuple[str, ...] = ()   # every valid number one edit away, when there was more than one


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize_id_text(raw: str) -> str:
    """Digits and X only; letters that look like digits become those digits, other marks become '?'
    so a correction knows where the doubt is."""
    text = compact(raw).replace("×", "X").replace("x", "X").replace("乂", "X")
    text = text.rstrip("。.,，")
    out = []
    for i, ch in enumerate(text):
        if ch.isdigit() and ch.isascii():
            out.append(ch)
        elif ch == "X":
            out.append("X" if i == len(text) - 1 else "?")
        else:
            mapped = ch.translate(DIGIT_LOOKALIKES)
            out.append(mapped if mapped.isdigit() else "?")
    return "".join(out).strip("?") if len(out) > LENGTH else "".join(out)


def birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


_FORM = re.compile(r"\d{17}[\dX]")


def well_formed(text: str) -> bool:
    """Eighteen digits, or seventeen and X, as written or read: the form of a number, whatever its check."""
    return _FORM.fullmatch(compact(text).upper()) is not None


def validate_id(number: str, today: dt.date | None = None) -> IdCheck:
    if len(number) != LENGTH:
        return IdCheck(False, f"长度为{len(number)}位，应为18位")
    if not _FORM.fullmatch(number):
        return IdCheck(False, "含有数字和X以外的字符")
    if not _known_area(number[:6]):
        return IdCheck(False, f"地址码{number[:6]}不存在")
    born = birth_date(number)
    if born is None or born.year < OLDEST_BIRTH_YEAR or born > (today or dt.date.today()):
        return IdCheck(False, f"出生日期{number[6:14]}无效")
    if number[17] != check_char(number[:17]):
        return IdCheck(False, "校验码不符")
    return IdCheck(True)


def gender_from_id(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def correct_id(text: str) -> IdReading:
    """The number as read, or the one valid number a single edit away (a misread, a dropped or a doubled
    character). Doubtful characters ('?') are the only places tried when there are any."""
    if validate_id(text).valid:
        return IdReading(text, text)
    # A final X is the one letter among digits, and recognisers drop it more than any digit.
    if len(text) == LENGTH - 1 and text.isdigit() and validate_id(text + "X").valid:
        return IdReading(text + "X", text, corrected=True)
    candidates = sorted(set(_one_edit_candidates(text)))
    if len(candidates) == 1:
        return IdReading(candidates[0], text, corrected=True)
    return IdReading(text, text, candidates=tuple(candidates))


def read(raw: str, _year: int | None = None) -> FieldValue:
    """A read number, corrected where one edit makes it valid."""
    text = normalize_id_text(raw)
    if not text:
        return FieldValue("", False)
    fixed = correct_id(text)
    return FieldValue(fixed.value, validate_id(fixed.value).valid, fixed.original if fixed.corrected else "")


def reads_valid(raw: str) -> bool:
    return read(raw).valid


def read_typed(text: str) -> tuple[str | None, str]:
    """A number typed into a spreadsheet: valid, or None and the reason (masked: messages never print a
    full number). Typed numbers are taken as typed, never corrected."""
    number = half_width(text).replace(" ", "").upper()
    if not number:
        return None, "身份证号为空"
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", number) or re.fullmatch(r"\d{16,}\.0", number):
        return None, "身份证号被 Excel 存成了数字，后几位已丢失，请将该列设为文本后重新导出"
    check = validate_id(number)
    if not check.valid:
        return None, f"身份证号 {mask_id(number)} 无效：{check.reason}"
    return number, ""


def mask_id(number: str) -> str:
    """371602********123X: the first 6 and last 4 characters, as publicity lists print them."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _one_edit_candidates(text: str) -> list[str]:
    alphabet = "0123456789"
    doubtful = [i for i, ch in enumerate(text) if ch == "?"]
    if len(text) == LENGTH:
        if len(doubtful) > 1:
            return []
        positions = doubtful or range(LENGTH)
        found = []
        for i in positions:
            for ch in alphabet + ("X" if i == LENGTH - 1 else ""):
                if ch != text[i]:
                    found.append(text[:i] + ch + text[i + 1:])
        return [c for c in found if validate_id(c).valid]
    if doubtful:
        return []
    if len(text) == LENGTH - 1:
        found = [text[:i] + ch + text[i:] for i in range(LENGTH) for ch in alphabet + ("X" if i == 17 else "")]
        return [c for c in found if validate_id(c).valid]
    if len(text) == LENGTH + 1:
        return [c for c in (text[:i] + text[i + 1:] for i in range(LENGTH + 1)) if validate_id(c).valid]
    return []


def _known_area(code: str) -> bool:
    table = load("address_codes")
    if code in table["local"]:
        return True
    # Outside the local table only the province is known; the rest of the code is taken on trust.
    return code[:2] in table["provinces"] and code[2:] != "0000"
