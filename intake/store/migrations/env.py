"""Alembic environment of the whole database's one migration tree: runs on the engine handed over by
intake.store.db (no alembic.ini, no URL here).

The tree holds the service's tables too (revisions s0001-s0003 and on): their models are the service's
(service/models.py, which intake may not import), their migrations are here because the database has one
history. Comparisons (autogenerate, check) see the store's metadata and whatever more the caller hands in
as config.attributes["metadata"] (the service passes its own), and only the tables those hold."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from intake.store.models import Base

config = context.config
target_metadata = [Base.metadata, *config.attributes.get("metadata", [])]


# The archive's full-text index is made per dialect by raw SQL (an FTS5 virtual table and its shadow tables
# on SQLite, a tsvector table on PostgreSQL): not in the metadata, so it is left out of comparisons.
UNMAPPED_PREFIXES = ("archive_fts",)


def include_name(name: str | None, type_: str, _parents: dict) -> bool:
    if type_ != "table" or name is None:
        return True
    return not name.startswith(UNMAPPED_PREFIXES) and any(name in m.tables for m in target_metadata)


def run_migrations() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
        context.configure(connection=connection, target_metadata=target_metadata, include_name=include_name,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
