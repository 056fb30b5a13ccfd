"""The service's tables in the database's one migration tree (intake/store/migrations)."""

from __future__ import annotations

from alembic import command

from intake.store.db import alembic_config, open_store


def test_the_service_tables_migrations_match_their_models(tmp_path, monkeypatch):
    """The service's models are checked against the one tree as the store's are (test_db.py)."""
    from service.models import ServiceBase

    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    monkeypatch.delenv("SUBSIDY_KEY", raising=False)
    store = open_store(tmp_path / "data")
    config = alembic_config(store.engine)
    config.attributes["metadata"] = [ServiceBase.metadata]
    command.check(config)  # raises when models and migrations disagree
    store.close()
