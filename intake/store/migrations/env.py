"""Alembic environment: runs on the engine handed over by intake.store.db (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from intake.store.models import Base

config = context.config
target_metadata = Base.metadata


# The archive's full-text index is made per dialect by raw SQL (an FTS5 virtual table and its shadow tables
# on SQLite, a tsvector table on PostgreSQL): not in the metadata, so it is left out of comparisons.
UNMAPPED_PREFIXES = ("archive_fts",)


def include_name(name: str | None, type_: str, _parents: dict) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(UNMAPPED_PREFIXES))


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
