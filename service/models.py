"""The service's own tables: accounts, background jobs, publicity periods and the review form's state.

They live in the same database as the records store, in their own metadata, so the intake side never
imports them (DESIGN.md: imports run one way); their migrations are in the database's one tree
(intake/store/migrations, revisions s0001 on). Jobs refer to uploads and batches by id
only; nothing personal is written here in clear (the review's witness values are sealed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, Integer, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from intake.store import audit
from intake.store.models import NAMING, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")


class ServiceBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[int]: JSON, list[str]: JSON}


class User(ServiceBase):
    """An account; `password_hash` is argon2id (security.py). Deactivated, never deleted: logs name it."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('clerk','reviewer','officer','archivist','admin')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Job(ServiceBase):
    """One background intake of an upload: what to read (record ids), how far it got, how it ended.

    The queue (Huey) only carries the job id; this row is the truth the pages poll and the watchdog uses
    to queue again a job whose worker died (heartbeat too old).
    """

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint("status IN ('queued','running','done','failed')", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="intake")
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    batch_id: Mapped[int | None] = mapped_column(Integer)
    upload_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    records_upload_id: Mapped[int | None] = mapped_column(Integer)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
    bundle_id: Mapped[int | None] = mapped_column(Integer)
    trainees: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Publicity(ServiceBase):
    """公示: the publicity period an officer set for a batch (explicit dates, DOMAIN.md working days)."""

    __tablename__ = "publicity"
    batch_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- the review form (issue 7) ------------------------------------------------------------------
# The store keeps what was decided and corrected (intake.store.models.Decision, Correction); these tables
# keep what the review form needs besides: what each witness said (sealed: values are ID and phone
# numbers), which doubts a reviewer has settled, and version counters that let a stale form be told so.

REVIEW_STATUSES = ("open", "accepted", "rejected", "awaiting_second")


class ReviewFile(ServiceBase):
    """One claim's reading as intake left it: the flags intake raised and every witness of every field.

    `evidence_enc` is the trainee's bundle-result/1 `evidence` list (plus signed, certificate_copy and the
    automatic corrections) as JSON sealed with the store's field cipher (label "review.evidence"), because
    witness values are full ID and phone numbers. Kept apart from the claim so that re-running the rules can
    always start again from what was on paper.
    """

    __tablename__ = "review_files"
    claim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[int | None] = mapped_column(Integer, index=True)
    intake_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewClaim(ServiceBase):
    """The review state of one claim. `revision` goes up with every save touching the claim: a decision
    made on an older revision is refused (stale form), and the update itself lines concurrent savers of
    the same claim up, so flags recomputed by one never miss the other's change."""

    __tablename__ = "review_claims"
    __table_args__ = (CheckConstraint("status IN ('open','accepted','rejected','awaiting_second')", name="status"),)
    claim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(Integer, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="open")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    proposed_by: Mapped[str] = mapped_column(String(100), default="")   # first reviewer of a rejection
    postponed_by: Mapped[str] = mapped_column(String(100), default="")
    postponed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ReviewField(ServiceBase):
    """A field of a claim that a reviewer settled (confirmed or corrected), with its optimistic-lock version:
    the form carries the version it was opened with, and a save on another version is refused."""

    __tablename__ = "review_fields"
    claim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="confirmed")   # confirmed | corrected
    verdict: Mapped[str] = mapped_column(String(20), default="")           # signature / copy: yes | no
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewSeal(ServiceBase):
    """A reviewer's verdict on one document's seal (a bundle-level fact every claim of the bundle rests on)."""

    __tablename__ = "review_seals"
    bundle_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[int] = mapped_column(Integer, primary_key=True)    # index in Bundle.documents
    version: Mapped[int] = mapped_column(Integer, default=1)
    present: Mapped[bool] = mapped_column()
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- sessions and logins (issue 17) ---------------------------------------------------------------
# The session cookie only names a session; whether it is still open is decided here, so logging out or
# staying away ends it for every copy of the cookie. The cookie's token is stored as its SHA-256 only.

class WebSession(ServiceBase):
    """One login: open until logout, until idle for the idle limit, or until its maximum age."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_why: Mapped[str] = mapped_column(String(20), default="")   # logout | idle | expired | replaced


class LoginFailure(ServiceBase):
    """Failed logins counted per account name and per client address (a keyed hash of it, not the address),
    and the lock that follows too many."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)   # "name:<name>" | "ip:<keyed hash>"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SecurityEvent(ServiceBase):
    """The service's own audit trail: accounts locked after failed logins, logins refused while locked.
    Chained like decisions (intake.store.audit.register), so an entry cannot be struck out unseen."""

    __tablename__ = "security_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    who: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    chain_prev: Mapped[str | None] = mapped_column(String(64), unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


audit.register(SecurityEvent, ("kind", "who", "detail", "at"), ("at",), lock_key=71_202_101)
