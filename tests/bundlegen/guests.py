"""People of other bundles in this one: the same person claimed again elsewhere, a phone number another
trainee gave, a certificate card copied from another batch. A corpus of batches (fraud.py) says which and
what a correct intake should flag; the bundle's own drawing is left as it was, only the guest's facts are
put in place of a trainee's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from tests.bundlegen.catalog import SPECIAL_OPERATION, all_professions
from tests.bundlegen.content import BundleContent, Certificate, make_certificate, reschedule
from tests.bundlegen.people import Person


@dataclass(frozen=True)
class Guest:
    index: int                 # the trainee of this bundle who becomes the guest
    signal: str                # the planted signal's name, for the truth
    flags: tuple[str, ...]     # the flags its claim should raise
    name: str = ""
    gender: str = ""
    birth: str = ""            # ISO
    id_number: str = ""
    phone: str = ""
    phone_only: bool = False
    keep: bool = False         # the trainee stays who they are (the source others copy): only flags and card
    card_seed: int | None = None
    certificate: dict | None = None   # the card copied from elsewhere (Certificate's fields, dates ISO)


def welcome(content: BundleContent, institution: str, start_on: str, profession: str,
            guests: tuple[Guest, ...]) -> None:
    k = content.klass
    if institution:
        k.institution = institution
    if profession:
        k.profession = next(p for p, _ in all_professions() if p.item == profession)
        rng = random.Random(f"{k.class_period}:{profession}")
        for t in content.trainees:
            t.certificate = make_certificate(rng, k, t.person, t.certificate.number.startswith("T"))
    if start_on:
        reschedule(content, dt.date.fromisoformat(start_on))
    for guest in guests:
        t = content.trainees[guest.index % len(content.trainees)]
        if guest.keep:
            pass
        elif guest.phone_only:
            t.person = dataclasses.replace(t.person, phone=guest.phone)
        else:
            t.person = Person(guest.name, guest.gender, dt.date.fromisoformat(guest.birth), guest.id_number,
                              guest.phone)
            t.roster_gender, t.agreement_name, t.agreement_id = guest.gender, guest.name, guest.id_number
            if t.certificate.kind == SPECIAL_OPERATION:
                t.certificate.number = ("T" if t.certificate.number.startswith("T") else "") + guest.id_number
        if guest.certificate is not None:
            c = guest.certificate
            t.certificate = Certificate(c["kind"], c["category"], c["item"], c["code"], c["number"],
                                        dt.date.fromisoformat(c["issue_date"]), dt.date.fromisoformat(c["valid_until"]),
                                        c["authority"])
        if guest.card_seed is not None:
            t.card_seed = guest.card_seed
        t.planted.append(guest.signal)
        t.extra_flags.extend(guest.flags)


def certificate_json(c: Certificate) -> dict:
    return {"kind": c.kind, "category": c.category, "item": c.item, "code": c.code, "number": c.number,
            "issue_date": c.issue_date.isoformat(), "valid_until": c.valid_until.isoformat(), "authority": c.authority}
