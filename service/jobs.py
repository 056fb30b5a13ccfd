"""Background jobs on Huey: SQLite queue in the data folder by default, Redis by URL, same task either way.

Huey removes a task from the queue when a worker takes it, so a worker killed mid-job would lose it.
The job row in the database is therefore the truth: a worker claims the job atomically and keeps a
heartbeat while it works; a watchdog in every `subsidy worker` (at start and every few seconds) puts
back on the queue any job whose heartbeat stopped, and any queued job the queue no longer holds.
Claiming is atomic, so a job queued twice still runs once. The task's only argument is the job id.

OCR runs in Huey's *process* workers, each replaced after `worker_max_jobs` jobs (Huey's max_tasks):
the ONNX runtime grows over long runs, and a fresh process gives the memory back. Thread limits
(OMP_NUM_THREADS, SUBSIDY_OCR_THREADS) are put in the environment before any engine is imported.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable

from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import or_, select, update

from intake.store.bundles import BundleElsewhere
from intake.store.db import Store, prepare_data_dir, prepare_sqlite_file
from intake.store.models import utcnow
from intake.store.personal import mask_numbers
from intake.store.uploads import sweep_orphans
from ocr.engines import EngineUnavailable
from service.db import open_service_store
from service.models import Job
from service.settings import Settings

log = logging.getLogger(__name__)

def make_huey(settings: Settings, immediate: bool = False) -> Huey:
    if immediate:
        return Huey(settings.queue_name, immediate=True, results=False)
    if settings.queue_backend == "redis":
        return RedisHuey(settings.queue_name, url=settings.queue_url, results=False)
    prepare_data_dir(settings.data_dir)
    prepare_sqlite_file(f"sqlite:///{settings.queue_file}")  # 0600, like the store: it names uploads and batches
    return SqliteHuey(settings.queue_name, filename=str(settings.queue_file), results=False, timeout=30)


class JobQueue:
    """The queue and its one task. The web process enqueues; `subsidy worker` consumes."""

    def __init__(self, settings: Settings, immediate: bool = False) -> None:
        self.settings = settings
        self.huey = make_huey(settings, immediate)

        def intake_upload(job_id: int) -> None:
            run_job(settings, job_id)

        self.intake_upload = self.huey.task(name="intake_upload")(intake_upload)

    def enqueue(self, job_id: int) -> None:
        self.intake_upload(job_id)

    def pending_job_ids(self) -> set[int]:
        return {int(t.args[0]) for t in self.huey.pending() if t.args}


# --- inside the worker process ----------------------------------------------------------------

_stores: dict[tuple[int, str], Store] = {}


def _store_for_this_process(settings: Settings) -> Store:
    """One store per process and database: connections must never cross the fork that made a worker."""
    key = (os.getpid(), settings.database_url)
    if key not in _stores:
        _stores[key] = open_service_store(settings, migrate=False)
    return _stores[key]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(store: Store, settings: Settings, job_id: int) -> bool:
    """Take the job if it is queued, or running with a dead heartbeat; False if someone else has it."""
    now = utcnow()
    stale = now - dt.timedelta(seconds=settings.job_stale_seconds)
    with store.session() as session:
        taken = session.execute(
            update(Job).where(Job.id == job_id, or_(Job.status == "queued",
                                                    (Job.status == "running") & (Job.heartbeat_at < stale)))
            .values(status="running", worker=worker_name(), attempts=Job.attempts + 1, started_at=now,
                    heartbeat_at=now, message="开始识别"))
        session.commit()
        return taken.rowcount == 1


def _set(store: Store, job_id: int, **values: object) -> None:
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))
        session.commit()


class Heartbeat:
    """Touches the job row every few seconds from a thread, so a slow page is not taken for a dead worker."""

    def __init__(self, store: Store, job_id: int, every: float) -> None:
        self.store, self.job_id, self.every = store, job_id, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                _set(self.store, self.job_id, heartbeat_at=utcnow())
            except Exception:  # a locked database for a moment is no reason to stop beating
                log.warning("job %s: heartbeat not written", self.job_id)


def run_job(settings: Settings, job_id: int) -> None:
    from service.intake_job import run_intake

    store = _store_for_this_process(settings)
    if not claim(store, settings, job_id):
        log.info("job %s: already taken or finished, skipped", job_id)
        return
    with store.session() as session:
        attempts = session.get(Job, job_id).attempts
    if attempts > settings.job_max_attempts:
        _set(store, job_id, status="failed", finished_at=utcnow(),
             message=f"已尝试 {settings.job_max_attempts} 次仍未完成，请联系管理员")
        return
    log.info("job %s: started (attempt %s) on %s", job_id, attempts, worker_name())

    def progress(done: int, message: str) -> None:
        _set(store, job_id, pages_done=done, message=mask_numbers(message)[:500], heartbeat_at=utcnow())

    try:
        with Heartbeat(store, job_id, max(0.5, settings.job_stale_seconds / 4)):
            bundle_id, trainees, problems = run_intake(store, settings, job_id, progress)
    except EngineUnavailable as missing:  # the installation's fault, not the upload's: say what is missing
        log.error("job %s: %s", job_id, missing)
        _set(store, job_id, status="failed", finished_at=utcnow(), message=str(missing)[:500])
        return
    except BundleElsewhere as problem:  # the message names batches and files, never a number
        _set(store, job_id, status="failed", finished_at=utcnow(), message=mask_numbers(str(problem))[:500])
        return
    except Exception as problem:
        # The type only: an exception text may quote a value read from the page (an ID number).
        log.exception("job %s: failed with %s", job_id, type(problem).__name__)
        _set(store, job_id, status="failed", finished_at=utcnow(),
             message=f"识别失败（{type(problem).__name__}），请检查材料后重新上传或联系管理员")
        return
    with store.session() as session:
        job = session.get(Job, job_id)
        job.status, job.finished_at, job.bundle_id, job.trainees = "done", utcnow(), bundle_id, trainees
        job.pages_done = max(job.pages_done, job.pages_total)
        job.problems = [mask_numbers(p) for p in problems]
        job.message = f"完成：{trainees} 名学员" + (f"，{len(problems)} 处问题" if problems else "")
        session.commit()
    log.info("job %s: done, %s trainees", job_id, trainees)


# --- the watchdog -------------------------------------------------------------------------------

def requeue_lost(store: Store, queue: JobQueue) -> list[int]:
    """Queue again what a dead worker left: running jobs without heartbeat, queued jobs not in the queue."""
    settings = queue.settings
    stale = utcnow() - dt.timedelta(seconds=settings.job_stale_seconds)
    requeued = []
    with store.session() as session:
        dead = list(session.scalars(select(Job).where(Job.status == "running", Job.heartbeat_at < stale)))
        orphans = list(session.scalars(select(Job).where(Job.status == "queued", Job.created_at < stale)))
        if orphans:
            pending = queue.pending_job_ids()
            orphans = [j for j in orphans if j.id not in pending]
        for job in dead + orphans:
            if job.status == "running":
                log.warning("job %s: worker %s stopped beating, queued again", job.id, job.worker)
                job.status, job.message = "queued", "工作进程中断，已重新排队"
            requeued.append(job.id)
        session.commit()
    for job_id in requeued:
        queue.enqueue(job_id)
    return requeued


def start_watchdog(store: Store, queue: JobQueue, stop: threading.Event) -> threading.Thread:
    def loop() -> None:
        every = max(1.0, queue.settings.job_stale_seconds / 3)
        while not stop.wait(every):
            try:
                requeue_lost(store, queue)
            except Exception:
                log.exception("watchdog: could not check for lost jobs")

    thread = threading.Thread(target=loop, name="job-watchdog", daemon=True)
    thread.start()
    return thread


def run_worker(settings: Settings, on_ready: Callable[[], None] | None = None) -> None:
    """A Huey consumer with process workers (recycled after N jobs) and the watchdog beside it."""
    from huey.consumer import Consumer

    os.environ.update(settings.worker_environment())
    store = open_service_store(settings)
    queue = JobQueue(settings)
    with store.session() as session:
        for path in sweep_orphans(session, store.data_dir):
            log.warning("removed an original no row names (left by a crash): %s…", path.name[:12])
    requeue_lost(store, queue)
    stop = threading.Event()
    start_watchdog(store, queue, stop)
    consumer = Consumer(queue.huey, workers=settings.worker_processes, worker_type="process",
                        periodic=False, max_tasks=settings.worker_max_jobs, check_worker_health=True,
                        health_check_interval=1, initial_delay=0.2, max_delay=2.0)
    if on_ready:
        on_ready()
    try:
        consumer.run()
    finally:
        stop.set()
