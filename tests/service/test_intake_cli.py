"""`subsidy intake --batch`: a refused file is not stored and makes no batch; a bundle stays in its batch."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from intake.store.db import open_store
from intake.store.models import Batch, Bundle, Upload
from service.cli import main


@pytest.fixture
def refused_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj<<>>\nendobj\ntrailer<<>>\n%%EOF garbage")
    zipped = tmp_path / "archive.pdf"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "hello")
    return [empty, corrupt, zipped]


def test_refused_files_are_not_stored_and_make_no_batch(tmp_path, refused_files, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    data = tmp_path / "data"
    done = CliRunner().invoke(main, ["--data", str(data), "intake", *map(str, refused_files), "--batch", "新批次",
                                     "--workers", "1", "--quiet"])
    assert done.exit_code == 1, done.output
    assert done.output.count("未存入批次") == len(refused_files)
    store = open_store(data)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Batch)) == 0
        assert session.scalar(select(func.count()).select_from(Bundle)) == 0
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
    store.close()
    originals = data / "originals"
    assert not originals.exists() or not any(originals.rglob("*"))


def test_the_same_upload_into_another_batch_is_refused_and_the_first_batch_keeps_it(app, client_for, seeded,
                                                                                   png_file):
    clerk = client_for("clerk")
    with png_file.open("rb") as fh:
        again = clerk.form("/upload", {"batch": "另一批次", "quarter": "2020Q3"},
                           files=[("files", ("page1.png", fh, "image/png"))])
    assert again.status_code == 400 and "测试批次" in again.text and "不能再收入" in again.text
    with app.state.store.session() as session:
        assert session.scalar(select(Batch).where(Batch.name == "另一批次")) is None
        bundle = session.scalar(select(Bundle))
        assert bundle.batch_id == seeded["batch_id"]
