"""The reviewers' queue: batches waiting, the claims and fields in each that need a look, how much is left,
and which claim comes next.

Claims are listed with their ID numbers masked (the queue is not a logged view); the form is where the
full values appear. "Ready for the officer" means every claim of the batch carries a final decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.fields.id_numbers import mask_id
from intake.labels import REVIEW_STATUSES, flag_label
from intake.store.models import Batch, Claim
from service.models import ReviewClaim
from service.review.actions import Context, can_accept
from service.review.doubts import ClaimReview, review_claim, severity_of
from service.review.evidence import ensure_review_rows
from service.review.values import FIELD_NAMES

STATUS_NAMES = REVIEW_STATUSES
DECIDED = ("accepted", "rejected")


@dataclass
class ClaimLine:
    claim_id: int
    trainee_id: int
    name: str
    id_masked: str
    profession: str
    status: str
    revision: int
    postponed_by: str
    proposed_by: str
    eligible: bool | None
    doubts: list[tuple[str, str, str, bool]]      # field, label, severity, still open
    flags: list[tuple[str, str, str]]             # code, label, severity
    clean: bool

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def open_doubts(self) -> int:
        return sum(1 for d in self.doubts if d[3])


@dataclass
class BatchQueue:
    batch: Batch
    lines: list[ClaimLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def decided(self) -> int:
        return sum(1 for line in self.lines if line.status in DECIDED)

    @property
    def ready(self) -> bool:
        return bool(self.lines) and self.decided == self.total

    @property
    def open_doubts(self) -> int:
        return sum(line.open_doubts for line in self.lines)

    @property
    def settled_doubts(self) -> int:
        return sum(len(line.doubts) - line.open_doubts for line in self.lines)

    @property
    def errors(self) -> int:
        return sum(1 for line in self.lines if line.status == "open" for f in line.flags if f[2] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for line in self.lines if line.status == "open" for f in line.flags if f[2] == "warning")

    @property
    def awaiting_second(self) -> int:
        return sum(1 for line in self.lines if line.status == "awaiting_second")

    @property
    def clean(self) -> list[ClaimLine]:
        return [line for line in self.lines if line.clean]

    @property
    def first_doubt(self) -> ClaimLine | None:
        """Where the batch page's focus starts: the first undecided claim with a doubt still open."""
        return next((line for line in self.lines if line.status == "open" and line.open_doubts), None)

    def by_field(self) -> list[tuple[str, str, int]]:
        """Open doubts per field, for the lists that verify one kind of value across the batch."""
        counts = Counter(d[0] for line in self.lines if line.status == "open" for d in line.doubts if d[3])
        return [(f, FIELD_NAMES.get(f, f), n) for f, n in counts.most_common()]


def claim_line(review: ClaimReview, ctx: Context) -> ClaimLine:
    claim, state = review.claim, review.state
    number = review.values["id_number"]
    flags = [(f, flag_label(f), severity_of(f, ctx.policy)) for f in claim.flags or []]
    doubts = [(d.field, f"{FIELD_NAMES.get(d.field, d.field)}：{'；'.join(d.reasons)}", d.severity, d.open)
              for d in review.doubts]
    clean = state.status == "open" and not claim.flags and claim.eligible is True and not can_accept(review, ctx.policy)
    return ClaimLine(claim.id, claim.trainee_id, claim.trainee.name, mask_id(number) if number else "（未识别）",
                     claim.profession, state.status, state.revision, state.postponed_by, state.proposed_by,
                     claim.eligible, doubts, flags, clean)


def batch_queue(session: Session, batch: Batch, ctx: Context) -> BatchQueue:
    ensure_review_rows(session, batch.id)
    queue = BatchQueue(batch)
    rows = session.execute(select(Claim, ReviewClaim).join(ReviewClaim, ReviewClaim.claim_id == Claim.id)
                           .where(Claim.batch_id == batch.id).order_by(Claim.id))
    for claim, state in rows:
        queue.lines.append(claim_line(review_claim(session, claim, state, ctx.policy), ctx))
    return queue


def waiting_batches(session: Session, ctx: Context) -> list[BatchQueue]:
    """Every batch that has claims, newest first, with its queue (ready ones included, to be handed on)."""
    ids = select(Claim.batch_id).group_by(Claim.batch_id).having(func.count(Claim.id) > 0)
    batches = session.scalars(select(Batch).where(Batch.id.in_(ids)).order_by(Batch.created_at.desc(), Batch.id))
    return [batch_queue(session, b, ctx) for b in batches]


@dataclass
class Progress:
    total: int
    decided: int

    @property
    def left(self) -> int:
        return self.total - self.decided


def progress(session: Session, batch_id: int) -> Progress:
    """How much of the batch is decided, from the review states alone (cheap enough for every form)."""
    statuses = list(session.scalars(select(ReviewClaim.status).where(ReviewClaim.batch_id == batch_id)))
    return Progress(len(statuses), sum(1 for s in statuses if s in DECIDED))


def next_claim(session: Session, batch_id: int, after: int | None, user_name: str) -> int | None:
    """The next claim waiting for this reviewer: open claims not postponed after `after`, then from the top,
    then postponed ones; rejections awaiting a second reviewer count for everyone but their proposer."""
    rows = session.execute(select(ReviewClaim.claim_id, ReviewClaim.status, ReviewClaim.postponed_at,
                                  ReviewClaim.proposed_by)
                           .where(ReviewClaim.batch_id == batch_id).order_by(ReviewClaim.claim_id)).all()
    waiting = [r for r in rows if r.claim_id != after and (
        r.status == "open" or (r.status == "awaiting_second" and r.proposed_by != user_name))]
    fresh = [r.claim_id for r in waiting if r.postponed_at is None]
    postponed = sorted((r for r in waiting if r.postponed_at is not None), key=lambda r: r.postponed_at)
    later = [r.claim_id for r in postponed]
    ahead = [c for c in fresh if after is None or c > after]
    order = ahead + [c for c in fresh if c not in ahead] + later
    return order[0] if order else None
