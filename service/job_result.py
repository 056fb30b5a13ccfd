"""What a finished intake job tells whoever uploaded it: each trainee read with the bundle's flags and what to
fix before handing the bundle in again, where the batch stands, and whether the quarter given at upload fits
the training dates read from the paper (the 季报 counts a class in the quarter its training ended)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.labels import fix_for, flag_label
from intake.policy.eligibility import training_end
from intake.store.models import Batch, Claim
from service.models import Job, User
from service.records import trainee_view


@dataclass
class TraineeLine:
    number: int
    claim_id: int
    name: str
    id_number: str                      # masked
    profession: str
    flags: list[tuple[str, str]]        # (label, what to fix)
    eligible: bool | None


@dataclass
class JobResult:
    lines: list[TraineeLine] = field(default_factory=list)
    quarter_warning: str = ""

    @property
    def flagged(self) -> int:
        return sum(1 for line in self.lines if line.flags)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_warning(session: Session, batch: Batch) -> str:
    """A question when the batch's quarter is not the quarter the training of its claims ended in."""
    if not batch.quarter:
        return ""
    ends = [training_end(c.training_date) for c in session.scalars(select(Claim).where(Claim.batch_id == batch.id))]
    quarters = Counter(quarter_of(d) for d in ends if d is not None)
    other = {q: n for q, n in quarters.items() if q != batch.quarter}
    if not other:
        return ""
    listed = "、".join(f"{q} {n} 人" for q, n in sorted(other.items()))
    return (f"批次季度填写为 {batch.quarter}，但材料上的培训结束日期在 {listed}：季报按培训结束的季度统计，"
            f"请核对季度是否填错")


def job_result(session: Session, job: Job, user: User) -> JobResult:
    result = JobResult()
    if job.status != "done" or job.bundle_id is None:
        return result
    claims = session.scalars(select(Claim).where(Claim.bundle_id == job.bundle_id).order_by(Claim.id))
    for number, claim in enumerate(claims, start=1):
        view = trainee_view(session, claim.trainee, user)
        flags = [(flag_label(f), fix_for(f)) for f in claim.flags or []]
        result.lines.append(TraineeLine(number, claim.id, view.name, view.id_number, claim.profession, flags,
                                        claim.eligible))
    batch = session.get(Batch, job.batch_id) if job.batch_id else None
    if batch is not None:
        result.quarter_warning = quarter_warning(session, batch)
    return result
