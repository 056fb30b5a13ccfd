"""Trainees as people: Chinese names, resident ID numbers, mobile numbers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tests.bundlegen.data import load
from tests.bundlegen.idnumber import make_id_number

MOBILE_PREFIXES = ("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
                   "170 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199").split()


@dataclass(frozen=True)
class Person:
    name: str
    gender: str
    birth: dt.date
    id_number: str
    phone: str


def _unique_chars(text: str) -> list[str]:
    return list(dict.fromkeys(ch for ch in text if not ch.isspace()))


def make_name(rng: random.Random, gender: str, rare: bool = False) -> str:
    names = load("names")
    if rng.random() < 0.04:
        surname = rng.choice(names["compound"]["surnames"])
    else:
        table = names["surnames"]
        surname = rng.choices(list(table), weights=list(table.values()), k=1)[0]
    pool = _unique_chars(names["given"]["male" if gender == "男" else "female"] + names["given"]["common"])
    length = 1 if rng.random() < 0.3 else 2
    given = [rng.choice(pool) for _ in range(length)]
    if rare:
        given[rng.randrange(length)] = rng.choice(_unique_chars(names["given"]["rare"]))
    return surname + "".join(given)


def make_phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def make_birth(rng: random.Random) -> dt.date:
    start, end = dt.date(1965, 1, 1), dt.date(2002, 6, 30)
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def working_age(birth: dt.date, gender: str) -> dt.date:
    """A birth date that makes an employee of the 2020 classes: 18 on 2020-01-01, and a woman under the
    workers' retirement age of 50 on 2020-12-31 (data/signals.toml of intake): earlier or later by whole
    years, so that most people keep the birth they were drawn."""
    if birth > dt.date(2001, 12, 31):
        return _year(birth, birth.year - 1)
    if gender == "女" and birth.year < 1971:
        return _year(birth, birth.year + 6)
    return birth


def _year(day: dt.date, year: int) -> dt.date:
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def make_person(rng: random.Random, rare_name: bool = False, want_x: bool = False) -> Person:
    gender = "男" if rng.random() < 0.8 else "女"  # safety-operation classes are mostly men
    birth = working_age(make_birth(rng), gender)
    codes = load("places")["address_codes"]
    code = rng.choices(list(codes), weights=list(codes.values()), k=1)[0]
    return Person(name=make_name(rng, gender, rare_name), gender=gender, birth=birth,
                  id_number=make_id_number(rng, code, birth, gender, want_x), phone=make_phone(rng))


def make_people(rng: random.Random, count: int) -> list[Person]:
    """Distinct people (no repeated ID numbers or names), a few with rare characters or an X check."""
    people: list[Person] = []
    ids: set[str] = set()
    names: set[str] = set()
    while len(people) < count:
        person = make_person(rng, rare_name=rng.random() < 0.06, want_x=rng.random() < 0.12)
        if person.id_number in ids or person.name in names:
            continue
        ids.add(person.id_number)
        names.add(person.name)
        people.append(person)
    return people
