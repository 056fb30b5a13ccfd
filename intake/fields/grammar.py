"""One grammar per trainee field, whatever the source: a scanned cell, a certificate card, an Excel cell.

`normalize(field, raw, year)` turns written text into the value bundle-result/1 holds and says whether
it is well formed (an ID that passes its check character, a mobile number of 11 digits, a complete date
range, a catalogue item). `equivalent(field, a, b)` says whether two normalised values name the same
thing, so that "8月4日-8月23日" in the records and "2020.8.4-8.23" on the roster are one training, "9期" and
"2020年第9期" one class, "电工作业" and "低压电工作业" no contradiction, and only real differences reach a
reviewer as `field_mismatch`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.fields.certificate_numbers import is_well_formed, normalize_certificate_no, same_certificate_no
from intake.fields.class_periods import normalize_class_period, same_period
from intake.fields.dates import parse_date, parse_date_range
from intake.fields.id_numbers import correct_id, normalize_id_text, validate_id
from intake.fields.names import normalize_gender, normalize_name
from intake.fields.phones import normalize_phone
from intake.fields.professions import read_profession, same_profession
from intake.fields.text import compact
from intake.result import TRAINEE_FIELDS

__all__ = ["TRAINEE_FIELDS", "FieldValue", "equivalent", "normalize"]


@dataclass(frozen=True, slots=True)
class FieldValue:
    value: str            # normalised; "" when nothing usable was written
    valid: bool           # well formed by the field's own rules
    repaired_from: str = ""   # an ID the check character repaired: the text as read


def normalize(field: str, raw: str, year: int | None = None) -> FieldValue:
    """The normalised value of `raw` for `field`; `year` completes dates and periods written without one."""
    return _NORMALIZERS[field](raw or "", year)


def equivalent(field: str, a: str, b: str) -> bool:
    """Whether two normalised values of `field` say the same thing."""
    if a == b:
        return True
    if not a or not b:
        return False
    same = _SAME.get(field)
    return bool(same and same(a, b))


def _id_number(raw: str, _year: int | None) -> FieldValue:
    text = normalize_id_text(raw)
    if not text:
        return FieldValue("", False)
    fixed = correct_id(text)
    valid = validate_id(fixed.value).valid
    return FieldValue(fixed.value, valid, fixed.original if fixed.corrected else "")


def _name(raw: str, _year: int | None) -> FieldValue:
    name = normalize_name(raw)
    # Chinese names have two to four characters; minority names joined by "·" run longer.
    return FieldValue(name, 2 <= len(name) <= 20)


def _gender(raw: str, _year: int | None) -> FieldValue:
    gender = normalize_gender(raw)
    return FieldValue(gender or "", gender is not None)


def _phone(raw: str, _year: int | None) -> FieldValue:
    phone = normalize_phone(raw)
    return FieldValue(phone.value if phone.valid else phone.digits, phone.valid)


def _profession(raw: str, _year: int | None) -> FieldValue:
    found = read_profession(raw)
    return FieldValue(found.value, found.matched)


def _certificate_no(raw: str, _year: int | None) -> FieldValue:
    value = normalize_certificate_no(raw)
    return FieldValue(value, bool(value) and is_well_formed(value))


def _training_date(raw: str, year: int | None) -> FieldValue:
    span = parse_date_range(raw, default_year=year)
    if span:
        return FieldValue(span, True)
    day = parse_date(raw, default_year=year)
    return FieldValue(day or compact(raw), False)


def _class_period(raw: str, year: int | None) -> FieldValue:
    value = normalize_class_period(raw, year)
    return FieldValue(value, bool(value) and ("期" in value or value.isalnum()))


_NORMALIZERS: dict[str, Callable[[str, int | None], FieldValue]] = {
    "id_number": _id_number, "name": _name, "gender": _gender, "phone": _phone, "profession": _profession,
    "certificate_no": _certificate_no, "training_date": _training_date, "class_period": _class_period,
}
_SAME: dict[str, Callable[[str, str], bool]] = {
    "profession": same_profession, "certificate_no": same_certificate_no, "class_period": same_period,
}
