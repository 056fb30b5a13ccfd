"""For every test: no key from the environment of whoever runs the suite (each data folder gets its own);
passwords hashed with cheap argon2 parameters, and new SQLite stores started from one migrated copy, so the
fast tier pays neither argon2's deliberate cost nor the whole migration history once per test."""

from __future__ import annotations

import sqlite3

import pytest
from argon2 import PasswordHasher
from sqlalchemy import inspect

from intake.store import db
from intake.store.keys import KEY_ENVIRONMENT
from service import security


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, at its smallest cost: the tests check who may log in, not how hard a hash is to crack
    (a hash carries its parameters, so verifying works the same)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(security, "_hasher", cheap)
    monkeypatch.setattr(security, "_DUMMY_HASH", cheap.hash("not a password of anyone"))


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty SQLite database at the head of the one migration tree, made once per run."""
    path = tmp_path_factory.mktemp("template") / "head.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade_to_head(engine)
    engine.dispose()
    return str(path)


@pytest.fixture(autouse=True)
def _new_sqlite_stores_from_the_template(monkeypatch: pytest.MonkeyPatch, _migrated_sqlite: str) -> None:
    """A new, empty SQLite store gets the migrated template's pages (SQLite's backup API) before the migrations
    run, which then find nothing to do. A store that holds any table (an older revision a migration test made)
    is migrated as always."""
    upgrade = db.upgrade_to_head

    def from_template(url_or_engine, cipher=None):  # type: ignore[no-untyped-def]
        engine = url_or_engine if not isinstance(url_or_engine, str) else db.make_engine(url_or_engine)
        if engine.dialect.name == "sqlite" and engine.url.database and not inspect(engine).get_table_names():
            template = sqlite3.connect(_migrated_sqlite)
            try:
                with engine.connect() as connection:
                    template.backup(connection.connection.dbapi_connection)
            finally:
                template.close()
        upgrade(engine, cipher)

    monkeypatch.setattr(db, "upgrade_to_head", from_template)
