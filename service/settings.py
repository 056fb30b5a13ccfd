"""The web service's one settings object, read once at start from the environment (and the command line).

Everything that differs between a clerk's laptop and the bureau's servers lives here and nowhere else:
where the data is, which database and queue, how big an upload may be, how OCR workers behave. Routes
and jobs receive this object; nothing below reads os.environ on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from intake.policy.policy import Policy, default_policy
from intake.store.db import database_url

ROLES = ("clerk", "reviewer", "officer", "archivist", "admin")
ROLE_NAMES = {"clerk": "录入员", "reviewer": "审核员", "officer": "经办人", "archivist": "档案员", "admin": "管理员"}
DEFAULT_INTAKE_READER = "service.intake_job:read_files"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """All knobs of the service; build with `Settings.from_env()`, override in tests with `.with_()`."""

    data_dir: Path
    database_url: str
    secret_key_file: Path
    queue_url: str = ""                  # "" = SqliteHuey in the data folder; redis://... = RedisHuey
    queue_name: str = "subsidy"          # several installations may share one Redis by name
    max_upload_mb: int = 80              # all files of one upload together
    max_pages: int = 300                 # pages of one upload together
    max_files: int = 200
    max_image_pixels: int = 60_000_000   # the OCR loader's own limit (ocr.sources.images.MAX_PIXELS)
    worker_max_jobs: int = 20            # an OCR worker process is replaced after this many jobs
    worker_processes: int = 1            # OCR worker processes per `subsidy worker`
    ocr_threads: int = 1                 # SUBSIDY_OCR_THREADS for the engines inside a worker
    omp_threads: int = 1                 # OMP_NUM_THREADS / OMP_THREAD_LIMIT inside a worker
    job_stale_seconds: float = 120.0     # a running job without heartbeat this long is queued again
    job_max_attempts: int = 3
    engine: str = ""                     # OCR engine; "" = ocr.engines.DEFAULT_ENGINE
    intake_reader: str = DEFAULT_INTAKE_READER   # "module:function" that reads a bundle (tests swap it)
    https: bool = False                  # session cookie marked Secure (set behind an HTTPS proxy)
    session_max_age: int = 8 * 3600      # a session ends this long after login, however busy
    session_idle_minutes: int = 30       # ... and after this long without a request
    login_max_failures: int = 5          # failed logins of one name before it is locked
    login_ip_max_failures: int = 30      # failed logins from one address (any names) before it is locked
    login_lockout_minutes: int = 15      # how long a lock lasts, and the window failures are counted in
    # A rejection takes effect only when a second reviewer (not the first) agrees: the bureau's four-eyes
    # rule for refusing money, switched on by SUBSIDY_REVIEW_SECOND_REVIEWER=1.
    review_second_reviewer: bool = False
    # The subsidy's rules (intake/policy): read here, once, and handed to whatever decides or generates.
    policy: Policy = field(default_factory=default_policy)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def queue_backend(self) -> str:
        return "redis" if self.queue_url.startswith(("redis://", "rediss://", "unix://")) else "sqlite"

    @property
    def queue_file(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def worker_environment(self) -> dict[str, str]:
        """What an OCR worker process must see before any engine is imported: one thread each, so that
        several workers on a small machine do not fight over the cores."""
        return {"OMP_NUM_THREADS": str(self.omp_threads), "OMP_THREAD_LIMIT": str(self.omp_threads),
                "SUBSIDY_OCR_THREADS": str(self.ocr_threads), "SUBSIDY_WORKERS": "1"}

    @classmethod
    def from_env(cls, data_dir: Path | str | None = None, **overrides: Any) -> Settings:
        data = Path(data_dir or os.environ.get("SUBSIDY_DATA") or "subsidy-data").resolve()
        values: dict[str, Any] = dict(
            data_dir=data,
            database_url=database_url(data),
            secret_key_file=Path(os.environ.get("SUBSIDY_SESSION_KEY_FILE") or data / "session.key"),
            queue_url=os.environ.get("SUBSIDY_QUEUE_URL", "").strip(),
            queue_name=os.environ.get("SUBSIDY_QUEUE_NAME", "").strip() or "subsidy",
            max_upload_mb=_env_int("SUBSIDY_MAX_UPLOAD_MB", 80),
            max_pages=_env_int("SUBSIDY_MAX_PAGES", 300),
            max_files=_env_int("SUBSIDY_MAX_FILES", 200),
            worker_max_jobs=_env_int("SUBSIDY_WORKER_MAX_JOBS", 20),
            worker_processes=_env_int("SUBSIDY_WORKER_PROCESSES", 1),
            ocr_threads=_env_int("SUBSIDY_OCR_THREADS", 1),
            omp_threads=_env_int("SUBSIDY_OMP_THREADS", 1),
            job_stale_seconds=_env_float("SUBSIDY_JOB_STALE_SECONDS", 120.0),
            engine=os.environ.get("SUBSIDY_ENGINE", "").strip(),
            intake_reader=os.environ.get("SUBSIDY_INTAKE_READER", "").strip() or DEFAULT_INTAKE_READER,
            https=_env_bool("SUBSIDY_HTTPS", False),
            session_idle_minutes=_env_int("SUBSIDY_SESSION_IDLE_MINUTES", 30),
            login_max_failures=_env_int("SUBSIDY_LOGIN_MAX_FAILURES", 5),
            login_ip_max_failures=_env_int("SUBSIDY_LOGIN_IP_MAX_FAILURES", 30),
            login_lockout_minutes=_env_int("SUBSIDY_LOGIN_LOCKOUT_MINUTES", 15),
            review_second_reviewer=_env_bool("SUBSIDY_REVIEW_SECOND_REVIEWER", False),
        )
        values.update(overrides)
        return cls(**values)
