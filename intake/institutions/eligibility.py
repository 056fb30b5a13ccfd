"""What a recognition covers and when an institution may claim.

A recognition's 认定类别 is written as the bureau announced it: a certificate kind (特种作业, 特种设备作业人员),
a category (电工作业, 场（厂）内专用机动车辆作业), an item (低压电工作业, N1 叉车司机), or several of these
separated by 、 or ；. It covers a profession when the profession's catalogue item is among the items it names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from intake.fields.professions import SPECIAL_EQUIPMENT, SPECIAL_OPERATION, catalog, read_profession
from intake.fields.text import compact

KIND_WORDS = {SPECIAL_EQUIPMENT: "特种设备", SPECIAL_OPERATION: "特种作业"}
_SEPARATORS = re.compile(r"[、,，;；/|\n]+")


@cache
def items_named(category: str) -> frozenset[str]:
    """The catalogue items a 认定类别 names (empty when it names none)."""
    items: set[str] = set()
    for part in _SEPARATORS.split(compact(category)):
        if not part:
            continue
        kinds = [kind for kind, word in KIND_WORDS.items() if word in part]
        if kinds:
            items.update(p.item for p in catalog() if p.kind in kinds)
            continue
        found = read_profession(part)
        if found.profession is not None:
            items.add(found.profession.item)
        elif found.category:
            items.update(p.item for p in found.candidates)
    return frozenset(items)


@dataclass(frozen=True)
class RecognitionFact:
    category: str
    department: str
    announcement_no: str
    valid_from: dt.date
    valid_to: dt.date | None = None

    def covers(self, item: str) -> bool:
        return item in items_named(self.category)

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def describe(self) -> str:
        until = self.valid_to.isoformat() if self.valid_to else "长期"
        number = f"，{self.announcement_no}" if self.announcement_no else ""
        return f"{self.department}认定“{self.category}”（{self.valid_from.isoformat()}至{until}{number}）"


@dataclass(frozen=True)
class DisqualificationFact:
    day: dt.date
    reason: str


@dataclass(frozen=True)
class InstitutionFacts:
    """A registered institution as the checks need it, without a database."""

    id: int
    name: str
    credit_code: str
    recognitions: tuple[RecognitionFact, ...] = ()
    disqualifications: tuple[DisqualificationFact, ...] = ()


def recognition_for(facts: InstitutionFacts, item: str, day: dt.date) -> RecognitionFact | None:
    """The recognition under which the institution could train for this item on this day."""
    return next((r for r in facts.recognitions if r.covers(item) and r.in_force(day)), None)


def recognitions_of_item(facts: InstitutionFacts, item: str) -> list[RecognitionFact]:
    """Recognitions for the item at any time (to say when it was recognised, if not on the day)."""
    return [r for r in facts.recognitions if r.covers(item)]


def disqualified_by(facts: InstitutionFacts, day: dt.date) -> DisqualificationFact | None:
    """The earliest disqualification in force on this day (on or before it)."""
    return next((d for d in sorted(facts.disqualifications, key=lambda d: d.day) if d.day <= day), None)


def first_disqualification(facts: InstitutionFacts) -> DisqualificationFact | None:
    return min(facts.disqualifications, key=lambda d: d.day, default=None)


def known_category(category: str) -> bool:
    return bool(items_named(category))


def categories_text(recognitions: Iterable[RecognitionFact]) -> str:
    return "、".join(dict.fromkeys(r.category for r in recognitions))
