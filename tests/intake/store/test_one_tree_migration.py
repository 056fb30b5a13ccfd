"""One migration tree for the whole database (0009): a database made when the store and the service had a
history each (alembic_version and service_alembic_version) upgrades without loss, and a new one is made whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from intake.store.db import LEGACY_SERVICE_VERSIONS, MIGRATIONS, alembic_config, make_engine, open_store

SERVICE_REVISIONS = ("s0001_users_jobs_publicity.py", "s0002_review.py", "s0003_sessions_logins.py")
# The service's own environment as it was before the one tree: same scripts, its own version table.
LEGACY_ENV = f'''
from alembic import context

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None, version_table="{LEGACY_SERVICE_VERSIONS}")
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
'''


def make_two_tree_database(url: str, tmp_path, store_revision: str) -> None:
    """The store's line up to `store_revision`, the service's tables at s0003 under their own version table,
    each with a row in it: what a deployment of the previous release holds."""
    engine = make_engine(url)
    if engine.url.database and url.startswith("sqlite"):
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(engine), store_revision)
    legacy = tmp_path / "legacy_service_migrations"
    (legacy / "versions").mkdir(parents=True)
    (legacy / "env.py").write_text(LEGACY_ENV, encoding="utf-8")
    for name in SERVICE_REVISIONS:
        shutil.copy(MIGRATIONS / "versions" / name, legacy / "versions" / name)
    config = Config()
    config.set_main_option("script_location", str(legacy))
    config.attributes["engine"] = engine
    command.upgrade(config, "s0003")
    with engine.begin() as c:
        c.execute(text("INSERT INTO batches (name, status, created_at) VALUES ('旧批次', 'draft', '2020-10-01')"))
        c.execute(text("INSERT INTO users (name, role, password_hash, active, created_at) "
                       "VALUES ('老审核员', 'reviewer', 'x', true, '2020-10-01')"))
    engine.dispose()


# The newest revision; 0009 joined the store's and the service's trees, later ones build on it.
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def versions(url: str) -> tuple[set[str], bool]:
    engine = make_engine(url)
    with engine.connect() as conn:
        heads = set(MigrationContext.configure(conn).get_current_heads())
        legacy = inspect(conn).has_table(LEGACY_SERVICE_VERSIONS)
    engine.dispose()
    return heads, legacy


def test_the_tree_has_one_head_and_holds_the_service_tables():
    scripts = ScriptDirectory(str(MIGRATIONS))
    assert scripts.get_heads() == [HEAD]
    assert {"s0001", "s0002", "s0003", "0008", "0009"} <= {r.revision for r in scripts.walk_revisions()}


@pytest.mark.parametrize("store_revision", ["0008", "0007"])
def test_a_database_of_both_trees_upgrades_to_the_one_tree_without_loss(db_url, tmp_path, store_revision):
    make_two_tree_database(db_url, tmp_path, store_revision)
    assert versions(db_url) == ({store_revision}, True)
    store = open_store(tmp_path / "data", db_url)
    with store.engine.connect() as c:
        assert c.execute(text("SELECT name FROM batches")).scalars().all() == ["旧批次"]
        assert c.execute(text("SELECT name, role FROM users")).all() == [("老审核员", "reviewer")]
        assert "transform" in {col["name"] for col in inspect(c).get_columns("pages")}  # 0008 ran if it was due
    store.close()
    assert versions(db_url) == ({HEAD}, False)
    open_store(tmp_path / "data", db_url).close()  # opening again changes nothing
    assert versions(db_url) == ({HEAD}, False)


def test_a_new_database_gets_every_table_from_the_one_tree(db_url, tmp_path):
    store = open_store(tmp_path / "data", db_url)
    tables = set(inspect(store.engine).get_table_names())
    store.close()
    assert {"batches", "claims", "users", "jobs", "review_claims", "web_sessions"} <= tables, tables
    assert versions(db_url) == ({HEAD}, False)

