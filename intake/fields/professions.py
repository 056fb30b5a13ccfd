"""Professions (专业/工种) matched against the two certificate catalogues in data/catalog.toml.

People write a profession many ways: the item with or without its "作业" suffix ("低压电工"), the category
instead of the item ("安全附件维修", "电工作业"), the category with the item in brackets
("电工作业（低压电工）"), the special-equipment code with or without the item ("F 安全阀校验", "Q2"), a common
short form ("叉车", "电焊工"), or misread by a character. `read_profession` says which item that is, or, when
the text names a category of several items, which items it could be; the written text stays beside the
match so the reviewer and the documents can show both.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from intake.data import load
from intake.fields.text import compact
from intake.fields.value import FieldValue

SPECIAL_OPERATION = "special_operation"
SPECIAL_EQUIPMENT = "special_equipment"
FUZZY_CUTOFF = 0.8
# Below FUZZY_CUTOFF a close form is not taken, but it is offered to the reviewer as a candidate.
CANDIDATE_CUTOFF = 0.5

TITLE = "专业（工种）"
TABLE_LABELS = ("专业（工种）", "专业(工种)", "专业", "工种", "培训专业", "培训工种", "培训项目", "作业类别",
                "准操项目", "操作项目", "作业项目", "培训类别", "申报工种")
# A card prints its category (作业类别) and its item: 准操项目 (older cards 操作项目), 作业项目 on special equipment.
CARD_CATEGORY_LABELS = ("作业类别",)
CARD_ITEM_LABELS = ("准操项目", "操作项目", "作业项目")


@dataclass(frozen=True)
class Profession:
    item: str          # 准操项目 / 作业项目 without code, e.g. "低压电工作业", "叉车司机"
    category: str      # 作业类别
    kind: str          # SPECIAL_OPERATION or SPECIAL_EQUIPMENT
    code: str = ""     # special-equipment code, e.g. "N1"


@dataclass(frozen=True)
class ProfessionMatch:
    """What a written profession names: one item, or a category whose items are the candidates."""

    written: str
    profession: Profession | None = None
    category: str = ""
    candidates: tuple[Profession, ...] = ()
    how: str = ""      # item | category | code | short_form | alias | fuzzy | none

    @property
    def value(self) -> str:
        """The normalised value: the item, else the category it names, else the written text."""
        if self.profession is not None:
            return self.profession.item
        return self.category or compact(self.written)

    @property
    def matched(self) -> bool:
        return self.profession is not None


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
def categories() -> dict[str, tuple[Profession, ...]]:
    out: dict[str, list[Profession]] = {}
    for p in catalog():
        out.setdefault(p.category, []).append(p)
    return {c: tuple(items) for c, items in out.items()}


@cache
def _item_forms() -> dict[str, Profession]:
    """Every accepted written form of one item -> the item, keyed by the normalised text."""
    by_item = {p.item: p for p in catalog()}
    forms: dict[str, Profession] = {}
    for p in catalog():
        bare_category = p.category.removesuffix("作业")
        for form in (p.item, p.item.removesuffix("作业"), p.category + p.item, bare_category + p.item):
            forms.setdefault(_key(form), p)
        if p.code:
            forms.setdefault(_key(p.code + p.item), p)
    data = load("catalog")
    for kind in (SPECIAL_OPERATION, SPECIAL_EQUIPMENT):
        for group in data[kind]:
            for alias, item in group.get("aliases", {}).items():
                forms.setdefault(_key(alias), by_item[item])
                forms.setdefault(_key(alias.removesuffix("作业")), by_item[item])
    for short, item in data.get("short_forms", {}).get("items", {}).items():
        forms.setdefault(_key(short), by_item[item])
    return forms


@cache
def _category_forms() -> dict[str, str]:
    """Written forms of a category -> the category."""
    forms = {}
    for category in categories():
        for form in (category, category.removesuffix("作业"), category.removesuffix("安全作业")):
            if form:
                forms.setdefault(_key(form), category)
    for short, category in load("catalog").get("short_forms", {}).get("categories", {}).items():
        forms.setdefault(_key(short), category)
    return forms


def read_profession(raw: str) -> ProfessionMatch:
    """The catalogue item (or category) a written profession names."""
    key = _key(raw)
    if not key:
        return ProfessionMatch(raw, how="none")
    for attempt in _readings(key):
        if found := _exact(raw, attempt):
            return found
    if found := _by_code(raw, key):
        return found
    return _fuzzy(raw, key)


def match_profession(raw: str) -> Profession | None:
    """The one catalogue item a written profession names, or None (a category alone names none)."""
    return read_profession(raw).profession


def canonical_profession(raw: str) -> str:
    """The catalogue item a printed profession names, or the printed text tidied when none matches."""
    found = match_profession(raw)
    return found.item if found else compact(raw)


def read(raw: str, _year: int | None = None) -> FieldValue:
    found = read_profession(raw)
    return FieldValue(found.value, found.matched)


def find_profession_in_text(text: str) -> Profession | None:
    """The longest catalogue spelling that occurs in a paragraph (the agreement names its profession)."""
    flat = _key(text)
    hits = [form for form in _item_forms() if len(form) >= 3 and form in flat]
    return _item_forms()[max(hits, key=len)] if hits else None


def same_profession(a: str, b: str) -> bool:
    """Two normalised values name the same thing: equal, or one is the category the other item belongs to."""
    if a == b:
        return True
    items = {p.item: p for p in catalog()}
    if a in items and b in categories():
        return items[a].category == b
    if b in items and a in categories():
        return items[b].category == a
    return False


def _readings(key: str) -> list[str]:
    """The text itself, and for "电工作业（低压电工）" its bracketed part and both parts joined."""
    out = [key]
    if m := re.fullmatch(r"(.+?)（(.+?)）(.*)", key):
        outer, inner, rest = m.groups()
        out += [inner, outer + inner, outer + rest, inner + rest]
    return out


def _exact(raw: str, key: str) -> ProfessionMatch | None:
    if key in _item_forms():
        return ProfessionMatch(raw, _item_forms()[key], how="item")
    if key in _category_forms():
        category = _category_forms()[key]
        items = categories()[category]
        if len(items) == 1:
            return ProfessionMatch(raw, items[0], category, items, how="category")
        return ProfessionMatch(raw, None, category, items, how="category")
    return None


def _by_code(raw: str, key: str) -> ProfessionMatch | None:
    """"Q2", "N1叉车", "Q2桥式起重机司机": a current special-equipment code leads the text."""
    m = re.match(r"([A-Z])(\d?)(?![A-Z\d])", key.upper())
    if not m:
        return None
    coded = {p.code: p for p in catalog() if p.code}
    code = m.group(1) + m.group(2)
    found = coded.get(code) or (coded.get(m.group(1)) if not m.group(2) else None)
    if found is None:
        return None
    rest = key[m.end():]
    # A code before some other trade's name is not that trade: the rest must be empty or look like the item.
    if rest and difflib.SequenceMatcher(None, rest, found.item).ratio() < 0.4 and found.item[-2:] not in rest:
        return None
    return ProfessionMatch(raw, found, found.category, (found,), how="code")


def _fuzzy(raw: str, key: str) -> ProfessionMatch:
    forms = {**{k: p.item for k, p in _item_forms().items()}, **_category_forms()}
    close = difflib.get_close_matches(key, forms.keys(), n=1, cutoff=FUZZY_CUTOFF)
    if close:
        found = _exact(raw, close[0])
        if found is not None:
            return ProfessionMatch(raw, found.profession, found.category, found.candidates, how="fuzzy")
    near = difflib.get_close_matches(key, _item_forms().keys(), n=3, cutoff=CANDIDATE_CUTOFF)
    candidates = tuple(dict.fromkeys(_item_forms()[k] for k in near))
    return ProfessionMatch(raw, None, "", candidates, how="none")


def _key(text: str) -> str:
    return compact(text).replace("(", "（").replace(")", "）").replace(",", "、").replace("，", "、")
