"""The service's own tables: accounts, background jobs and publicity periods.

They live in the same database as the records store but in their own metadata with their own migration
history (service/migrations, version table `service_alembic_version`), so the intake side never needs to
know that a web service exists (DESIGN.md: imports run one way). Jobs refer to uploads and batches by id
only; nothing personal is ever written here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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
