"""The institutions registry's rows, changed only through these functions, each change one chained event.

Every function is idempotent: the same facts given twice change nothing and record nothing, so importing
the same list again is harmless. `who` is the account (or "cli") the event names. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.institutions.eligibility import DisqualificationFact, InstitutionFacts, RecognitionFact
from intake.institutions.names import name_key
from intake.store.models import Disqualification, Institution, InstitutionEvent, Recognition


class RegistryProblem(ValueError):
    """A change the registry refuses (a name or code that belongs to another institution); in Chinese."""


def record(session: Session, institution: Institution, action: str, who: str, **detail: Any) -> InstitutionEvent:
    event = InstitutionEvent(institution_id=institution.id, action=action, who=who, detail=detail)
    session.add(event)
    session.flush()
    return event


def registry_loaded(session: Session) -> bool:
    """Whether any institution is registered: a fresh install has none, and then nothing is checked."""
    return session.scalar(select(Institution.id).where(Institution.credit_code.is_not(None)).limit(1)) is not None


def registered(session: Session) -> list[Institution]:
    return list(session.scalars(select(Institution).where(Institution.credit_code.is_not(None))
                                .order_by(Institution.name)))


def by_code(session: Session, code: str) -> Institution | None:
    return session.scalar(select(Institution).where(Institution.credit_code == code))


def _by_name(session: Session, name: str) -> Institution | None:
    return session.scalar(select(Institution).where(Institution.name == name))


def register(session: Session, name: str, code: str, who: str, **why: Any) -> tuple[Institution, bool]:
    """The registered institution with this credit code, created, renamed or given its code as need be; and
    whether anything changed. An unregistered row of the same name (a batch's institution) is adopted."""
    found = by_code(session, code)
    holder = _by_name(session, name)
    if holder is not None and holder.credit_code not in (None, code):
        raise RegistryProblem(f"机构名称“{name}”已属于统一社会信用代码 {holder.credit_code}")
    if found is None:
        if holder is not None:
            holder.credit_code = code
            session.flush()
            record(session, holder, "registered", who, name=name, credit_code=code, **why)
            return holder, True
        found = Institution(name=name, credit_code=code, aliases=[])
        session.add(found)
        session.flush()
        record(session, found, "registered", who, name=name, credit_code=code, **why)
        return found, True
    if found.name == name:
        return found, False
    if holder is not None:  # an unregistered row holds the new name: its batches move to the registered one
        _merge(session, holder, found)
    old = found.name
    found.name = name
    # The old name is still printed on older forms: kept as a printed name.
    if name_key(old) not in {name_key(a) for a in found.aliases}:
        found.aliases = [*found.aliases, old]
    session.flush()
    record(session, found, "renamed", who, old=old, new=name, **why)
    return found, True


def _merge(session: Session, loose: Institution, into: Institution) -> None:
    """An unregistered institution row becomes part of a registered one (its batches and classes follow)."""
    from intake.store.models import Batch, Bundle, Claim, TrainingClass

    for model in (Batch, TrainingClass, Bundle, Claim):
        for row in session.scalars(select(model).where(model.institution_id == loose.id)):
            row.institution_id = into.id
    session.flush()
    session.delete(loose)
    session.flush()


def set_aliases(session: Session, institution: Institution, aliases: list[str], who: str, **why: Any) -> bool:
    """The names printed on forms besides the name (duplicates and the name itself dropped)."""
    seen = {name_key(institution.name)}
    cleaned = []
    for alias in aliases:
        alias = alias.strip()
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            cleaned.append(alias)
    if cleaned == list(institution.aliases or []):
        return False
    old = list(institution.aliases or [])
    institution.aliases = cleaned
    session.flush()
    record(session, institution, "aliases", who, old=old, new=cleaned, **why)
    return True


def add_aliases(session: Session, institution: Institution, aliases: list[str], who: str, **why: Any) -> bool:
    return set_aliases(session, institution, [*(institution.aliases or []), *aliases], who, **why)


def rename(session: Session, institution: Institution, name: str, who: str) -> bool:
    name = name.strip()
    if not name or name == institution.name:
        return False
    holder = _by_name(session, name)
    if holder is not None:
        raise RegistryProblem(f"已有名为“{name}”的机构")
    return register(session, name, institution.credit_code, who)[1] if institution.credit_code else False


def recognise(session: Session, institution: Institution, category: str, department: str, announcement_no: str,
              valid_from: dt.date, valid_to: dt.date | None, who: str, **why: Any) -> bool:
    """Add a recognition, or move the end date of the same one (same category, department, number, start)."""
    found = session.scalar(select(Recognition).where(
        Recognition.institution_id == institution.id, Recognition.category == category,
        Recognition.department == department, Recognition.announcement_no == announcement_no,
        Recognition.valid_from == valid_from))
    if found is not None:
        if found.valid_to == valid_to:
            return False
        old = found.valid_to
        found.valid_to = valid_to
        session.flush()
        record(session, institution, "recognition_changed", who, recognition=_recognition_json(found),
               old_valid_to=old.isoformat() if old else None, **why)
        return True
    found = Recognition(category=category, department=department, announcement_no=announcement_no,
                        valid_from=valid_from, valid_to=valid_to)
    institution.recognitions.append(found)  # through the relationship: the institution's facts stay current
    session.flush()
    record(session, institution, "recognised", who, recognition=_recognition_json(found), **why)
    return True


def withdraw_recognition(session: Session, recognition: Recognition, who: str, why: str = "") -> None:
    """Strike a recognition entered by mistake (an expired one keeps its end date instead)."""
    institution = session.get(Institution, recognition.institution_id)
    detail = _recognition_json(recognition)
    institution.recognitions.remove(recognition)
    session.flush()
    record(session, institution, "recognition_removed", who, recognition=detail, why=why)


def disqualify(session: Session, institution: Institution, day: dt.date, reason: str, who: str, **why: Any) -> bool:
    """取消培训资格 from `day`; the same day again only changes the reason when it differs."""
    found = session.scalar(select(Disqualification).where(Disqualification.institution_id == institution.id,
                                                          Disqualification.disqualified_on == day))
    if found is not None:
        if found.reason == reason:
            return False
        old = found.reason
        found.reason = reason
        session.flush()
        record(session, institution, "disqualification_changed", who, day=day.isoformat(), old_reason=old,
               reason=reason, **why)
        return True
    institution.disqualifications.append(Disqualification(disqualified_on=day, reason=reason))
    session.flush()
    record(session, institution, "disqualified", who, day=day.isoformat(), reason=reason, **why)
    return True


def lift_disqualification(session: Session, disqualification: Disqualification, who: str, why: str) -> None:
    """Remove a disqualification (entered by mistake, or overturned); the event keeps what it was and why."""
    institution = session.get(Institution, disqualification.institution_id)
    detail = {"day": disqualification.disqualified_on.isoformat(), "reason": disqualification.reason}
    institution.disqualifications.remove(disqualification)
    session.flush()
    record(session, institution, "disqualification_removed", who, why=why, **detail)


def history(session: Session, institution_id: int) -> list[InstitutionEvent]:
    return list(session.scalars(select(InstitutionEvent).where(InstitutionEvent.institution_id == institution_id)
                                .order_by(InstitutionEvent.id)))


def counts(session: Session) -> dict[int, tuple[int, int]]:
    """Per institution: (recognitions, disqualifications)."""
    recognitions = dict(session.execute(select(Recognition.institution_id, func.count())
                                        .group_by(Recognition.institution_id)).all())
    disqualifications = dict(session.execute(select(Disqualification.institution_id, func.count())
                                             .group_by(Disqualification.institution_id)).all())
    ids = set(recognitions) | set(disqualifications)
    return {i: (recognitions.get(i, 0), disqualifications.get(i, 0)) for i in ids}


def facts_of(institution: Institution) -> InstitutionFacts:
    return InstitutionFacts(
        institution.id, institution.name, institution.credit_code or "",
        tuple(RecognitionFact(r.category, r.department, r.announcement_no, r.valid_from, r.valid_to)
              for r in institution.recognitions),
        tuple(DisqualificationFact(d.disqualified_on, d.reason) for d in institution.disqualifications))


def _recognition_json(r: Recognition) -> dict[str, Any]:
    return {"category": r.category, "department": r.department, "announcement_no": r.announcement_no,
            "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat() if r.valid_to else None}
