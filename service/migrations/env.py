"""Alembic environment of the service's own tables (users, jobs, publicity), kept apart from the store's
history by its own version table, on the engine handed over by service.db."""

from __future__ import annotations

from alembic import context

from service.models import ServiceBase

VERSION_TABLE = "service_alembic_version"


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=ServiceBase.metadata, version_table=VERSION_TABLE,
                          render_as_batch=connection.dialect.name == "sqlite",
                          include_name=lambda name, type_, _parent: type_ != "table"
                          or name in ServiceBase.metadata.tables)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
