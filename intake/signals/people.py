"""One person in many places: claimed by two institutions in one year, in two classes whose training dates
overlap, or one phone number given for several trainees. Each is a look-up by index across every stored
batch (claims by trainee, trainees by the keyed hash of their phone), never a scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.data import load
from intake.findings import Finding
from intake.store.models import Batch, Claim, Institution, Trainee

TWO_INSTITUTIONS, OVERLAP, PHONE = "claimed_by_two_institutions", "training_dates_overlap", "phone_shared"


def span(training_date: str) -> tuple[dt.date, dt.date] | None:
    try:
        start, _, end = training_date.partition("/")
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)
    except ValueError:
        return None
    return (first, last) if first <= last else None


def other_claim(claim: Claim, batch: str, institution: str | None) -> dict[str, Any]:
    """What a finding says of the other claim: whose, which batch, institution, class and where on paper."""
    roster = next((r for r in claim.page_refs or [] if r.get("document") in ("roster", "agreement")), {})
    return {"claim_id": claim.id, "trainee_id": claim.trainee_id, "batch": batch, "institution": institution or "",
            "bundle_id": claim.bundle_id, "profession": claim.profession, "training_date": claim.training_date,
            "page": roster.get("page"), "row": roster.get("row")}


def _others(session: Session, claim: Claim) -> list[tuple[Claim, str, str | None]]:
    """The trainee's other stored claims, with their batch and institution names (index on trainee_id)."""
    query = (select(Claim, Batch.name, Institution.name).join(Batch, Claim.batch_id == Batch.id)
             .outerjoin(Institution, Claim.institution_id == Institution.id)
             .where(Claim.trainee_id == claim.trainee_id, Claim.id != claim.id).order_by(Claim.id))
    return [(c, b, i) for c, b, i in session.execute(query)]


def person_findings(session: Session, claim: Claim, institution: str | None) -> list[Finding]:
    found: list[Finding] = []
    mine = span(claim.training_date)
    year = (mine[0] if mine else claim.claim_date).year
    min_days = load("signals")["overlap"]["min_days"]
    for other, batch, other_institution in _others(session, claim):
        theirs = span(other.training_date)
        evidence = {"other": other_claim(other, batch, other_institution)}
        if claim.institution_id and other.institution_id and other.institution_id != claim.institution_id \
                and (theirs[0] if theirs else other.claim_date).year == year:
            found.append(Finding(TWO_INSTITUTIONS, f"同一学员{year}年也由“{other_institution}”申领（批次 {batch}，"
                                 f"{other.profession}，培训{other.training_date or '日期不详'}）", evidence, other.id))
        if mine and theirs and other.bundle_id != claim.bundle_id and _other_class(claim, other):
            shared = (min(mine[1], theirs[1]) - max(mine[0], theirs[0])).days + 1
            if shared >= min_days:
                where = f"批次 {batch}，{other_institution or ''}{other.profession}，培训{other.training_date}"
                found.append(Finding(OVERLAP, f"培训日期与另一班期重叠{shared}天：{where}", evidence, other.id))
    return found


def _other_class(a: Claim, b: Claim) -> bool:
    """Two claims of different classes (the same class claimed twice is the repeat rule's to judge)."""
    if a.class_id is not None and b.class_id is not None:
        return a.class_id != b.class_id or a.institution_id != b.institution_id
    return a.training_date != b.training_date or a.institution_id != b.institution_id


def phone_findings(session: Session, claim: Claim, phone_hash: str | None) -> list[Finding]:
    """Other trainees with the same phone (keyed hash, index on trainees.phone_hash), by their latest claim."""
    if not phone_hash:
        return []
    sharing = list(session.scalars(select(Trainee.id).where(Trainee.phone_hash == phone_hash,
                                                           Trainee.id != claim.trainee_id)))
    if len(sharing) + 1 < load("signals")["phone"]["shared_by"]:
        return []
    found = []
    for trainee_id in sharing:
        row = session.execute(select(Claim, Batch.name, Institution.name).join(Batch, Claim.batch_id == Batch.id)
                              .outerjoin(Institution, Claim.institution_id == Institution.id)
                              .where(Claim.trainee_id == trainee_id).order_by(Claim.id.desc()).limit(1)).first()
        if row is None:
            continue
        other, batch, institution = row
        name = session.scalar(select(Trainee.name).where(Trainee.id == trainee_id)) or "另一学员"
        found.append(Finding(PHONE, f"手机号与{name}相同（批次 {batch}），共{len(sharing) + 1}名学员用同一号码",
                             {"other": {**other_claim(other, batch, institution), "name": name},
                              "sharing": len(sharing) + 1}, other.id))
    return found
