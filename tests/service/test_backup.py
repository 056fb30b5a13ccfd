"""Backup of the whole data folder while the service runs and takes uploads, verified by restoring it into an
empty folder (SQLite online backup; PostgreSQL through pg_dump and pg_restore)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import create_engine, text

from intake.store.db import open_store
from intake.store.keys import KEY_ENV, encode, new_secret
from intake.store.registry import trainee_by_id_number
from service.backup import BackupProblem, backup, restore
from service.cli import main
from tests.intake.conftest import POSTGRES_ENV, _fresh_postgres
from tests.intake.store.archive_data import make_batch, trainee
from tests.service.fakes import FAKE_ID
from tests.service.live import ROOT, LiveServer, add_users

PASSWORD = "correct horse battery"


def upload_pages(live: LiveServer, folder: Path, count: int, wait: bool = False) -> list[int]:
    """A clerk taking in `count` one-page bundles, one after the other, each into its own batch (and waiting
    for the jobs to be done, when asked)."""
    with httpx.Client(base_url=live.url, timeout=60) as client:
        csrf = client.get("/api/csrf").json()["csrf_token"]
        csrf = client.post("/api/session", json={"name": "clerk", "password": PASSWORD},
                           headers={"X-CSRF-Token": csrf}).json()["csrf_token"]
        jobs = []
        for i in range(count):
            page = folder / f"page-{i}.png"
            Image.new("RGB", (300 + i, 420), "white").save(page)
            with page.open("rb") as fh:
                answer = client.post("/api/uploads", data={"batch": f"2020Q{i % 4 + 1}-批次{i}"},
                                     files=[("files", (page.name, fh, "image/png"))], headers={"X-CSRF-Token": csrf})
            assert answer.status_code == 202, answer.text
            jobs.append(answer.json()["job_id"])
        deadline = time.monotonic() + 60
        while wait and time.monotonic() < deadline:
            if all(client.get(f"/api/jobs/{j}").json()["status"] == "done" for j in jobs):
                break
            time.sleep(0.3)
        return jobs


@pytest.mark.slow  # a live server and its worker processes
def test_backup_while_the_service_runs_restores_into_an_empty_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    data, backups, restored = tmp_path / "data", tmp_path / "backups", tmp_path / "restored"
    add_users(data, {"clerk": "clerk"}, PASSWORD)
    env = {"SUBSIDY_INTAKE_READER": "tests.service.fakes:fake_reader", "SUBSIDY_JOB_STALE_SECONDS": "5"}
    with LiveServer(data, env=env) as live:
        upload_pages(live, tmp_path, 3, wait=True)
        writer = threading.Thread(target=upload_pages, args=(live, tmp_path / "more", 6))
        (tmp_path / "more").mkdir()
        writer.start()  # uploads go on while the backup is taken
        taken = subprocess.run([sys.executable, "-m", "service.cli", "--data", str(data), "backup", "--out",
                                str(backups)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        writer.join(120)
    assert taken.returncode == 0, taken.stderr
    (backup_dir,) = [p for p in backups.iterdir() if p.is_dir()]
    assert not (backup_dir / "files" / "secret.key").exists() and not list(backup_dir.rglob("secret.key"))
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in backup_dir.rglob("*") if p.is_file())

    done = CliRunner().invoke(main, ["--data", str(restored), "restore", str(backup_dir),
                                     "--key-file", str(data / "secret.key")])
    assert done.exit_code == 0, done.output
    assert "核验通过" in done.output
    store = open_store(restored)
    with store.session() as session:
        assert trainee_by_id_number(session, FAKE_ID) is not None
    store.close()
    verify = CliRunner().invoke(main, ["--data", str(restored), "archive", "verify"])
    assert verify.exit_code == 0, verify.output


@pytest.fixture
def small_store(tmp_path, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    store = open_store(tmp_path / "data")
    make_batch(store, tmp_path / "scans")
    store.close()
    return tmp_path / "data"


def test_a_restore_refuses_a_folder_that_is_not_empty_another_key_and_a_damaged_backup(small_store, tmp_path,
                                                                                        monkeypatch):
    taken = backup(small_store, tmp_path / "backups")
    key_file = small_store / "secret.key"
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something").write_text("x")
    with pytest.raises(BackupProblem, match="不是空目录"):
        restore(taken, busy, key_file=key_file)
    monkeypatch.setenv(KEY_ENV, encode(new_secret()))
    with pytest.raises(Exception, match="密钥不符"):
        restore(taken, tmp_path / "other-key")
    assert not (tmp_path / "other-key").exists()
    monkeypatch.delenv(KEY_ENV)
    original = next(p for p in (taken / "files" / "originals").rglob("*") if p.is_file())
    original.write_bytes(b"altered")
    with pytest.raises(BackupProblem, match="与清单不符"):
        restore(taken, tmp_path / "damaged", key_file=key_file)
    assert not (tmp_path / "damaged").exists()


@pytest.mark.slow  # a PostgreSQL server
def test_postgresql_backup_and_restore_into_an_empty_database(tmp_path, monkeypatch):
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} not set (.ci/run starts PostgreSQL and sets it)")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore not installed")
    _fresh_postgres(url)
    target_url = _empty_database_beside(url)
    store = open_store(tmp_path / "data", url)
    make_batch(store, tmp_path / "scans")
    store.close()
    taken = backup(tmp_path / "data", tmp_path / "backups", url)
    assert (taken / "database" / "subsidy.pgdump").exists()
    done = restore(taken, tmp_path / "restored", target_url, key_file=tmp_path / "data" / "secret.key")
    assert done.problems == [] and done.counts["trainees"] == 3
    again = open_store(tmp_path / "restored", target_url)
    with again.session() as session:
        assert trainee_by_id_number(session, trainee(0)["id_number"]).name == "张三"
    again.close()


def _empty_database_beside(url: str) -> str:
    """A second, empty database on the same server for the restore (the test role may create databases)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    name = engine.url.database + "_restore"
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return engine.url.set(database=name).render_as_string(hide_password=False)
