"""A records store for each test: SQLite in tmp_path, and the same tests on PostgreSQL when
SUBSIDY_TEST_POSTGRES_URL names a server (CI starts one); skipped otherwise."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from intake.store.db import URL_ENV, open_store
from intake.store.keys import KEY_ENV

POSTGRES_ENV = "SUBSIDY_TEST_POSTGRES_URL"


def _fresh_postgres(url: str) -> None:
    """An empty public schema, so each test starts from nothing and runs the migrations itself."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# The PostgreSQL runs are the slow tier's (a server); SQLite runs in both.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def db_url(request, tmp_path, monkeypatch):
    """The database URL for one test; the environment is cleared of the user's own settings."""
    monkeypatch.delenv(URL_ENV, raising=False)
    monkeypatch.delenv(KEY_ENV, raising=False)
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'subsidy.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} not set")
    _fresh_postgres(url)
    return url


@pytest.fixture
def store(db_url, tmp_path):
    opened = open_store(tmp_path / "data", db_url)
    yield opened
    opened.close()


@pytest.fixture
def session(store):
    with store.session() as s:
        yield s
