"""How a value is written by the person filling a form or a spreadsheet, as opposed to what it is.

A "wide" bundle writes the same class in several hands: the roster's clerk shortens the profession to
its category, the agreement's paragraph spells the dates in words, the spreadsheet says "9期". Each
source draws its own Habits; truth.json keeps the canonical value beside what each source wrote.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tests.bundlegen.catalog import Profession
from tests.bundlegen.chinese import small_number
from tests.bundlegen.data import load
from tests.bundlegen.dates import WIDE_RANGE_FORMATS, format_range

PROFESSION_HABITS = ("item", "item_bare", "category", "category_bare", "coded", "code", "short")
PERIOD_HABITS = ("full", "year_number", "number", "ordinal", "year_dash", "year_ordinal_cn", "ordinal_cn")
FULL_SPACE = "\u3000"


@dataclass(frozen=True)
class Habits:
    """One writer's ways: of professions, date ranges and class periods, and of two-character names."""
    profession: str = "item"
    range_format: str = "dotted"
    period: str = "full"
    pad_names: bool = False      # 张三 written 张　三, to line up with three-character names


def draw_habits(rng: random.Random) -> Habits:
    return Habits(profession=rng.choices(PROFESSION_HABITS, weights=(5, 3, 2, 2, 2, 1, 3), k=1)[0],
                  range_format=rng.choice(WIDE_RANGE_FORMATS),
                  period=rng.choices(PERIOD_HABITS, weights=(4, 2, 3, 3, 2, 1, 1), k=1)[0],
                  pad_names=rng.random() < 0.3)


def profession_text(prof: Profession, habit: str, rng: random.Random) -> str:
    """The profession as this writer puts it; a habit that does not apply to it falls back to the item."""
    if habit == "item_bare" and prof.item.endswith("作业") and len(prof.item) > 4:
        return prof.item.removesuffix("作业")
    if habit == "category":
        return prof.category
    if habit == "category_bare" and prof.category.endswith("作业"):
        return prof.category.removesuffix("作业")
    if habit == "coded" and prof.code:
        return rng.choice((f"{prof.code} {prof.item}", f"{prof.code}{prof.item}", f"{prof.item}（{prof.code}）"))
    if habit == "code" and prof.code:
        return prof.code
    if habit == "short" and (forms := load("writing")["short_forms"].get(prof.item)):
        return rng.choice(forms)
    return prof.item


def range_text(start: dt.date, end: dt.date, habit: str) -> str:
    return format_range(start, end, habit)


def period_text(year: int, number: int | None, code: str, habit: str) -> str:
    """A class period as written: numbered periods many ways ("9期", "第9期", "2020-09"); a code as it is."""
    if number is None:
        return code
    forms = {"full": f"{year}年第{number}期", "year_number": f"{year}第{number}期", "number": f"{number}期",
             "ordinal": f"第{number}期", "year_dash": f"{year}-{number:02d}",
             "year_ordinal_cn": f"{year}年第{small_number(number)}期", "ordinal_cn": f"第{small_number(number)}期"}
    return forms[habit]


def canonical_period(year: int, number: int | None, code: str) -> str:
    """What the reader should return: "YYYY年第N期" for a numbered period, else the code itself."""
    return f"{year}年第{number}期" if number is not None else code


def name_text(name: str, pad: bool) -> str:
    """Two-character names padded with a full-width space in the middle (张　三) when the writer does so."""
    return name[0] + FULL_SPACE + name[1] if pad and len(name) == 2 else name


def label(field: str, rng: random.Random, notice_weight: float = 3.0) -> str:
    """A header wording for a field; the notice's own wording is the commonest."""
    options = load("writing")["labels"][field]
    weights = [notice_weight] + [1.0] * (len(options) - 1)
    return rng.choices(options, weights=weights, k=1)[0]


def form_label(key: str, rng: random.Random) -> str:
    options = load("writing")["form_labels"][key]
    return rng.choices(options, weights=[3.0] + [1.0] * (len(options) - 1), k=1)[0]
