"""One grammar per trainee field, whatever the source: a scanned cell, a certificate card, an Excel cell.

Each field has its module (names, genders, id_numbers, phones, professions, certificate_numbers, dates,
class_periods, institutions) holding its labels, its reader, its comparison and its mask; this module only
finds the field's module. `normalize(field, raw, year)` turns written text into the value bundle-result/1
holds and says whether it is well formed (an ID that passes its check character, a mobile number of 11
digits, a complete date range, a catalogue item). `equivalent(field, a, b)` says whether two normalised
values name the same thing, so that "8月4日-8月23日" in the records and "2020.8.4-8.23" on the roster are one
training, "9期" and "2020年第9期" one class, "电工作业" and "低压电工作业" no contradiction, and only real
differences reach a reviewer as `field_mismatch`. `mask(field, value)` is the value as a role that may not
see it whole is shown it.
"""

from __future__ import annotations

from collections.abc import Callable

from intake.fields import (
    certificate_numbers,
    class_periods,
    dates,
    genders,
    id_numbers,
    names,
    phones,
    professions,
)
from intake.fields.value import FieldValue
from intake.result import TRAINEE_FIELDS

__all__ = ["TRAINEE_FIELDS", "FieldValue", "equivalent", "mask", "normalize"]


def normalize(field: str, raw: str, year: int | None = None) -> FieldValue:
    """The normalised value of `raw` for `field`; `year` completes dates and periods written without one."""
    return _READERS[field](raw or "", year)


def equivalent(field: str, a: str, b: str) -> bool:
    """Whether two normalised values of `field` say the same thing."""
    if a == b:
        return True
    if not a or not b:
        return False
    same = _SAME.get(field)
    return bool(same and same(a, b))


def mask(field: str, value: str) -> str:
    """The value with what a person is known by hidden (ID, phone, a 证号 holding an ID); other fields as
    they are."""
    masker = _MASKS.get(field)
    return masker(value) if masker and value else value


_READERS: dict[str, Callable[[str, int | None], FieldValue]] = {
    "id_number": id_numbers.read, "name": names.read, "gender": genders.read, "phone": phones.read,
    "profession": professions.read, "certificate_no": certificate_numbers.read,
    "training_date": dates.read_training, "class_period": class_periods.read,
}
_SAME: dict[str, Callable[[str, str], bool]] = {
    "profession": professions.same_profession, "certificate_no": certificate_numbers.same_certificate_no,
    "class_period": class_periods.same_period,
}
_MASKS: dict[str, Callable[[str], str]] = {
    "id_number": id_numbers.mask_id, "phone": phones.mask_phone,
    "certificate_no": certificate_numbers.mask_certificate_no,
}
