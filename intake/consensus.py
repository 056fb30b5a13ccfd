"""Each field of a person decided from all of its witnesses: the roster, the agreement, the certificate
card and the class's records.

Readings that say the same thing (by the field's grammar: intake/fields/grammar.py) are one opinion. The
opinion that wins is, in order: well formed (an ID that passes its check character beats one that does
not), held by more witnesses, read with confidence, and the one the stamped roster holds. So one witness
never overrides several that agree, and a misread cell never outvotes a clean one.

A loser that was itself read well and is well formed is a real disagreement between the papers
(`field_mismatch`), kept with every witness's value, page and box for the reviewer; a loser that was
read poorly or is malformed is an OCR slip and goes no further than the evidence. A value that rests on
one poorly read witness is `low_confidence`. "Poorly read" is below the cut-off of the engine that read the
papers (ocr.engines.low_confidence): the engines' scores are not on one scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake.fields.grammar import equivalent
from intake.fields.id_numbers import gender_from_id, validate_id, well_formed
from intake.fields.names import rare_misread
from intake.fields.professions import read_profession
from intake.fields.text import edit_distance
from intake.people import Person
from intake.result import TRAINEE_FIELDS, Evidence, TraineeResult
from intake.witness import SOURCES, FieldReading, Witness

CORRECTION_REASONS = {"agreement": "agreement", "certificate": "certificate_copy", "records": "records",
                      "roster": "roster"}


@dataclass(slots=True)
class _Opinion:
    """Readings of one field that say the same thing."""

    readings: list[tuple[Witness, FieldReading]]
    low: float            # the reading engine's doubt cut-off
    # The value the opinion stands for when its readings differ in form (a name less a rare character).
    fixed: str = ""

    @property
    def best(self) -> tuple[Witness, FieldReading]:
        return min(self.readings, key=lambda wr: (not wr[1].valid, _rank(wr[0]), -wr[1].confidence))

    @property
    def value(self) -> str:
        return self.fixed or self.best[1].value

    @property
    def valid(self) -> bool:
        return any(r.valid for _, r in self.readings)

    @property
    def confident(self) -> bool:
        return any(r.confidence >= self.low for _, r in self.readings)

    @property
    def typed(self) -> bool:
        return any(w.source == "records" for w, _ in self.readings)

    @property
    def support(self) -> int:
        return len({id(w) for w, _ in self.readings})

    def score(self) -> tuple:
        return (self.valid, self.support, self.confident, -_rank(self.best[0]), self.best[1].confidence)


def _rank(witness: Witness) -> int:
    return SOURCES.index(witness.source) if witness.source in SOURCES else len(SOURCES)


def decide(person: Person, has_agreement: bool, with_cards: bool, certificates_from: dt.date | None,
           with_records: bool, low: float) -> TraineeResult:
    """The trainee one person's witnesses make, with its flags, evidence, corrections and conflicts; `low` is
    the doubt cut-off of the engine that read the papers."""
    t = TraineeResult()
    for field in TRAINEE_FIELDS:
        readings = [(w, w.readings[field]) for w in person.witnesses if field in w.readings]
        for w, r in readings:
            t.evidence.append(_evidence(w, r))
        if readings:
            _decide_field(t, field, readings, low)
    _check_gender(t, person, low)
    _decide_signature(t, person, has_agreement)
    if with_cards:
        _decide_certificate(t, person, certificates_from)
    if with_records and not person.of("records"):
        t.flag("not_in_records")
    _note_profession(t, person)
    return t


def _decide_field(t: TraineeResult, field: str, readings: list[tuple[Witness, FieldReading]], low: float) -> None:
    opinions = _opinions(field, [(w, r) for w, r in readings if r.value], low)
    if not opinions:
        if any(r.raw.strip() for _, r in readings):
            t.flag("low_confidence")  # ink that read as nothing usable
        return
    if field == "name":
        opinions = _fold_lost_characters(opinions)
    opinions.sort(key=_Opinion.score, reverse=True)
    if field in UNCHECKED_NUMBERS:
        # Between numbers as many papers hold, the typed one: typing makes no recogniser's slips, and no
        # check character tells a misread digit (a stable sort keeps the order otherwise).
        opinions.sort(key=lambda o: (o.valid, o.support, o.typed), reverse=True)
    chosen, others = opinions[0], opinions[1:]
    setattr(t, field, chosen.value)
    _note_corrections(t, field, chosen, readings, low)
    real = [o for o in others if o.valid and o.confident and not _digit_slip(field, o, chosen)
            and not _made_up_by_repair(o)]
    if field == "id_number":
        # A number of the right form that fails its check although it was read clearly, and read so again by
        # the second look, is printed so on that paper: a clerk's slip for the reviewer, not the recogniser's.
        # One digit short or long, or with a stray mark in it, is malformed: the recogniser's (a hand-filled
        # cell in a photo reads confidently and wrong), and it goes no further than the evidence.
        real += [o for o in others if not o.valid and o.confident and o not in real and _read_well_formed(o)
                 and edit_distance(o.value, chosen.value) <= 2]
    if real and chosen.valid:
        t.flag("field_mismatch")
        t.conflicts.append({"field": field, "chosen": chosen.value,
                            "witnesses": [_evidence(w, r).to_json() for o in opinions for w, r in o.readings]})
    elif field == "id_number" and any(r.repaired_from and r.confidence >= low and well_formed(r.raw)
                                      for _, r in chosen.readings) and chosen.support > 1:
        # The number as printed on one paper differs from the rest, and the check character repaired it:
        # a misprint there is for a reviewer to see, not to be trusted away.
        t.flag("field_mismatch")
    if field == "id_number" and not chosen.valid:
        t.flag("invalid_id_number")
    doubtful = not chosen.confident or any(not o.confident for o in others)
    if doubtful and chosen.support == 1:
        t.flag("low_confidence")


# Numbers with no check character: one paper's reading a digit off from what two or more papers agree on
# is the recogniser's slip (a hand-filled phone number in a photo reads confidently and a digit wrong), not
# a second number. Names are not among them: one character otherwise on one paper may be another person.
UNCHECKED_NUMBERS = frozenset({"phone", "certificate_no"})


def _digit_slip(field: str, loser: _Opinion, chosen: _Opinion) -> bool:
    """One paper's reading a digit off from the number two or more papers agree on, or from the number the
    typed records hold (typing makes no recogniser's slips): the recogniser's."""
    if field not in UNCHECKED_NUMBERS or len(loser.value) != len(chosen.value):
        return False
    if edit_distance(loser.value, chosen.value) != 1 or loser.support != 1:
        return False
    return chosen.support >= 2 or chosen.typed


def _made_up_by_repair(opinion: _Opinion) -> bool:
    """A number read a digit short or long that only its check character's repair made valid: the repair
    invents a plausible number, which is no second number a paper holds."""
    return all(r.repaired_from and not well_formed(r.raw) for _, r in opinion.readings)


def _read_well_formed(opinion: _Opinion) -> bool:
    """Whether a reading of the number was eighteen digits (or seventeen and X) as read, before any mark
    the recogniser put for a stroke was taken for a digit."""
    return any(well_formed(r.raw) for _, r in opinion.readings)


def _opinions(field: str, readings: list[tuple[Witness, FieldReading]], low: float) -> list[_Opinion]:
    opinions: list[_Opinion] = []
    for w, r in readings:
        home = next((o for o in opinions if equivalent(field, o.value, r.value)), None)
        if home is None:
            opinions.append(_Opinion([(w, r)], low))
        else:
            home.readings.append((w, r))
    return opinions


def _fold_lost_characters(opinions: list[_Opinion]) -> list[_Opinion]:
    """A scanned name that is a typed one less a character or two (燚, 䶮, 堃 the recogniser does not know),
    or with a character read as one that looks like it, where one of the two is rare (曌 read as 盟, or 黄
    read as the traditional 黃), is one opinion, not two. It stands for the rare spelling where the typed
    records hold it (names with rare characters are why the records are typed), else for the spelling more
    papers were read as."""
    out: list[_Opinion] = []
    for o in sorted(opinions, key=lambda o: -len(o.value)):
        fuller = next((k for k in out if _lost_characters(o.value, k.value)), None)
        alike = next((k for k in out if rare_misread(o.value, k.value) or rare_misread(k.value, o.value)), None)
        if fuller is not None:
            fuller.fixed = fuller.fixed or fuller.value
            fuller.readings.extend(o.readings)
        elif alike is not None:
            rare, common = (alike, o) if rare_misread(o.value, alike.value) else (o, alike)
            value = rare.value if rare.typed or rare.support > common.support else common.value
            merged = _Opinion(alike.readings + o.readings, alike.low, value)
            out[out.index(alike)] = merged
        else:
            out.append(o)
    return out


def _lost_characters(read: str, full: str) -> bool:
    if not 0 < len(full) - len(read) <= 2 or not read:
        return False
    it = iter(full)
    return all(ch in it for ch in read)


def _note_corrections(t: TraineeResult, field: str, chosen: _Opinion,
                      readings: list[tuple[Witness, FieldReading]], low: float) -> None:
    """Where a paper's own reading was not taken, say what replaced it and on whose word."""
    source = next((w.source for w, r in chosen.readings if r.value == chosen.value), chosen.best[0].source)
    for w, r in readings:
        if w.source not in ("roster", "agreement"):
            continue
        if r.repaired_from and r.value == chosen.value:
            t.corrections.append({"field": field, "from": r.repaired_from, "to": r.value,
                                  "reason": "check_character", "page": w.page})
        elif r.value and not equivalent(field, r.value, chosen.value) and w.source == "roster":
            reason = CORRECTION_REASONS.get(source, source)
            if field == "name" and (_lost_characters(r.value, chosen.value) or rare_misread(r.value, chosen.value)):
                reason = "records_rare_character" if source == "records" else reason
            elif field == "name" and r.confidence < low and source == "records":
                reason = "records_low_confidence"
            t.corrections.append({"field": field, "from": r.value, "to": chosen.value, "reason": reason,
                                  "page": w.page})


def _check_gender(t: TraineeResult, person: Person, low: float) -> None:
    """The gender printed on each paper against the ID's 17th digit: one paper that contradicts it is
    flagged even when the others outvote it."""
    if not t.id_number or not validate_id(t.id_number).valid:
        return
    expected = gender_from_id(t.id_number)
    if not t.gender:
        t.gender = expected
    printed = [w.readings["gender"] for w in person.witnesses if "gender" in w.readings]
    if t.gender != expected or any(r.valid and r.confidence >= low and r.value != expected
                                   for r in printed):
        t.flag("gender_id_mismatch")


def _decide_signature(t: TraineeResult, person: Person, has_agreement: bool) -> None:
    """Signed when any agreement row of the person carries a mark; a trainee absent from the agreement
    signed nothing."""
    rows = person.of("agreement")
    marks = [w.signature for w in rows if w.signature is not None]
    for w in rows:
        if w.signature is not None:
            box = list(w.signature_box) if w.signature_box else []
            t.evidence.append(Evidence("agreement", w.page, "signature", w.signature.kind, "",
                                       w.signature.confidence, box, w.row))
    if marks:
        t.signed = any(m.present for m in marks)
    elif has_agreement and not rows:
        t.signed = False
    if t.signed is False:
        t.flag("missing_signature")


def _decide_certificate(t: TraineeResult, person: Person, certificates_from: dt.date | None) -> None:
    cards = person.of("certificate")
    t.certificate_copy = bool(cards)
    if not cards:
        t.flag("missing_certificate_copy")
        return
    issued = [str(c.card.get("issue_date", "")) for c in cards if c.card]
    if certificates_from is not None and any(d and d < certificates_from.isoformat() for d in issued):
        t.flag("certificate_before_policy_start")


def _note_profession(t: TraineeResult, person: Person) -> None:
    """A profession written as its category (安全附件维修) names several catalogue items: the reviewer picks
    one from the candidates, and the card's 准操项目 picks it when the card was read."""
    if not t.profession:
        return
    found = read_profession(t.profession)
    if found.matched or not found.candidates:
        return
    t.profession_candidates = [p.item for p in found.candidates]


def _evidence(w: Witness, r: FieldReading) -> Evidence:
    page = w.page if w.source != "records" else 0
    return Evidence(w.source, page, r.field, r.value, r.raw, r.confidence, list(r.box) if r.box else [], w.row)
