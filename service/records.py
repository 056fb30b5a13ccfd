"""What the pages and the API show of the store, shared so that HTML and JSON never differ in what
they reveal. Every personal value passes through `TraineeView`, which masks unless the caller's role may
see it and asked to (that view is written to the access log by intake.store.registry.reveal_id_number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Response
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from intake.fields.id_numbers import mask_id
from intake.fields.phones import mask_phone
from intake.labels import BATCH_STATUSES, OUTCOMES, PAGE_KINDS, field_label, rule_label, with_labels
from intake.store.archive import ArchiveQuery, claim_filters
from intake.store.db import cipher_of
from intake.store.models import (
    AccessLog,
    Batch,
    Bundle,
    Certificate,
    Claim,
    Correction,
    Decision,
    Institution,
    Page,
    Trainee,
    TrainingClass,
)
from intake.store.registry import PLACEHOLDER_PREFIX, phone_of, reveal_id_number
from service.batch_states import next_status
from service.clock import beijing, beijing_text
from service.deps import REVEALING_ROLES
from service.models import Publicity, User
from service.scans import PageNotAvailable, page_png


@dataclass
class TraineeView:
    id: int
    name: str
    gender: str
    id_number: str          # masked unless `revealed`
    phone: str              # masked unless `revealed`
    revealed: bool = False
    can_reveal: bool = False


def trainee_view(session: Session, trainee: Trainee, user: User, reveal: bool = False,
                 purpose: str = "") -> TraineeView:
    """The trainee as this user may see them. `reveal` by an allowed role opens the sealed values and logs
    the view (who, when, which record); for any other role the request is ignored, never honoured."""
    can_reveal = user.role in REVEALING_ROLES
    cipher = cipher_of(session)
    unread = trainee.id_number_enc is None
    if reveal and can_reveal:
        number = reveal_id_number(session, trainee, user.name, purpose or "查看完整身份证号")
        session.commit()
        number = "" if not number or number.startswith(PLACEHOLDER_PREFIX) else number
        return TraineeView(trainee.id, trainee.name, trainee.gender, number, phone_of(session, trainee) or "",
                           revealed=True, can_reveal=True)
    number = "" if unread else (cipher.open(trainee.id_number_enc, "trainee.id_number") or "")
    shown = "（未识别）" if not number or number.startswith(PLACEHOLDER_PREFIX) else mask_id(number)
    return TraineeView(trainee.id, trainee.name, trainee.gender, shown, mask_phone(phone_of(session, trainee)),
                       revealed=False, can_reveal=can_reveal)


# --- batches -----------------------------------------------------------------------------------

@dataclass
class BatchRow:
    id: int
    name: str
    quarter: str
    status: str
    status_name: str
    institution: str
    claims: int
    eligible: int
    next_status: str | None
    publicity_start: str = ""
    publicity_end: str = ""


def _batch_row(batch: Batch, claims: int, eligible: int, publicity: Publicity | None) -> BatchRow:
    return BatchRow(batch.id, batch.name, batch.quarter or "", batch.status,
                    BATCH_STATUSES.get(batch.status, batch.status),
                    batch.institution.name if batch.institution else "", claims, eligible,
                    next_status(batch.status),
                    publicity.start_date.isoformat() if publicity else "",
                    publicity.end_date.isoformat() if publicity else "")


def batch_rows(session: Session, status: str | None = None, limit: int = 200) -> list[BatchRow]:
    counts = (select(Claim.batch_id, func.count(Claim.id), func.count(Claim.id).filter(Claim.eligible.is_(True)))
              .group_by(Claim.batch_id))
    by_batch = {b: (n, e) for b, n, e in session.execute(counts)}
    publicity = {p.batch_id: p for p in session.scalars(select(Publicity))}
    query = select(Batch).order_by(Batch.created_at.desc()).limit(limit)
    if status:
        query = query.where(Batch.status == status)
    return [_batch_row(b, *by_batch.get(b.id, (0, 0)), publicity.get(b.id)) for b in session.scalars(query)]


def batch_row(session: Session, batch: Batch) -> BatchRow:
    n = session.scalar(select(func.count(Claim.id)).where(Claim.batch_id == batch.id)) or 0
    e = session.scalar(select(func.count(Claim.id)).where(Claim.batch_id == batch.id, Claim.eligible.is_(True))) or 0
    return _batch_row(batch, n, e, session.get(Publicity, batch.id))


# --- claims, search ----------------------------------------------------------------------------

@dataclass
class ClaimRow:
    claim_id: int
    trainee: TraineeView
    profession: str
    certificate_no: str
    training_date: str
    class_period: str
    batch_id: int
    batch: str
    quarter: str
    institution: str
    flags: list[str]
    eligible: bool | None
    bundle_id: int | None


def _claim_query() -> Select:
    return (select(Claim, Trainee, Certificate, Batch, TrainingClass, Institution)
            .join(Trainee, Claim.trainee_id == Trainee.id)
            .join(Batch, Claim.batch_id == Batch.id)
            .outerjoin(Certificate, Claim.certificate_id == Certificate.id)
            .outerjoin(TrainingClass, Claim.class_id == TrainingClass.id)
            .outerjoin(Institution, Batch.institution_id == Institution.id))


def _claim_rows(session: Session, query: Select, user: User) -> list[ClaimRow]:
    rows = []
    for claim, trainee, cert, batch, klass, inst in session.execute(query):
        rows.append(ClaimRow(claim.id, trainee_view(session, trainee, user), claim.profession,
                             cert.certificate_no if cert else "", claim.training_date,
                             klass.class_period if klass else "", batch.id, batch.name, batch.quarter or "",
                             inst.name if inst else "", list(claim.flags or []), claim.eligible, claim.bundle_id))
    return rows


def batch_claims(session: Session, batch_id: int, user: User) -> list[ClaimRow]:
    return _claim_rows(session, _claim_query().where(Claim.batch_id == batch_id).order_by(Claim.id), user)


@dataclass
class ClaimView:
    """One claim as the read-only page shows it (masked like the batch page)."""

    row: ClaimRow
    claim_date: str
    amount: str
    certificate_date: str


def claim_view(session: Session, claim_id: int, user: User) -> ClaimView | None:
    rows = _claim_rows(session, _claim_query().where(Claim.id == claim_id), user)
    if not rows:
        return None
    claim = session.get(Claim, claim_id)
    cert = claim.certificate
    return ClaimView(rows[0], claim.claim_date.isoformat(), f"{claim.amount:,.2f} 元" if claim.amount is not None
                     else "", cert.issue_date.isoformat() if cert is not None and cert.issue_date else "")


def search_claims(session: Session, q: ArchiveQuery, user: User, limit: int = 200) -> list[ClaimRow]:
    """The claims in the store the query names (the archive's query, answered over every batch): [] when it
    gives none of the fields claims are searched by. Numbers match through keyed hashes only: the database
    holds no clear ID to compare with, and a typed number never reaches a LIKE (or a log)."""
    filters = claim_filters(session, q)
    if not filters:
        return []
    return _claim_rows(session, _claim_query().where(*filters).order_by(Claim.id.desc()).limit(limit), user)


# --- one trainee -------------------------------------------------------------------------------

@dataclass
class TraineeRecord:
    trainee: TraineeView
    claims: list[ClaimRow]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    views: int = 0


def trainee_record(session: Session, trainee: Trainee, user: User, reveal: bool = False) -> TraineeRecord:
    view = trainee_view(session, trainee, user, reveal=reveal)
    claims = _claim_rows(session, _claim_query().where(Claim.trainee_id == trainee.id).order_by(Claim.id), user)
    claim_ids = [c.claim_id for c in claims]
    decisions = [{"claim_id": d.claim_id, "rule": d.rule, "rule_name": rule_label(d.rule), "outcome": d.outcome,
                  "outcome_name": OUTCOMES.get(d.outcome, d.outcome), "reason": with_labels(d.reason),
                  "decided_by": d.decided_by, "decided_at": beijing(d.decided_at).isoformat(timespec="seconds"),
                  "decided_at_text": beijing_text(d.decided_at, seconds=True)}
                 for d in session.scalars(select(Decision).where(Decision.claim_id.in_(claim_ids))
                                          .order_by(Decision.id))]
    cipher = cipher_of(session)
    corrections = []
    for c in session.scalars(select(Correction).where(or_(Correction.trainee_id == trainee.id,
                                                          Correction.claim_id.in_(claim_ids))).order_by(Correction.id)):
        old, new = c.old_value, c.new_value
        if c.sealed:
            if view.revealed:
                label = f"correction.{c.field}"
                old, new = cipher.open_text(old, label), cipher.open_text(new, label)
            else:
                old, new = "（已加密）", "（已加密）"
        corrections.append({"field": c.field, "field_name": field_label(c.field), "old": old, "new": new,
                            "who": c.who, "when": beijing(c.when).isoformat(timespec="seconds"),
                            "when_text": beijing_text(c.when, seconds=True), "why": c.why})
    pages = []
    bundles = {c.bundle_id for c in claims if c.bundle_id}
    claim_refs = [ref for claim in session.scalars(select(Claim).where(Claim.id.in_(claim_ids)))
                  for ref in (claim.page_refs or [])]
    wanted = {(r.get("page")) for r in claim_refs}
    for page in session.scalars(select(Page).where(Page.bundle_id.in_(bundles)).order_by(Page.bundle_id, Page.number)):
        pages.append({"id": page.id, "bundle_id": page.bundle_id, "number": page.number, "kind": page.kind,
                      "kind_name": PAGE_KINDS.get(page.kind, page.kind), "evidence": page.number in wanted})
    views = session.scalar(select(func.count(AccessLog.id)).where(AccessLog.trainee_id == trainee.id)) or 0
    return TraineeRecord(view, claims, decisions, corrections, pages, views)


def bundle_of(session: Session, bundle_id: int) -> Bundle | None:
    return session.get(Bundle, bundle_id)


def log_page_view(session: Session, page: Page, user: User) -> int:
    """An original page shows ID numbers in full: opening it is logged for every trainee read from it."""
    claims = session.scalars(select(Claim).where(Claim.bundle_id == page.bundle_id))
    seen: set[int] = set()
    for claim in claims:
        if claim.trainee_id in seen or not any(r.get("page") == page.number for r in claim.page_refs or []):
            continue
        seen.add(claim.trainee_id)
        trainee = session.get(Trainee, claim.trainee_id)
        session.add(AccessLog(who=user.name, trainee_id=trainee.id, id_hash=trainee.id_hash,
                              purpose=f"查看原始扫描页（材料 {page.bundle_id} 第 {page.number} 页）"))
    session.commit()
    return len(seen)


def page_image_response(session: Session, data_dir: Path, page_id: int, user: User) -> Response:
    """The original page as PNG, its view logged for every trainee the scan shows in full."""
    page = session.get(Page, page_id)
    if page is None:
        raise HTTPException(404, "没有这一页")
    try:
        png = page_png(session, data_dir, page)
    except PageNotAvailable as problem:
        raise HTTPException(404, str(problem)) from None
    log_page_view(session, page, user)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})
