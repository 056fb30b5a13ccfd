"""The service's view of the store: the records store opened as intake does. The service's own tables are
migrated with the rest of the database (one tree: intake/store/migrations).

One Store per process (the web app holds one; a job opens its own in the worker process, since engines
and connections must not cross a fork).
"""

from __future__ import annotations

from intake.store.db import Store, open_store
from service.settings import Settings


def open_service_store(settings: Settings, migrate: bool = True) -> Store:
    """The store of the settings' data folder and database, migrated (the service's tables with the rest)."""
    return open_store(settings.data_dir, settings.database_url, migrate=migrate)
