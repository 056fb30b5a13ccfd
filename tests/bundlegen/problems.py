"""Planted problems: each changes the content the way a real bundle goes wrong and says so in the truth.

Every planted problem is recorded in BundleContent.problems and on the trainees it touches, with the
flag codes of bundle-result/1 that a correct intake should raise for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from copy import deepcopy

from tests.bundlegen.catalog import SPECIAL_OPERATION
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.dates import add_years
from tests.bundlegen.idnumber import rebirth, typo

PROBLEMS = ("missing_signature", "missing_stamp", "missing_certificate_copy", "certificate_2019",
            "name_mismatch", "duplicate_trainee", "id_typo_in_agreement", "gender_mismatch",
            # Signals of made-up claims within one bundle (issue 15); across bundles see tests/bundlegen/fraud.py.
            "same_hand", "fingerprint_pasted", "phone_shared", "certificate_before_training_end",
            "training_too_short", "underage", "past_retirement", "wrong_issuer", "class_filed_late")

# Planted problem -> the bundle-result/1 flags an intake should raise on the trainees it touches.
EXPECTED_FLAGS = {
    "missing_signature": ("missing_signature",),
    "missing_stamp": ("missing_stamp",),
    "missing_certificate_copy": ("missing_certificate_copy",),
    "certificate_2019": ("certificate_before_policy_start",),
    "name_mismatch": ("field_mismatch",),
    "duplicate_trainee": ("duplicate_in_bundle",),
    "id_typo_in_agreement": ("field_mismatch",),
    # The agreement prints the gender right, so the two papers also disagree.
    "gender_mismatch": ("gender_id_mismatch", "field_mismatch"),
    "same_hand": ("signature_same_hand",),
    "fingerprint_pasted": ("fingerprint_same_image",),
    "phone_shared": ("phone_shared",),
    "certificate_before_training_end": ("date_impossible",),
    "training_too_short": ("date_impossible",),
    "underage": ("date_impossible",),
    "past_retirement": ("date_impossible",),
    "wrong_issuer": ("date_impossible",),
    "class_filed_late": ("class_filed_after_start",),
}

# Characters a clerk confuses with a similar-sounding or similar-looking one.
LOOKALIKES = {"明": "铭", "伟": "玮", "丽": "莉", "静": "婧", "军": "君", "磊": "垒", "华": "桦", "杰": "洁",
              "文": "雯", "峰": "锋", "林": "琳", "玉": "钰", "红": "宏", "志": "智", "国": "帼", "建": "健",
              "海": "涛", "东": "冬", "春": "纯", "新": "欣", "强": "蔷", "波": "博", "燕": "艳", "英": "瑛"}


def check_known(problems: tuple[str, ...]) -> None:
    unknown = [p for p in problems if p not in PROBLEMS]
    if unknown:
        raise ValueError(f"unknown planted problems {unknown}; known: {', '.join(PROBLEMS)}")


def plant(content: BundleContent, problems: tuple[str, ...], rng: random.Random) -> None:
    check_known(problems)
    for problem in problems:
        PLANTERS[problem](content, rng)


def _mark(content: BundleContent, problem: str, trainees: list[Trainee], **detail: object) -> None:
    for t in trainees:
        t.planted.append(problem)
    content.problems.append({"problem": problem, "id_numbers": [t.person.id_number for t in trainees],
                             **detail})


def _pick(content: BundleContent, rng: random.Random, count: int = 1) -> list[Trainee]:
    # Planted problems touch distinct trainees, so each trainee's truth tells one story.
    free = [t for t in content.trainees if not t.planted] or content.trainees
    return rng.sample(free, min(count, len(free)))


def missing_signature(content: BundleContent, rng: random.Random) -> None:
    picked = _pick(content, rng, 2 if len(content.trainees) >= 10 and rng.random() < 0.5 else 1)
    for t in picked:
        t.signature_kind = "none"
    _mark(content, "missing_signature", picked)


def missing_stamp(content: BundleContent, rng: random.Random) -> None:
    missing = ["roster"] + (["agreement"] if rng.random() < 0.3 else [])
    for kind in missing:
        content.stamps[kind] = False
    content.problems.append({"problem": "missing_stamp", "documents": missing, "id_numbers": []})


def missing_certificate_copy(content: BundleContent, rng: random.Random) -> None:
    picked = _pick(content, rng)
    for t in picked:
        t.certificate_copy = False
    _mark(content, "missing_certificate_copy", picked)


def certificate_2019(content: BundleContent, rng: random.Random) -> None:
    picked = _pick(content, rng)
    for t in picked:
        cert = t.certificate
        years = 6 if cert.kind == SPECIAL_OPERATION else 4
        cert.issue_date = dt.date(2019, rng.randint(3, 12), rng.randint(1, 28))
        cert.valid_until = add_years(cert.issue_date, years) - dt.timedelta(days=1)
    _mark(content, "certificate_2019", picked)


def name_mismatch(content: BundleContent, rng: random.Random) -> None:
    picked = _pick(content, rng)
    for t in picked:
        t.agreement_name = _misspell(t.person.name, rng)
    _mark(content, "name_mismatch", picked, agreement_names=[t.agreement_name for t in picked])


def _misspell(name: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(name) if i > 0 and ch in LOOKALIKES]
    if spots:
        i = rng.choice(spots)
        return name[:i] + LOOKALIKES[name[i]] + name[i + 1:]
    replacement = rng.choice([ch for ch in "伟明华军杰丽静芳" if ch != name[-1]])
    return name[:-1] + replacement


def duplicate_trainee(content: BundleContent, rng: random.Random) -> None:
    (original,) = _pick(content, rng)
    copy = deepcopy(original)
    # The repeated row is usually typed right after the original or at the end of the list.
    at = content.trainees.index(original) + 1 if rng.random() < 0.5 else len(content.trainees)
    content.trainees.insert(at, copy)
    _mark(content, "duplicate_trainee", [original])
    copy.planted = list(original.planted)


def id_typo_in_agreement(content: BundleContent, rng: random.Random) -> None:
    picked = _pick(content, rng)
    for t in picked:
        t.agreement_id = typo(rng, t.person.id_number)
    _mark(content, "id_typo_in_agreement", picked, agreement_ids=[t.agreement_id for t in picked])


def gender_mismatch(content: BundleContent, rng: random.Random) -> None:
    picked = _pick(content, rng)
    for t in picked:
        t.roster_gender = "女" if t.person.gender == "男" else "男"
    _mark(content, "gender_mismatch", picked)


PLANTERS = {
    "missing_signature": missing_signature,
    "missing_stamp": missing_stamp,
    "missing_certificate_copy": missing_certificate_copy,
    "certificate_2019": certificate_2019,
    "name_mismatch": name_mismatch,
    "duplicate_trainee": duplicate_trainee,
    "id_typo_in_agreement": id_typo_in_agreement,
    "gender_mismatch": gender_mismatch,
}


def same_hand(content: BundleContent, rng: random.Random) -> None:
    """One person's signature in several trainees' rows (one signed for the others)."""
    picked = _pick(content, rng, 3 if len(content.trainees) >= 6 else 2)
    seed = rng.randrange(2**31)
    for t in picked:
        t.signature_kind, t.hand_seed, t.hand_name = "ink", seed, picked[0].person.name
    _mark(content, "same_hand", picked)


def fingerprint_pasted(content: BundleContent, rng: random.Random) -> None:
    """One fingerprint image pasted into two rows."""
    picked = _pick(content, rng, 2)
    seed = rng.randrange(2**31)
    for t in picked:
        t.signature_kind, t.print_seed = "fingerprint", seed
    _mark(content, "fingerprint_pasted", picked)


def phone_shared(content: BundleContent, rng: random.Random) -> None:
    """Several trainees given one phone number (the institution's, or one trainee's)."""
    picked = _pick(content, rng, 3 if len(content.trainees) >= 6 else 2)
    for t in picked[1:]:
        t.person = dataclasses.replace(t.person, phone=picked[0].person.phone)
    _mark(content, "phone_shared", picked)


def certificate_before_training_end(content: BundleContent, rng: random.Random) -> None:
    (t,) = _pick(content, rng)
    k = content.klass
    days = (k.training_end - k.training_start).days
    t.certificate.issue_date = k.training_start + dt.timedelta(days=rng.randint(0, max(0, days - 1)))
    years = 6 if t.certificate.kind == SPECIAL_OPERATION else 4
    t.certificate.valid_until = add_years(t.certificate.issue_date, years) - dt.timedelta(days=1)
    _mark(content, "certificate_before_training_end", [t])


def training_too_short(content: BundleContent, rng: random.Random) -> None:
    """The class is said to have lasted a day or two: every trainee of it."""
    k = content.klass
    k.training_end = k.training_start + dt.timedelta(days=rng.randint(0, 1))
    _mark(content, "training_too_short", list(content.trainees))
    for t in content.trainees:
        if t.certificate.issue_date <= k.training_end:
            t.certificate.issue_date = k.training_end + dt.timedelta(days=7)


def _born(t: Trainee, birth: dt.date) -> None:
    t.person = dataclasses.replace(t.person, birth=birth,
                                   id_number=rebirth(t.person.id_number, birth))
    t.agreement_id = t.person.id_number
    if t.certificate.kind == SPECIAL_OPERATION:
        t.certificate.number = ("T" if t.certificate.number.startswith("T") else "") + t.person.id_number


def underage(content: BundleContent, rng: random.Random) -> None:
    (t,) = _pick(content, rng)
    start = content.klass.training_start
    _born(t, dt.date(start.year - 17, rng.randint(1, 12), rng.randint(1, 28)))
    _mark(content, "underage", [t])


def past_retirement(content: BundleContent, rng: random.Random) -> None:
    (t,) = _pick(content, rng)
    start = content.klass.training_start
    age = 62 if t.person.gender == "男" else 53
    _born(t, dt.date(start.year - age, rng.randint(1, 12), rng.randint(1, 28)))
    _mark(content, "past_retirement", [t])


def wrong_issuer(content: BundleContent, rng: random.Random) -> None:
    """A card issued by a department that does not issue that kind of card."""
    (t,) = _pick(content, rng)
    special_operation = t.certificate.kind == SPECIAL_OPERATION
    t.certificate.authority = "滨州市市场监督管理局" if special_operation else "滨州市应急管理局"
    _mark(content, "wrong_issuer", [t])


def class_filed_late(content: BundleContent, rng: random.Random) -> None:
    """The records say the class period was filed days after its training began (only seen with records)."""
    k = content.klass
    k.filed_on = k.training_start + dt.timedelta(days=rng.randint(2, 6))
    _mark(content, "class_filed_late", list(content.trainees))


PLANTERS.update({
    "same_hand": same_hand, "fingerprint_pasted": fingerprint_pasted, "phone_shared": phone_shared,
    "certificate_before_training_end": certificate_before_training_end, "training_too_short": training_too_short,
    "underage": underage, "past_retirement": past_retirement, "wrong_issuer": wrong_issuer,
    "class_filed_late": class_filed_late,
})
