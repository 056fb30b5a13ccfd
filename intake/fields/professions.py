"""Professions (专业/工种) matched against the two certificate catalogues in data/catalog.toml.

Rosters print an item many ways: with or without its "作业" suffix, with its special-equipment code
("N1叉车司机", "N1"), with brackets of either width, or misread by a character; the match returns the
catalogue's item so the rules and the generated documents speak one vocabulary.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from intake.data import load
from intake.fields.text import compact

SPECIAL_OPERATION = "special_operation"
SPECIAL_EQUIPMENT = "special_equipment"
FUZZY_CUTOFF = 0.8


@dataclass(frozen=True)
class Profession:
    item: str          # 准操项目 / 作业项目 without code, e.g. "低压电工作业", "叉车司机"
    category: str      # 作业类别
    kind: str          # SPECIAL_OPERATION or SPECIAL_EQUIPMENT
    code: str = ""     # special-equipment code, e.g. "N1"


@cache
def catalog() -> tuple[Profession, ...]:
    data = load("catalog")
    items = []
    for kind in (SPECIAL_OPERATION, SPECIAL_EQUIPMENT):
        for group in data[kind]:
            for entry in group["items"]:
                code, _, name = entry.partition(" ") if kind == SPECIAL_EQUIPMENT and " " in entry else ("", "", entry)
                items.append(Profession(name, group["category"], kind, code))
    return tuple(items)


@cache
def _spellings() -> dict[str, Profession]:
    """Every accepted printed form -> its item, keyed by the normalised text."""
    by_item = {p.item: p for p in catalog()}
    forms: dict[str, Profession] = {}
    for p in catalog():
        for form in (p.item, p.item.removesuffix("作业"), p.category + p.item):
            forms.setdefault(_key(form), p)
        if p.code:
            forms.setdefault(_key(p.code + p.item), p)
    for kind in (SPECIAL_OPERATION, SPECIAL_EQUIPMENT):
        for group in load("catalog")[kind]:
            for alias, item in group.get("aliases", {}).items():
                forms.setdefault(_key(alias), by_item[item])
                forms.setdefault(_key(alias.removesuffix("作业")), by_item[item])
    return forms


def match_profession(raw: str) -> Profession | None:
    key = _key(raw)
    if not key:
        return None
    forms = _spellings()
    if key in forms:
        return forms[key]
    if code := _code_only(key):
        return code
    close = difflib.get_close_matches(key, forms.keys(), n=1, cutoff=FUZZY_CUTOFF)
    return forms[close[0]] if close else None


def find_profession_in_text(text: str) -> Profession | None:
    """The longest catalogue spelling that occurs in a paragraph (the agreement names its profession)."""
    flat = _key(text)
    hits = [form for form in _spellings() if len(form) >= 3 and form in flat]
    return _spellings()[max(hits, key=len)] if hits else None


def _code_only(key: str) -> Profession | None:
    m = re.fullmatch(r"([A-Z]\d?)", key.upper())
    if not m:
        return None
    coded = [p for p in catalog() if p.code == m.group(1)]
    return coded[0] if len(coded) == 1 else None


def _key(text: str) -> str:
    return compact(text).replace("(", "（").replace(")", "）").replace(",", "、").replace("，", "、")
