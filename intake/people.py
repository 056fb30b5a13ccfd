"""Witnesses grouped into people: which roster row, agreement row, certificate card and records row speak of
the same trainee.

The stamped roster leads: each of its rows is one person, in order. An agreement row joins the person whose
ID it carries (or nearly: a misread digit or two, with the same name), else the one person of its name.
A certificate card or a records row is stricter, because joining it to the wrong person would give that
person someone else's number: it joins only where its name and its ID both agree with the person's (one
misread character in one of them at most). What joins nobody stays apart: agreement rows become people of
their own, cards and records rows are returned so that they can be reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.fields.text import edit_distance
from intake.witness import Witness

# Misread characters tolerated between two readings of one person's ID number.
ID_SLACK = 2


@dataclass(slots=True)
class Person:
    witnesses: list[Witness] = field(default_factory=list)

    def of(self, source: str) -> list[Witness]:
        return [w for w in self.witnesses if w.source == source]

    def values(self, name: str) -> list[str]:
        return [w.value(name) for w in self.witnesses if w.value(name)]


def group_people(table_rows: list[Witness], cards: list[Witness], records: list[Witness],
                 ) -> tuple[list[Person], list[Witness], list[Witness]]:
    """People in roster order (agreement-only people after them); and the cards and records rows that
    matched nobody."""
    people = [Person([w]) for w in table_rows if w.source == "roster"]
    for row in (w for w in table_rows if w.source != "roster"):
        home = _table_match(people, row)
        if home is None:
            people.append(Person([row]))
        else:
            home.witnesses.append(row)
    return people, _attach(people, cards), _attach(people, records)


def _table_match(people: list[Person], row: Witness) -> Person | None:
    # A person already holding a row of this source is the last choice: two agreement rows for one
    # roster row are rarer than two people whose numbers were misread alike.
    free = [p for p in people if not p.of(row.source)]
    for pool in (free, people):
        if found := _by_id(pool, row, ID_SLACK, require_name=True) or _by_id(pool, row, 0, require_name=False):
            return found
        named = [p for p in pool if row.value("name") and row.value("name") in p.values("name")]
        if len(named) == 1:
            return named[0]
    return None


def _by_id(pool: list[Person], row: Witness, slack: int, require_name: bool) -> Person | None:
    number = row.value("id_number")
    if len(number) < 15:
        return None
    for person in pool:
        close = any(edit_distance(number, other) <= slack for other in person.values("id_number"))
        if close and (not require_name or _same_name(person, row)):
            return person
    return None


def _same_name(person: Person, witness: Witness, slack: int = 1) -> bool:
    name = witness.value("name")
    return bool(name) and any(edit_distance(name, other) <= slack for other in person.values("name"))


def _attach(people: list[Person], witnesses: list[Witness]) -> list[Witness]:
    """Join each witness to the person whose name and ID it shares; return the ones that joined nobody."""
    left = []
    for witness in witnesses:
        homes = _strict_match(people, witness)
        if not homes:
            left.append(witness)
        for home in homes:
            home.witnesses.append(witness)
    return left


def _strict_match(people: list[Person], witness: Witness) -> list[Person]:
    """The best-fitting person; several only when they are one person listed twice (the same ID and name)."""
    number, name = witness.value("id_number"), witness.value("name")
    fits: list[tuple[tuple[bool, bool], Person]] = []
    for person in people:
        exact_id = bool(number) and number in person.values("id_number")
        near_id = bool(number) and any(edit_distance(number, v) <= ID_SLACK for v in person.values("id_number"))
        exact_name = bool(name) and name in person.values("name")
        # A listed person whose papers lost their ID (an unread cell) has the name as evidence alone.
        no_id_on_paper = not person.values("id_number")
        # A card whose number was not read at all has its name as evidence; one whose number contradicts
        # the person's never joins them, whatever its name says.
        unread_id = not number
        if (exact_id and (_same_name(person, witness) or not name)) or (near_id and exact_name) \
                or ((no_id_on_paper or unread_id) and exact_name):
            fits.append(((not exact_id, not exact_name), person))
    if not fits:
        return []
    best = min(rank for rank, _ in fits)
    top = [person for rank, person in fits if rank == best]
    keys = {(tuple(p.values("id_number")[:1]), tuple(p.values("name")[:1])) for p in top}
    # Two different people fit equally well: a reviewer decides, not the order of the rows.
    return top if len(keys) == 1 else []
