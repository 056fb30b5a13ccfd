"""A copied database file alone reveals no ID or phone number (the key stays outside it)."""

import sqlite3

import pytest
from sqlalchemy import select

from intake.store.bundles import save_bundle_result
from intake.store.models import Correction
from intake.store.uploads import store_upload
from tests.intake.idgen import make_id, make_phone
from tests.intake.store.test_bundles import bundle_result
from tests.policy import POLICY


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_file_holds_no_id_or_phone(store, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF scan")
    with store.session() as session:
        upload = store_upload(session, store.data_dir, scan, "clerk")
        save_bundle_result(session, bundle_result(), [upload.id], "B1", policy=POLICY)
        trainee_id = session.scalar(select(Correction.id))  # none yet; a correction of an ID is sealed too
        assert trainee_id is None
        cipher = store.cipher
        session.add(Correction(field="id_number", old_value=cipher.seal_text(make_id(9), "correction.id_number"),
                               new_value=cipher.seal_text(make_id(1), "correction.id_number"), sealed=True,
                               who="reviewer", why="OCR misread"))
        session.commit()
    store.engine.dispose()
    db = store.data_dir / "subsidy.db"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dump = "\n".join(connection.iterdump())
    raw = b"".join(p.read_bytes() for p in store.data_dir.glob("subsidy.db*"))
    secrets = [make_id(i) for i in (1, 2, 3, 9)] + [make_phone(i) for i in range(3)]
    for secret in secrets:
        assert secret not in dump
        assert secret.encode() not in raw
        assert secret.encode("utf-16-le") not in raw
    for number in secrets[:4]:
        assert number[6:] not in dump  # not even the part a mask hides
    assert "学员0" in dump  # the file is readable: it is the numbers that are sealed
    assert (store.data_dir / "secret.key").read_bytes() not in raw
