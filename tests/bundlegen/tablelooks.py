"""The looks of the two trainee tables: the house look (the notice's columns, in its order, plainly
ruled) and the wide looks drawn at random — extra columns, other orders and wordings, two-line and
merged header cells, cells merged down the page, line styles, columns filled in by hand."""

from __future__ import annotations

import random

from tests.bundlegen import writing
from tests.bundlegen.data import load
from tests.bundlegen.ruling import RULING_WEIGHTS, RULINGS
from tests.bundlegen.tablepage import TableLook

ROSTER_COLUMNS = ("seq", "name", "gender", "id_number", "phone", "profession", "certificate_no", "training_date",
                  "class_period")
AGREEMENT_COLUMNS = ("seq", "name", "gender", "id_number", "phone", "signature")
# Columns some institutions add to the notice's roster, with how often.
ROSTER_EXTRAS = {"employer": 0.2, "education": 0.15, "remark": 0.3, "nation": 0.1}
AGREEMENT_EXTRAS = {"remark": 0.15, "employer": 0.1}
# Share of the table's spare width each column takes (before the random stretch of a wide look).
WEIGHTS = {"seq": 0.2, "name": 0.6, "gender": 0.2, "id_number": 1.0, "phone": 0.7, "profession": 1.4,
           "certificate_no": 1.0, "training_date": 1.3, "class_period": 0.9, "employer": 1.2, "education": 0.4,
           "remark": 0.5, "nation": 0.3, "signature": 1.6}
AGREEMENT_WEIGHTS = {"seq": 0.1, "name": 0.4, "gender": 0.1, "id_number": 0.3, "phone": 0.3, "signature": 1.6,
                     "remark": 0.3, "employer": 0.6}
# Where a two-line header cell breaks a long label.
BREAKS = {"身份证号码": "身份证\n号码", "身份证号": "身份证\n号", "公民身份号码": "公民身份\n号码",
          "专业（工种）": "专业\n（工种）", "专业(工种)": "专业\n(工种)", "证书编号": "证书\n编号",
          "培训日期": "培训\n日期", "联系电话": "联系\n电话", "手机号码": "手机\n号码",
          "培训起止日期": "培训起止\n日期", "签字（手印或盖章）": "签字\n（手印或盖章）", "文化程度": "文化\n程度",
          "工作单位": "工作\n单位", "培训期次": "培训\n期次"}
# Columns whose value is the same for the whole class, so a form may merge them down the page.
CLASS_WIDE = ("training_date", "class_period", "profession")


def house_roster_labels(style_labels: dict[str, str]) -> dict[str, str]:
    return {"seq": "序号", "name": "姓名", "gender": "性别", "id_number": style_labels["id_number"],
            "phone": style_labels["phone"], "profession": "专业（工种）", "certificate_no": "证书编号",
            "training_date": style_labels["training_date"], "class_period": style_labels["class_period"]}


def house_roster_look(style_labels: dict[str, str]) -> TableLook:
    return TableLook(ROSTER_COLUMNS, house_roster_labels(style_labels))


def house_agreement_look() -> TableLook:
    labels = {"seq": "序号", "name": "姓名", "gender": "性别", "id_number": "身份证号码", "phone": "手机",
              "signature": "签字（手印或盖章）"}
    return TableLook(AGREEMENT_COLUMNS, labels)


def wide_roster_look(rng: random.Random) -> TableLook:
    columns, group, glue = _shape(rng, ROSTER_COLUMNS, ROSTER_EXTRAS, "remark", glue_chance=0.12, group_chance=0.25)
    spans: frozenset[str] = frozenset()
    if rng.random() < 0.3:
        spans = frozenset(k for k in CLASS_WIDE if k in columns and rng.random() < 0.5)
    hand_mode = rng.choices(("none", "dates", "all"), weights=(8, 1, 1), k=1)[0]
    hand = {"none": frozenset(), "dates": frozenset({"training_date", "class_period"}) - spans,
            "all": frozenset(columns) - {"seq"} - spans}[hand_mode]
    return _look(rng, columns, group, spans, hand, glue)


