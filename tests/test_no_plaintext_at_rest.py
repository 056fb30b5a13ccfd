"""Issue 17's check, as a new user would make it: a generated bundle is taken in as a batch through the web
(real OCR), reviewed (a phone corrected, a full ID revealed), its documents generated, the batch archived,
searched and packed; then every file of the data folder (database, -wal, -shm, job store, logs, originals,
documents) is searched for the batch's ID numbers, phones and "T" + ID certificate numbers, in clear and
with spaces inserted, in UTF-8 and UTF-16. On PostgreSQL the database is searched through pg_dump.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from intake.store.models import Claim, Trainee
from intake.store.uploads import sha256_of
from service.app import create_app
from service.cli import main
from service.intake_job import read_files
from service.jobs import JobQueue
from service.logs import RedactFilter
from service.settings import Settings
from service.users import add_user
from tests.bundlegen import BundleSpec, generate_bundle
from tests.intake.conftest import POSTGRES_ENV, _fresh_postgres
from tests.service.conftest import PASSWORD, Client

BATCH = "2020Q2-隐私核查"
NEW_PHONE = "13912340000"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bundle")
    generate_bundle(BundleSpec(seed=17, trainees=4, profile="scan"), out)
    return out, json.loads((out / "truth.json").read_text(encoding="utf-8"))


def secrets_of(truth: dict) -> set[str]:
    """IDs, phones, and certificate numbers that carry the ID (a special-equipment TS record number does not:
    it is public, like the certificate's title)."""
    found = {NEW_PHONE}
    for t in truth["trainees"]:
        found |= {t["id_number"], t["phone"]}
        if t["id_number"] and t["id_number"] in t["certificate_no"]:
            found.add(t["certificate_no"])
    return {s for s in found if s}


def spellings(secret: str) -> set[str]:
    """The number as it could sit in a file: whole, and with the spaces OCR or people put into it."""
    digits = secret.removeprefix("T")
    ways = {secret, digits, " ".join(digits), " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))}
    if len(digits) == 18:
        ways.add(f"{digits[:6]} {digits[6:14]} {digits[14:]}")
    if len(digits) == 11:
        ways.add(f"{digits[:3]} {digits[3:7]} {digits[7:]}")
    return ways


def find_in_clear(blobs: dict[str, bytes], secrets: set[str]) -> list[str]:
    found = []
    for where, data in blobs.items():
        for secret in secrets:
            for text in spellings(secret):
                for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                    if text.encode(encoding) in data:
                        found.append(f"{where}: {secret[:3]}… as {text[:3]}… ({encoding})")
    return found


def data_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


_READINGS: dict[tuple[str, ...], object] = {}


def read_once(files, progress, records, settings):  # type: ignore[no-untyped-def]
    """The real reader (service.intake_job.read_files, real OCR), run once per bundle for both backends: the
    reading does not depend on where it is stored."""
    key = tuple(sha256_of(f) for f in files)
    if key not in _READINGS:
        _READINGS[key] = read_files(files, progress, records, settings)
    return copy.deepcopy(_READINGS[key])


def take_in_review_generate_archive(data: Path, bundle: tuple[Path, dict], exported: Path) -> None:
    folder, truth = bundle
    settings = Settings.from_env(data, intake_reader=f"{__name__}:read_once")
    app = create_app(settings, queue=JobQueue(settings, immediate=True))
    with app.state.store.session() as session:
        for role in ("clerk", "reviewer", "officer", "archivist"):
            add_user(session, role, role, PASSWORD)
    clients = {}
    for role in ("clerk", "reviewer", "officer", "archivist"):
        client = clients[role] = Client(app, base_url="http://testserver")
        client.refresh_csrf()
        login = client.post("/api/session", json={"name": role, "password": PASSWORD},
                            headers={"X-CSRF-Token": client.csrf})
        assert login.status_code == 200, login.text
        client.csrf = login.json()["csrf_token"]
    try:
        with (folder / "bundle.pdf").open("rb") as fh:
            upload = clients["clerk"].form("/upload", {"batch": BATCH, "quarter": "2020Q2"},
                                           files=[("files", ("bundle.pdf", fh, "application/pdf"))])
        assert upload.status_code == 303, upload.text
        job = clients["clerk"].get(f"/api/jobs/{upload.headers['location'].rsplit('/', 1)[1]}").json()
        assert job["status"] == "done" and job["trainees"] == len(truth["trainees"]), job
        with app.state.store.session() as session:
            claim = session.scalar(select(Claim).order_by(Claim.id))
            trainee = session.get(Trainee, claim.trainee_id)
        reviewer = clients["reviewer"]
        form = reviewer.get(f"/review/claims/{claim.id}")
        assert form.status_code == 200
        saved = reviewer.form(f"/review/claims/{claim.id}/fields/phone",
                              {"value": NEW_PHONE, "version": 0, "why": "电话打错"})
        assert saved.status_code == 303, saved.text
        shown = reviewer.post(f"/api/trainees/{trainee.id}/reveal", headers={"X-CSRF-Token": reviewer.csrf})
        assert shown.status_code == 200 and shown.json()["trainee"]["revealed"]
        officer = clients["officer"]
        batch_id = claim.batch_id
        # The publicity list needs the day the officer starts it (never the clock).
        started = officer.post(f"/api/batches/{batch_id}/publicity", json={"start": "2020-07-01"},
                               headers={"X-CSRF-Token": officer.csrf})
        assert started.status_code in (200, 409), started.text
        kinds = ("attachment1", "attachment2", "attachment3") + (("publicity",) if started.status_code == 200 else ())
        for kind in kinds:
            made = officer.post(f"/api/batches/{batch_id}/documents", json={"kind": kind},
                                headers={"X-CSRF-Token": officer.csrf})
            assert made.status_code == 200, made.text
        listed = officer.get(f"/api/batches/{batch_id}/documents").json()["files"]
        first = listed[0]
        download = officer.get(f"/api/batches/{batch_id}/documents/{first['kind']}/{first['name']}")
        assert download.status_code == 200 and download.content[:2] == b"PK"  # opened for the officer
    finally:
        for client in clients.values():
            client.close()
        app.state.store.close()
    runner = CliRunner()
    for args, stdin in ((["archive", "add", "--batch", BATCH, "--no-pdf"], None),
                        (["archive", "search", "--id", "-"], truth["trainees"][1]["id_number"] + "\n"),
                        (["archive", "search", "--text", truth["trainees"][2]["id_number"]], None),
                        (["archive", "pack", "--batch", BATCH, "--out", str(exported), "--no-pdf"], None),
                        (["archive", "verify"], None)):
        done = runner.invoke(main, ["--data", str(data), *args], input=stdin)
        assert done.exit_code == 0, (args, done.output)
        assert not find_in_clear({"output": done.output.encode()}, {truth["trainees"][1]["id_number"]})


@pytest.fixture
def logged_to(tmp_path):
    """Every log line of the run, written (through the service's redaction filter) into the data folder."""
    log_file = tmp_path / "data" / "logs" / "service.log"
    log_file.parent.mkdir(parents=True)
    os.close(os.open(log_file, os.O_CREAT | os.O_WRONLY, 0o600))
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield log_file
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def check_nothing_in_clear(data: Path, truth: dict, extra: dict[str, bytes] | None = None) -> None:
    files = data_files(data)
    assert any(name.startswith("originals/") for name in files) and "logs/service.log" in files
    assert any(name.startswith("generated/") for name in files) and any(name.startswith("archive/") for name in files)
    assert b"job" in files["logs/service.log"]  # the log was written to
    found = find_in_clear(files | (extra or {}), secrets_of(truth))
    assert not found, "\n".join(found)
    for name in files:
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_sqlite_data_folder_holds_no_number_in_clear(bundle, tmp_path, logged_to, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    data = tmp_path / "data"
    exported = tmp_path / "exported"
    take_in_review_generate_archive(data, bundle, exported)
    assert (data / "subsidy.db-wal").exists()  # the WAL is searched as it was left, not checkpointed away
    check_nothing_in_clear(data, bundle[1])
    # The package was exported on purpose, outside the data folder: it holds the numbers, as the paper does.
    assert find_in_clear(data_files(exported), {bundle[1]["trainees"][0]["id_number"]})


def test_postgresql_database_and_data_folder_hold_no_number_in_clear(bundle, tmp_path, logged_to, monkeypatch):
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} not set (.ci/run starts PostgreSQL and sets it)")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    _fresh_postgres(url)
    monkeypatch.setenv("SUBSIDY_DATABASE_URL", url)
    data = tmp_path / "data"
    take_in_review_generate_archive(data, bundle, tmp_path / "exported")
    dump = subprocess.run(["pg_dump", "--no-owner", "--dbname", url.replace("+psycopg", "")], capture_output=True,
                          check=True).stdout
    assert b"COPY public.trainees" in dump and b"archive_fts" in dump
    check_nothing_in_clear(data, bundle[1], {"pg_dump": dump})
