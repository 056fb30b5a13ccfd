"""Values of several fields run together in one cell, told apart by the forms of the fields.

A continuation page whose table lost a rule (or never had it: a form ruled round groups of columns) has
one cell where its first page has two or three: "11薛阳男", "5 王晨浩 18562777334 3723011992…",
"1512800223137168119890422657 4". The fields that cell stands under are known, in the order their columns
stand; where each value ends is said by the form of the next: a running number is one to three digits, a
gender one character, a mobile number 1 and ten digits, an ID number seventeen digits and a check
character. A name or a free text ends where the next field's form begins.
"""

from __future__ import annotations

import re
from functools import cache

# The form a field's value starts with; a field without one is free text.
FORMS: dict[str, str] = {
    "seq": r"\d{1,3}",
    "gender": r"[男女]",
    "id_number": r"\d{17}[\dXx]",
    "phone": r"1\d{10}",
}
# The last field's form: what is left after the others may be a number misread a digit or two short.
LOOSE_FORMS: dict[str, str] = {"id_number": r"\d{14,}[\dXx]?", "phone": r"1\d{8,}"}
NUMBERS = frozenset({"seq", "id_number", "phone"})
_FREE = r".+?"
_NAME = r"[^\d]+?"  # a name holds no digits: it ends where a number starts


def split_run_together(fields: tuple[str, ...], text: str) -> dict[str, str] | None:
    """Each field's part of the text, or None when the text does not run through the fields' forms in
    their order (the cell holds one of them only, or something else)."""
    if len(fields) < 2:
        return {fields[0]: text} if fields else {}
    m = _pattern(fields).fullmatch(text.strip())
    if m is None:
        return None
    return {field: part.strip() for field, part in zip(fields, m.groups(), strict=True)}


@cache
def _pattern(fields: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for i, field in enumerate(fields):
        form = FORMS.get(field, _NAME if field == "name" else _FREE)
        if i == len(fields) - 1:
            # The last takes the rest, starting with its form, loosely: a stray mark after a gender is the
            # gender's, a number misread a digit or two short is still the number.
            form = f"{LOOSE_FORMS.get(field, FORMS[field])}.*" if field in FORMS else ".+"
        elif field in FORMS and fields[i + 1] not in NUMBERS:
            # A number cut out of a longer run of digits is a misread one, not this field's value.
            form += r"(?!\d)"
        parts.append(f"({form})")
    return re.compile(r"\s*".join(parts), re.S)
