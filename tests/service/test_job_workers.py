"""Jobs across processes, in the Redis mode with a real redis-server (SUBSIDY_TEST_REDIS_URL, set by
.ci/run) and in the embedded SQLite mode: a job queued by the web process is done by a separate
`subsidy worker` process, and a worker killed mid-job leaves the job to be retried by another worker,
not lost. The reader is the fake one (seconds per page, no OCR)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.jobs import JobQueue
from service.models import Job
from service.settings import Settings
from service.users import add_user
from tests.service.conftest import PASSWORD

# The slow tier: separate worker processes, SQLite and Redis queues.
pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("SUBSIDY_TEST_REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["redis", "sqlite"])
def redis_setup(request, tmp_path, monkeypatch):
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("SUBSIDY_TEST_REDIS_URL not set (.ci/run starts redis-server)")
    url = REDIS_URL if request.param == "redis" else ""
    for name in ("SUBSIDY_DATABASE_URL", "SUBSIDY_KEY", "SUBSIDY_QUEUE_URL"):
        monkeypatch.delenv(name, raising=False)
    name = f"subsidy-test-{uuid.uuid4().hex[:8]}"
    settings = Settings.from_env(tmp_path / "data", queue_url=url, queue_name=name, job_stale_seconds=3,
                                 intake_reader="tests.service.fakes:fake_reader")
    queue = JobQueue(settings)
    app = create_app(settings, queue=queue)
    with app.state.store.session() as session:
        add_user(session, "clerk", "clerk", PASSWORD)
    env = {**os.environ, "SUBSIDY_QUEUE_URL": url, "SUBSIDY_QUEUE_NAME": name,
           "SUBSIDY_JOB_STALE_SECONDS": "3", "SUBSIDY_INTAKE_READER": "tests.service.fakes:fake_reader",
           "SUBSIDY_TEST_PAGE_SECONDS": "1.5"}
    workers: list[subprocess.Popen] = []

    def start_worker() -> subprocess.Popen:
        log = (tmp_path / f"worker-{len(workers)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "service.cli", "--data", str(settings.data_dir), "worker"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        workers.append(process)
        return process

    yield settings, app, start_worker
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    queue.huey.flush()
    app.state.store.close()


def _upload(app, png: Path, pages: int) -> int:
    client = TestClient(app)
    token = client.get("/api/csrf").json()["csrf_token"]
    token = client.post("/api/session", json={"name": "clerk", "password": PASSWORD},
                        headers={"X-CSRF-Token": token}).json()["csrf_token"]
    files = [("files", (f"p{i}.png", png.read_bytes(), "image/png")) for i in range(pages)]
    response = client.post("/api/uploads", data={"batch": "Redis 批次"}, files=files, headers={"X-CSRF-Token": token})
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def _job(app, job_id: int) -> Job:
    with app.state.store.session() as session:
        return session.get(Job, job_id)


def _wait(app, job_id: int, done, seconds: float = 90) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = _job(app, job_id)
        if done(job):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} stuck: {job.status} {job.pages_done}/{job.pages_total} {job.message}")


def test_a_job_queued_by_the_web_is_done_by_a_separate_worker(redis_setup, png_file):
    settings, app, start_worker = redis_setup
    job_id = _upload(app, png_file, pages=2)
    assert _job(app, job_id).status == "queued"
    assert app.state.queue.pending_job_ids() == {job_id}  # in Redis, waiting for a worker
    worker = start_worker()
    job = _wait(app, job_id, lambda j: j.status == "done")
    assert job.trainees == 1 and job.pages_done == 2 and job.attempts == 1
    assert worker.poll() is None and int(job.worker.split(":")[-1]) != os.getpid()  # not the web process


def test_a_worker_killed_mid_job_leaves_it_retried_not_lost(redis_setup, png_file):
    settings, app, start_worker = redis_setup
    job_id = _upload(app, png_file, pages=4)
    first = start_worker()
    _wait(app, job_id, lambda j: j.status == "running" and j.pages_done >= 1)
    os.killpg(first.pid, signal.SIGKILL)  # the consumer and its OCR process, mid-job
    first.wait()
    time.sleep(0.5)
    job = _job(app, job_id)
    assert job.status == "running" and job.pages_done < 4  # nobody finished it
    assert app.state.queue.pending_job_ids() == set()  # Huey alone would have lost it here
    start_worker()
    job = _wait(app, job_id, lambda j: j.status in ("done", "failed"))
    assert job.status == "done" and job.attempts == 2 and job.pages_done == 4
