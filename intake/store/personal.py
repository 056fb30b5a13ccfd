"""Sensitive numbers in free text: found, then masked for display, tokenised for the index, sealed for storage.

ID numbers (and the special-operation 证号, "T" + ID), mobile numbers and the like come not only in the
fields meant for them but inside OCR text, problems quoted from pages, log lines and the documents' JSON,
and OCR often inserts spaces into them ("3716 0219 9003 0712 3X"). One finder serves every place:

- a *run* is a sequence of digit groups (X allowed after digits) separated by spaces or hyphens;
- a run of fewer than 11 digits is left alone (dates, row numbers, class periods, amounts);
- a longer run is cut into *numbers*: each group of 11 or more digits is a number (a group longer than an
  ID is cut at an ID, then at a mobile number), and consecutive shorter groups are joined until they
  reach 18 digits, which puts an ID or phone split by OCR's spaces back together.

Every digit of a long run belongs to some number, so nothing of it is left in clear by `mask_numbers`,
`tokenise_numbers` or `holds_number`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from intake.fields.id_numbers import mask_id
from intake.fields.phones import mask_phone
from intake.store.crypto import FieldCipher

MIN_DIGITS = 11          # a mobile number; shorter runs are dates, counts and serials
ID_LENGTH = 18
_RUN = re.compile(r"\d[\dXx]*(?:[ \t\u3000\-]+\d[\dXx]*)*")
_SEPARATORS = re.compile(r"[ \t\u3000\-]+")
_IN_LONG_GROUP = re.compile(r"\d{17}[\dXx]|1[3-9]\d{9}|[\dXx]+")
# Keys of the documents' JSON whose values are personal numbers whatever they look like.
PERSONAL_KEYS = frozenset({"id_number", "phone", "contact_phone", "certificate_no", "mobile"})
SEALED = "sealed"


def numbers_in_run(run: str) -> list[str]:
    """The numbers a long run is made of (see the module's description), upper-cased."""
    groups = [g.upper() for g in _SEPARATORS.split(run) if g]
    out: list[str] = []
    joined = ""
    for group in groups:
        if len(group) >= MIN_DIGITS:
            if joined:
                out.append(joined)
                joined = ""
            out += _IN_LONG_GROUP.findall(group) if len(group) > ID_LENGTH else [group]
            continue
        joined += group
        if len(joined) >= ID_LENGTH:
            out.append(joined)
            joined = ""
    if joined:
        out.append(joined)
    return out


def _long_runs(text: str) -> list[re.Match[str]]:
    return [m for m in _RUN.finditer(text) if sum(c.isdigit() or c in "Xx" for c in m.group()) >= MIN_DIGITS]


def _replace_runs(text: str, replace: Callable[[list[str]], str]) -> str:
    out, at = [], 0
    for match in _long_runs(text):
        out += [text[at:match.start()], replace(numbers_in_run(match.group()))]
        at = match.end()
    out.append(text[at:])
    return "".join(out)


def holds_number(text: str) -> bool:
    return bool(_long_runs(text))


def _mask_found(number: str) -> str:
    """A number found in text, masked as its field masks it: an ID (or a 15-digit old one) as IDs are,
    anything else as phones are (a mobile 138****5678, other numbers keep at most their last four)."""
    return mask_id(number) if len(number) in (15, ID_LENGTH) else mask_phone(number)


def mask_numbers(text: str) -> str:
    """The text for display and logs: every long number masked, spaces OCR put inside it gone."""
    return _replace_runs(text, lambda numbers: " ".join(_mask_found(n) for n in numbers))


def tokenise_numbers(text: str, token: Callable[[str], str]) -> str:
    """The text for the full-text index: every long number replaced by its keyed token (FieldCipher.token),
    so a query holding the same number finds it and the index holds no number."""
    return _replace_runs(text, lambda numbers: " " + " ".join(token(n) for n in numbers) + " ")


# --- the documents' JSON --------------------------------------------------------------------------

def seal_personal(value: Any, cipher: FieldCipher, label: str, key: str = "") -> Any:
    """A copy of a JSON value with every personal string sealed in place ({"sealed": "..."}): the values of
    PERSONAL_KEYS and any string holding a long number. Everything else stays readable."""
    if isinstance(value, dict):
        return {k: seal_personal(v, cipher, label, k) for k, v in value.items()}
    if isinstance(value, list):
        return [seal_personal(v, cipher, label, key) for v in value]
    if isinstance(value, str) and value and (key in PERSONAL_KEYS or holds_number(value)):
        return {SEALED: cipher.seal_text(value, label)}
    return value


def open_personal(value: Any, cipher: FieldCipher, label: str) -> Any:
    """The JSON value as it was before `seal_personal`."""
    if isinstance(value, dict):
        if set(value) == {SEALED} and isinstance(value[SEALED], str):
            return cipher.open_text(value[SEALED], label)
        return {k: open_personal(v, cipher, label) for k, v in value.items()}
    if isinstance(value, list):
        return [open_personal(v, cipher, label) for v in value]
    return value


def reseal_personal(value: Any, old: FieldCipher, new: FieldCipher, label: str) -> Any:
    """The sealed values of a JSON value moved from one key to another (key rotation)."""
    if isinstance(value, dict):
        if set(value) == {SEALED} and isinstance(value[SEALED], str):
            return {SEALED: new.seal_text(old.open_text(value[SEALED], label), label)}
        return {k: reseal_personal(v, old, new, label) for k, v in value.items()}
    if isinstance(value, list):
        return [reseal_personal(v, old, new, label) for v in value]
    return value


def mask_personal(value: Any, key: str = "") -> Any:
    """A copy of a JSON value fit to leave the store without a role that may see full numbers: every long
    number masked wherever it is, and the values of PERSONAL_KEYS masked even when misread short."""
    if isinstance(value, dict):
        return {k: mask_personal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_personal(v, key) for v in value]
    if not isinstance(value, str):
        return value
    masked = mask_numbers(value)
    if key in PERSONAL_KEYS and masked == value and sum(c.isdigit() for c in value) > 4:
        return re.sub(r"[\dXx](?=(?:[^\dXx]*[\dXx]){4})", "*", value)
    return masked
