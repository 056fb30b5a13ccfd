"""Professions from the two certificate catalogues, as data (data/catalog.toml)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.bundlegen.data import load

SPECIAL_OPERATION = "special_operation"
SPECIAL_EQUIPMENT = "special_equipment"


@dataclass(frozen=True)
class Profession:
    kind: str        # SPECIAL_OPERATION or SPECIAL_EQUIPMENT
    category: str    # 作业类别
    item: str        # 准操项目 / 作业项目 without code: what the roster prints as 专业（工种）
    code: str = ""   # special-equipment item code, e.g. "N1"

    @property
    def coded_item(self) -> str:
        return f"{self.code} {self.item}" if self.code else self.item


def all_professions() -> list[tuple[Profession, float]]:
    catalog = load("catalog")
    out = []
    for kind in (SPECIAL_OPERATION, SPECIAL_EQUIPMENT):
        for group in catalog[kind]:
            for item, weight in zip(group["items"], group["weights"], strict=True):
                code, _, name = item.partition(" ") if kind == SPECIAL_EQUIPMENT else ("", "", item)
                out.append((Profession(kind, group["category"], name, code), float(weight)))
    return out


def choose_profession(rng: random.Random) -> Profession:
    options = all_professions()
    # Most subsidy classes train special operations; equipment classes (forklifts, cranes) are the rest.
    kind = SPECIAL_OPERATION if rng.random() < 0.65 else SPECIAL_EQUIPMENT
    pool = [(p, w) for p, w in options if p.kind == kind]
    return rng.choices([p for p, _ in pool], weights=[w for _, w in pool], k=1)[0]
