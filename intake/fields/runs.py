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
            # The last takes the rest (a stray mark after a gender is the gender's, a number misread a digit
            # short is still the number); after a name or a free text, its form says where it starts.
            lazy = fields[i - 1] not in FORMS
            form = f"{FORMS[field]}.*" if lazy and field in FORMS else ".+"
        parts.append(f"({form})")
    return re.compile(r"\s*".join(parts), re.S)
