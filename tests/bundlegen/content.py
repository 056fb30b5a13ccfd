"""What a bundle says, before anything is drawn: the class, its trainees and their certificates.

Everything here is drawn from the seed; the page renderers only decide how it looks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from tests.bundlegen.catalog import SPECIAL_EQUIPMENT, SPECIAL_OPERATION, Profession, choose_profession
from tests.bundlegen.data import load
from tests.bundlegen.dates import add_years, quarter_end, quarter_start
from tests.bundlegen.people import Person, make_name, make_people, make_phone
from tests.bundlegen.writing import canonical_period

YEAR = 2020
SIGNATURE_KINDS = ("ink", "pencil", "fingerprint", "seal", "none")
# How a class signs its agreement: most sign in ink, some press fingerprints, some mix.
SIGNING_HABITS = {
    "sign": {"ink": 90, "pencil": 5, "fingerprint": 5},
    "fingerprint": {"fingerprint": 85, "ink": 10, "seal": 5},
    "mixed": {"ink": 50, "fingerprint": 35, "seal": 10, "pencil": 5},
}


@dataclass
class Certificate:
    kind: str                 # SPECIAL_OPERATION or SPECIAL_EQUIPMENT
    category: str
    item: str
    code: str
    number: str               # what the roster prints as 证书编号: 证号 (ID, maybe "T"+ID) or 档案编号
    issue_date: dt.date       # 初领日期 / 批准日期
    valid_until: dt.date
    authority: str


@dataclass
class Trainee:
    person: Person
    certificate: Certificate
    signature_kind: str = "ink"
    certificate_copy: bool = True
    roster_gender: str = ""          # as printed; differs from the ID's parity only when planted
    agreement_name: str = ""         # as printed in the agreement
    agreement_id: str = ""
    planted: list[str] = field(default_factory=list)
    # Planted signals: one hand signing for several trainees (the same scrawl, its seed), one fingerprint
    # image pasted into several rows (its seed), one card image used again (the seed its look is drawn from).
    hand_seed: int | None = None
    hand_name: str = ""
    print_seed: int | None = None
    card_seed: int | None = None
    # Flags its claim should raise because of what other bundles hold (a guest of a corpus, guests.py).
    extra_flags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.roster_gender = self.roster_gender or self.person.gender
        self.agreement_name = self.agreement_name or self.person.name
        self.agreement_id = self.agreement_id or self.person.id_number

    @property
    def signed(self) -> bool:
        return self.signature_kind != "none"


@dataclass
class ClassInfo:
    year: int
    quarter: int
    institution: str
    employer: str
    profession: Profession
    class_period: str
    training_start: dt.date
    training_end: dt.date
    fill_date: dt.date
    filled_by: str
    contact_phone: str
    signing_habit: str
    # The period is a number each source may write its own way ("9期", "2020-09"), or a code. A house
    # bundle's class_period is the one way its institution prints it; a wide bundle's is the canonical form.
    period_number: int | None = None
    period_code: str = ""
    # When the class period was filed in the provincial system (班期备案): before the training, unless planted.
    filed_on: dt.date | None = None

    @property
    def filing_date(self) -> dt.date:
        return self.filed_on or self.training_start - dt.timedelta(days=5)


@dataclass
class BundleContent:
    klass: ClassInfo
    trainees: list[Trainee]
    stamps: dict[str, bool] = field(default_factory=lambda: {"roster": True, "agreement": True, "report": True})
    problems: list[dict] = field(default_factory=list)

    @property
    def certified(self) -> int:
        return len(self.trainees)


def make_institution(rng: random.Random) -> str:
    parts = load("places")["institutions"]
    return rng.choice(parts["prefixes"]) + rng.choice(parts["cores"]) + rng.choice(parts["kinds"])


def make_employer(rng: random.Random) -> str:
    parts = load("places")["employers"]
    return (rng.choice(parts["prefixes"]) + rng.choice(parts["cores"]) + rng.choice(parts["trades"])
            + rng.choice(parts["forms"]))


def make_class_period(rng: random.Random, start: dt.date) -> tuple[str, int | None, str]:
    """The period as the institution prints it, with its number, or its code where it is not numbered."""
    number = rng.randint(1, 48)
    formats = (f"{start.year}年第{number}期", f"{start.year}-{number:03d}", f"BZ{start:%Y%m%d}",
               f"{start.year}第{number}期", f"AQ{start.year}-{number:02d}")
    printed = rng.choices(formats, weights=(5, 2, 2, 2, 1), k=1)[0]
    coded = printed.startswith(("BZ", "AQ"))
    return printed, None if coded else number, printed if coded else ""


def make_contact_phone(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return make_phone(rng)
    return f"0543-{rng.choice('3245')}{rng.randrange(10**6):06d}"


def make_class(rng: random.Random) -> ClassInfo:
    quarter = rng.randint(1, 4)
    q_start, q_end = quarter_start(YEAR, quarter), quarter_end(YEAR, quarter)
    length = rng.randint(10, 20)
    # Leave room in the quarter for the exam, the certificates and the filling-in of the forms.
    latest_start = (q_end - q_start).days - length - 25
    start = q_start + dt.timedelta(days=rng.randint(3, max(4, latest_start)))
    end = start + dt.timedelta(days=length - 1)
    fill = q_end if rng.random() < 0.5 else min(q_end, end + dt.timedelta(days=rng.randint(22, 40)))
    filled_by_gender = rng.choice("男女")
    institution, employer, profession = make_institution(rng), make_employer(rng), choose_profession(rng)
    printed, number, code = make_class_period(rng, start)
    return ClassInfo(year=YEAR, quarter=quarter, institution=institution, employer=employer,
                     profession=profession, class_period=printed,
                     training_start=start, training_end=end, fill_date=fill,
                     filled_by=make_name(rng, filled_by_gender), contact_phone=make_contact_phone(rng),
                     signing_habit=rng.choices(list(SIGNING_HABITS), weights=(6, 2, 2), k=1)[0],
                     period_number=number, period_code=code)


def make_certificate(rng: random.Random, klass: ClassInfo, person: Person, t_prefix: bool) -> Certificate:
    prof = klass.profession
    issue = klass.training_end + dt.timedelta(days=rng.randint(5, 20))
    authorities = load("places")["authorities"]
    if prof.kind == SPECIAL_OPERATION:
        number = ("T" if t_prefix else "") + person.id_number
        return Certificate(SPECIAL_OPERATION, prof.category, prof.item, "", number, issue,
                           add_years(issue, 6) - dt.timedelta(days=1), rng.choice(authorities[SPECIAL_OPERATION]))
    number = "TS" + f"{rng.randrange(10**12, 10**13)}"
    return Certificate(SPECIAL_EQUIPMENT, prof.category, prof.item, prof.code, number, issue,
                       add_years(issue, 4) - dt.timedelta(days=1), rng.choice(authorities[SPECIAL_EQUIPMENT]))


def widen_class(klass: ClassInfo, rng: random.Random) -> None:
    """Give the class a period that its sources may write in different ways (wide bundles)."""
    year = klass.training_start.year
    if rng.random() < 0.12:
        klass.period_code = rng.choice((f"BZ{klass.training_start:%Y%m%d}", f"AQ{year}-{rng.randint(1, 48):02d}"))
        klass.period_number = None
    else:
        klass.period_number = rng.randint(1, 48)
        klass.period_code = ""
    klass.class_period = canonical_period(year, klass.period_number, klass.period_code)


def make_content(rng: random.Random, trainees: int) -> BundleContent:
    klass = make_class(rng)
    t_prefix = rng.random() < 0.4   # an issuing office prints 证号 with or without the T, consistently
    habit = SIGNING_HABITS[klass.signing_habit]
    people = make_people(rng, trainees)
    out = []
    for person in people:
        kind = rng.choices(list(habit), weights=list(habit.values()), k=1)[0]
        out.append(Trainee(person, make_certificate(rng, klass, person, t_prefix), signature_kind=kind))
    return BundleContent(klass, out)


def reschedule(content: BundleContent, start: dt.date) -> None:
    """Move the whole class to begin on `start`: training, fill date and certificates shift together."""
    k = content.klass
    delta = start - k.training_start
    k.training_start, k.training_end, k.fill_date = start, k.training_end + delta, k.fill_date + delta
    k.quarter, k.year = (start.month - 1) // 3 + 1, start.year
    if k.filed_on is not None:
        k.filed_on += delta
    for t in content.trainees:
        t.certificate.issue_date += delta
        t.certificate.valid_until += delta
