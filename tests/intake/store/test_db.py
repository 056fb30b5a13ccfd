from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from intake.store.db import alembic_config, database_url, open_store, upgrade_to_head


def test_fresh_data_folder_gets_the_whole_schema(store):
    tables = set(inspect(store.engine).get_table_names())
    assert {"institutions", "employers", "training_classes", "batches", "uploads", "bundles", "pages", "trainees",
            "certificates", "claims", "decisions", "corrections", "prior_claims", "access_log",
            "alembic_version"} <= tables


def test_migrations_match_the_models(store):
    command.check(alembic_config(store.engine))  # raises when models and migrations disagree


def test_reopening_is_harmless(store, db_url, tmp_path):
    upgrade_to_head(db_url)
    again = open_store(tmp_path / "data", db_url)
    with again.engine.connect() as c:
        head = ScriptDirectory.from_config(alembic_config(again.engine)).get_current_head()
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    again.close()


def test_sqlite_pragmas(tmp_path, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    s = open_store(tmp_path)
    with s.engine.connect() as c:
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    s.close()
    assert (tmp_path / "subsidy.db").exists()


def test_url_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("SUBSIDY_DATABASE_URL", "postgresql+psycopg://x@localhost/y")
    assert database_url(tmp_path) == "postgresql+psycopg://x@localhost/y"
    monkeypatch.delenv("SUBSIDY_DATABASE_URL")
    assert database_url(tmp_path).endswith("subsidy.db")
