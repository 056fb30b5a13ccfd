"""An institution's record as the officer weighs it: batches, trainees, claims and amounts per quarter, the
registry's and the signals' findings per quarter (their trend), the findings themselves for drill-down, and
the claims dated before a disqualification (listed for the officer, not failed).

Every figure is one grouped query on indexed columns (claims by institution, findings by claim).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from intake.store.models import Batch, Claim, Finding, Institution, Trainee
from intake.store.registry import quarter_of


@dataclass
class QuarterRow:
    quarter: str
    batches: int = 0
    trainees: int = 0
    claims: int = 0
    amount: Decimal = Decimal(0)
    eligible: int = 0
    signals: dict[str, int] = field(default_factory=dict)


@dataclass
class InstitutionRisk:
    institution: Institution
    quarters: list[QuarterRow]
    totals: dict[str, int]                  # finding code -> claims flagged, all quarters
    before_disqualification: list[dict[str, Any]] = field(default_factory=list)

    @property
    def trend(self) -> dict[str, list[int]]:
        """Per code, the claims flagged in each quarter, oldest first (the view draws them as a row)."""
        return {code: [q.signals.get(code, 0) for q in self.quarters] for code in self.totals}


def _quarter(claim_date: dt.date, batch_quarter: str | None) -> str:
    return batch_quarter or quarter_of(claim_date)


def institution_risk(session: Session, institution_id: int) -> InstitutionRisk | None:
    institution = session.get(Institution, institution_id)
    if institution is None:
        return None
    rows: dict[str, QuarterRow] = {}
    people: dict[str, set[int]] = defaultdict(set)
    batches: dict[str, set[int]] = defaultdict(set)
    query = (select(Claim.id, Claim.trainee_id, Claim.batch_id, Claim.amount, Claim.eligible, Claim.claim_date,
                    Batch.quarter).join(Batch, Claim.batch_id == Batch.id)
             .where(Claim.institution_id == institution_id))
    quarter_of_claim: dict[int, str] = {}
    for claim_id, trainee_id, batch_id, amount, eligible, claim_date, batch_quarter in session.execute(query):
        quarter = _quarter(claim_date, batch_quarter)
        quarter_of_claim[claim_id] = quarter
        row = rows.setdefault(quarter, QuarterRow(quarter))
        row.claims += 1
        row.amount += amount or 0
        row.eligible += eligible is True
        people[quarter].add(trainee_id)
        batches[quarter].add(batch_id)
    for quarter, row in rows.items():
        row.trainees, row.batches = len(people[quarter]), len(batches[quarter])
    totals: dict[str, int] = defaultdict(int)
    flagged = (select(Finding.code, Finding.claim_id).join(Claim, Finding.claim_id == Claim.id)
               .where(Claim.institution_id == institution_id).distinct())
    for code, claim_id in session.execute(flagged):
        quarter = quarter_of_claim.get(claim_id)
        if quarter is None:
            continue
        rows[quarter].signals[code] = rows[quarter].signals.get(code, 0) + 1
        totals[code] += 1
    risk = InstitutionRisk(institution, [rows[q] for q in sorted(rows)], dict(sorted(totals.items())))
    risk.before_disqualification = before_disqualification(session, institution)
    return risk


def before_disqualification(session: Session, institution: Institution) -> list[dict[str, Any]]:
    """Claims dated before the institution's first disqualification: paid or payable under its recognition,
    listed for the officer to look at again."""
    if not institution.disqualifications:
        return []
    day = min(d.disqualified_on for d in institution.disqualifications)
    query = (select(Claim, Trainee.name, Batch.name, Batch.status).join(Trainee, Claim.trainee_id == Trainee.id)
             .join(Batch, Claim.batch_id == Batch.id)
             .where(Claim.institution_id == institution.id, Claim.claim_date < day)
             .order_by(Claim.claim_date, Claim.id))
    return [{"claim_id": c.id, "batch_id": c.batch_id, "name": name, "batch": batch, "status": status,
             "claim_date": c.claim_date, "profession": c.profession, "amount": c.amount, "eligible": c.eligible}
            for c, name, batch, status in session.execute(query)]


def findings_of_institution(session: Session, institution_id: int, code: str | None = None,
                            limit: int = 500) -> list[dict[str, Any]]:
    """The findings on the institution's claims (one code, or all), newest first, for drill-down."""
    query = (select(Finding, Claim, Trainee.name, Batch.name).join(Claim, Finding.claim_id == Claim.id)
             .join(Trainee, Claim.trainee_id == Trainee.id).join(Batch, Claim.batch_id == Batch.id)
             .where(Claim.institution_id == institution_id).order_by(Finding.id.desc()).limit(limit))
    if code:
        query = query.where(Finding.code == code)
    return [{"finding": f, "claim": c, "name": name, "batch": batch, "quarter": quarter_of(c.claim_date)}
            for f, c, name, batch in session.execute(query)]


def institutions_at_risk(session: Session) -> list[dict[str, Any]]:
    """Every institution with claims: claims, amount, claims flagged by any finding, disqualified since."""
    claims = dict(session.execute(select(Claim.institution_id, func.count()).where(Claim.institution_id.is_not(None))
                                  .group_by(Claim.institution_id)).all())
    amounts = dict(session.execute(select(Claim.institution_id, func.sum(Claim.amount))
                                   .where(Claim.institution_id.is_not(None)).group_by(Claim.institution_id)).all())
    flagged = dict(session.execute(select(Claim.institution_id, func.count(distinct(Finding.claim_id)))
                                   .join(Finding, Finding.claim_id == Claim.id)
                                   .group_by(Claim.institution_id)).all())
    out = []
    for institution in session.scalars(select(Institution).where(Institution.id.in_(list(claims) or [0]))
                                       .order_by(Institution.name)):
        stop = min((d.disqualified_on for d in institution.disqualifications), default=None)
        # Money is stored in fen: the summed column comes back as fen, not through the Money type.
        fen = amounts.get(institution.id) or 0
        out.append({"institution": institution, "claims": claims.get(institution.id, 0),
                    "amount": Decimal(fen) / 100, "flagged": flagged.get(institution.id, 0),
                    "disqualified_on": stop, "registered": institution.credit_code is not None})
    return sorted(out, key=lambda r: (-r["flagged"], r["institution"].name))
