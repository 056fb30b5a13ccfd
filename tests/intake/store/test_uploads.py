import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intake.store.models import Upload
from intake.store.uploads import (
    TEMP_PREFIX,
    original_path,
    sha256_of,
    store_upload,
    stored_originals,
    sweep_temp_files,
    unreferenced_originals,
    verify_upload,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def scan(tmp_path):
    path = tmp_path / "bundle_007.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 400)
    return path


def test_store_upload_is_content_addressed_and_idempotent(store, session, scan):
    first = store_upload(session, store.data_dir, scan, "clerk")
    session.commit()
    copy = scan.with_name("same_bytes_other_name.pdf")
    copy.write_bytes(scan.read_bytes())
    again = store_upload(session, store.data_dir, copy, "someone else")
    session.commit()
    assert again.id == first.id
    assert session.scalar(select(func.count()).select_from(Upload)) == 1
    digest = sha256_of(scan)
    assert first.sha256 == digest and first.size == scan.stat().st_size
    assert first.stored_path == f"originals/{digest[:2]}/{digest[2:]}"
    assert first.media_type == "application/pdf" and first.original_name == "bundle_007.pdf"
    assert (store.data_dir / first.stored_path).read_bytes() == scan.read_bytes()
    assert verify_upload(store.data_dir, first)


def test_existing_original_is_never_rewritten(store, session, scan):
    digest = sha256_of(scan)
    target = original_path(store.data_dir, digest)
    store_upload(session, store.data_dir, scan, "clerk")
    session.rollback()  # row gone, file stays: the next upload re-uses it as it is
    before = target.stat().st_mtime_ns, target.stat().st_ino
    upload = store_upload(session, store.data_dir, scan, "clerk")
    session.commit()
    assert (target.stat().st_mtime_ns, target.stat().st_ino) == before
    assert verify_upload(store.data_dir, upload)


CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import intake.store.uploads as uploads
    from intake.store.db import open_store

    data, source, url, when = sys.argv[1:5]
    store = open_store(Path(data), url)

    def die(*_args):
        os.kill(os.getpid(), signal.SIGKILL)

    if when == "during_write":
        uploads.os.replace = die          # the temp file is written and synced, the rename never happens
    with store.session() as session:
        uploads.store_upload(session, Path(data), Path(source), "clerk")
        if when == "before_commit":
            die()                         # the original is in place, its row not committed
        session.commit()
""")


@pytest.mark.parametrize("when", ["before_commit", "during_write"])
def test_killed_upload_leaves_no_orphan_row_and_no_half_file(store, db_url, scan, when):
    done = subprocess.run([sys.executable, "-c", CHILD, str(store.data_dir), str(scan), db_url, when], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr
    store.engine.dispose()  # a restart: fresh connections
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
        complete = stored_originals(store.data_dir)
        temps = list((store.data_dir / "originals").glob(f"*/{TEMP_PREFIX}*"))
        if when == "before_commit":
            assert [p.name for p in complete] == [sha256_of(scan)[2:]]   # whole, and harmless
            assert sha256_of(complete[0]) == sha256_of(scan)
            assert unreferenced_originals(session, store.data_dir) == complete
            assert temps == []
        else:
            assert complete == []                                        # no half-written original
            assert len(temps) == 1                                       # only a temp file, never taken as one
            assert sweep_temp_files(store.data_dir, older_than_seconds=0) == temps
        upload = store_upload(session, store.data_dir, scan, "clerk")   # re-running succeeds
        session.commit()
        assert verify_upload(store.data_dir, upload)
        assert unreferenced_originals(session, store.data_dir) == []
        assert session.scalar(select(func.count()).select_from(Upload)) == 1


def test_originals_without_rows_are_swept_once_old(store, session, tmp_path):
    import os
    import time

    from intake.store.uploads import original_path, sweep_orphans, write_original

    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"%PDF kept")
    row = store_upload(session, store.data_dir, kept, "clerk")
    session.commit()
    lost = tmp_path / "lost.pdf"
    lost.write_bytes(b"%PDF an intake was killed before its commit")
    orphan = write_original(store.data_dir, lost, sha256_of(lost))
    assert sweep_orphans(session, store.data_dir) == []  # young: perhaps another writer's, not yet committed
    old = time.time() - 3600
    os.utime(orphan, (old, old))
    os.utime(original_path(store.data_dir, row.sha256), (old, old))
    assert sweep_orphans(session, store.data_dir) == [orphan]
    assert not orphan.exists() and (store.data_dir / row.stored_path).exists()


def test_a_file_named_after_an_id_number_is_kept_under_a_masked_name(store, session, tmp_path):
    from tests.intake.idgen import make_id

    scan = tmp_path / f"张三_{make_id(4)}.pdf"
    scan.write_bytes(b"%PDF named after its trainee")
    row = store_upload(session, store.data_dir, scan, "clerk")
    assert make_id(4) not in row.original_name and row.original_name.startswith("张三_371602")