def wide_agreement_look(rng: random.Random) -> TableLook:
    columns, group, glue = _shape(rng, AGREEMENT_COLUMNS, AGREEMENT_EXTRAS, "signature", glue_chance=0.1,
                                  group_chance=0.1)
    hand = rng.choices((frozenset(), frozenset({"name", "phone"}), frozenset({"name", "id_number", "phone"})),
                       weights=(6, 3, 1), k=1)[0]
    return _look(rng, columns, group, frozenset(), hand & set(columns), glue)


def _shape(rng: random.Random, base: tuple[str, ...], extras: dict[str, float], last: str, glue_chance: float,
           group_chance: float) -> tuple[tuple[str, ...], tuple[str, tuple[str, ...]] | None, bool]:
    """Columns in print order, the heading over some of them (if any), and whether gender joins the name."""
    glue = rng.random() < glue_chance
    columns = _order(rng, base, extras, glue, last)
    group = _group(rng, columns, group_chance)
    return (_adjacent(columns, group[1]) if group else columns), group, glue


def _look(rng: random.Random, columns: tuple[str, ...], group: tuple[str, tuple[str, ...]] | None,
          spans: frozenset[str], hand: frozenset[str], glue: bool) -> TableLook:
    labels = {k: writing.label(k, rng) for k in columns}
    if rng.random() < 0.3:   # a two-line header: long labels broken where the form's author broke them
        labels = {k: BREAKS.get(v, v) if rng.random() < 0.7 else v for k, v in labels.items()}
    return TableLook(columns, labels, group=group, spans=spans,
                     ruling=rng.choices(RULINGS, weights=RULING_WEIGHTS, k=1)[0], hand=hand, glue_gender=glue,
                     align="left" if rng.random() < 0.25 else "center", pad=rng.choice((4, 8, 14, 14)),
                     seed=rng.randrange(2**32))


def weights_of(look: TableLook, rng: random.Random | None, base: dict[str, float] = WEIGHTS) -> dict[str, float]:
    """Column weights; a wide look stretches each by its own random factor."""
    return {k: base[k] * (rng.uniform(0.6, 1.6) if rng else 1.0) for k in look.columns}


def _order(rng: random.Random, base: tuple[str, ...], extras: dict[str, float], glue: bool,
           last: str) -> tuple[str, ...]:
    """Columns in print order: 序号 and 姓名 lead; the rest the notice's order or shuffled a little."""
    middle = [k for k in base[2:] if not (glue and k == "gender") and k != last]
    if rng.random() < 0.45:
        for _ in range(rng.randint(1, 3)):
            a, b = rng.randrange(len(middle)), rng.randrange(len(middle))
            middle[a], middle[b] = middle[b], middle[a]
    for extra, chance in extras.items():
        if extra != last and rng.random() < chance:
            middle.insert(rng.randint(0, len(middle)), extra)
    tail = [last] if last in base or rng.random() < extras.get(last, 0.0) else []
    if tail and rng.random() < 0.15 and last in base:   # the signature before the phone, 备注 mid-table
        middle.insert(rng.randint(len(middle) // 2, len(middle)), last)
        tail = []
    head = ["seq", "name"] if rng.random() < 0.95 else ["name", "seq"]
    return tuple(head + middle + tail)


def _group(rng: random.Random, columns: tuple[str, ...], chance: float) -> tuple[str, tuple[str, ...]] | None:
    if rng.random() >= chance:
        return None
    options = [(heading, tuple(keys)) for heading, keys in load("writing")["groups"].items()
               if all(k in columns for k in keys)]
    return rng.choice(options) if options else None


def _adjacent(columns: tuple[str, ...], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The group's columns moved next to its first one, in the group's order."""
    first = min(columns.index(k) for k in keys)
    rest = [k for k in columns if k not in keys]
    at = len([k for k in columns[:first] if k not in keys])
    return tuple(rest[:at] + list(keys) + rest[at:])
