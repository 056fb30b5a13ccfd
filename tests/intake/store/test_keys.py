"""The store's key: where it comes from, and a wrong or missing one refused before anything is written."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from intake.store.db import open_store
from intake.store.keys import (
    KEY_COMMAND_ENV,
    KEY_ENV,
    KEY_FILE_ENV,
    KeyProblem,
    encode,
    fingerprint,
    new_secret,
    read_key_file,
)
from intake.store.models import StoreKey
from intake.store.registry import upsert_trainee
from tests.intake.idgen import make_id


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the folder by its content hash: 'nothing written' means this does not change."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def store_with_a_trainee(folder: Path) -> Path:
    """A data folder whose store holds sealed data (one trainee), made with its own new key."""
    store = open_store(folder)
    with store.session() as session:
        upsert_trainee(session, make_id(1), "学员一", "男", "13812345678")
        session.commit()
    store.close()
    return folder


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    return store_with_a_trainee(tmp_path / "data")


def test_a_new_store_gets_a_private_key_file_and_records_its_fingerprint(data):
    key_file = data / "secret.key"
    assert mode(key_file) == 0o600
    store = open_store(data)
    with store.session() as session:
        recorded = session.get(StoreKey, 1)
    store.close()
    assert recorded.fingerprint == read_key_file(key_file, "x").fingerprint


def test_data_files_are_private(data):
    assert mode(data) == 0o700
    for name in ("subsidy.db", "subsidy.db-wal", "subsidy.db-shm"):
        if (data / name).exists():
            assert mode(data / name) == 0o600, name


def test_an_old_world_readable_store_is_made_private(data):
    (data / "subsidy.db").chmod(0o644)
    data.chmod(0o755)
    open_store(data).close()
    assert mode(data / "subsidy.db") == 0o600 and mode(data) == 0o700


def test_a_wrong_key_is_refused_and_nothing_is_written(data, monkeypatch):
    before = snapshot(data)
    monkeypatch.setenv(KEY_ENV, encode(new_secret()))
    with pytest.raises(KeyProblem) as refused:
        open_store(data)
    message = str(refused.value)
    assert "密钥不符" in message and "环境变量 SUBSIDY_KEY" in message and "未做任何改动" in message
    assert snapshot(data) == before


def test_a_missing_key_is_refused_and_no_new_key_is_made(data):
    (data / "secret.key").rename(data.parent / "elsewhere.key")
    before = snapshot(data)
    with pytest.raises(KeyProblem) as refused:
        open_store(data)
    assert "找不到" in str(refused.value) and "SUBSIDY_KEY_FILE" in str(refused.value)
    assert snapshot(data) == before and not (data / "secret.key").exists()


def test_the_key_from_a_file_named_in_the_environment(data, monkeypatch):
    moved = data.parent / "usb" / "subsidy.key"
    moved.parent.mkdir()
    (data / "secret.key").rename(moved)
    monkeypatch.setenv(KEY_FILE_ENV, str(moved))
    open_store(data).close()
    monkeypatch.setenv(KEY_FILE_ENV, str(data.parent / "missing.key"))
    with pytest.raises(KeyProblem, match="文件不存在"):
        open_store(data)


def test_the_key_from_a_command_like_a_kms_client(data, monkeypatch):
    moved = data.parent / "vault.key"
    (data / "secret.key").rename(moved)
    monkeypatch.setenv(KEY_COMMAND_ENV, f"{sys.executable} -c \"print(open('{moved}').read())\"")
    open_store(data).close()
    monkeypatch.setenv(KEY_COMMAND_ENV, f"{sys.executable} -c \"import sys; sys.stderr.write('s3cret'); sys.exit(3)\"")
    with pytest.raises(KeyProblem) as refused:
        open_store(data)
    assert "退出码 3" in str(refused.value) and "s3cret" not in str(refused.value)


def test_a_malformed_key_names_its_source(data, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "too-short")
    with pytest.raises(KeyProblem, match="环境变量 SUBSIDY_KEY"):
        open_store(data)


def test_a_store_made_before_fingerprints_is_checked_against_its_data(data, monkeypatch):
    store = open_store(data)
    with store.session() as session:
        session.execute(delete(StoreKey))
        session.commit()
    store.close()
    right = (data / "secret.key").read_text()
    monkeypatch.setenv(KEY_ENV, encode(new_secret()))
    with pytest.raises(KeyProblem, match="解不开"):
        open_store(data)
    monkeypatch.setenv(KEY_ENV, right.strip())
    store = open_store(data)
    with store.session() as session:
        assert session.get(StoreKey, 1).fingerprint == fingerprint(store.key.secret)
    store.close()


def test_an_unfinished_rotation_stops_every_other_opening(data):
    store = open_store(data)
    with store.session() as session:
        session.execute(update(StoreKey).values(next_fingerprint="ab" * 32))
        session.commit()
    store.close()
    with pytest.raises(KeyProblem, match="轮换尚未完成"):
        open_store(data)
    open_store(data, during_rotation=True).close()


def test_environment_cleared_between_tests():
    assert not any(os.environ.get(n) for n in (KEY_ENV, KEY_FILE_ENV, KEY_COMMAND_ENV))
