"""The service's view of the store: the records store opened as intake does, plus the service's tables.

One Store per process (the web app holds one; a job opens its own in the worker process, since engines
and connections must not cross a fork).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from intake.store.db import Store, open_store
from service.settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def upgrade_service_tables(store: Store) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = store.engine
    command.upgrade(config, "head")


def open_service_store(settings: Settings, migrate: bool = True) -> Store:
    """The records store (migrated) with the service's tables (migrated too)."""
    store = open_store(settings.data_dir, settings.database_url, migrate=migrate)
    if migrate:
        upgrade_service_tables(store)
    return store
