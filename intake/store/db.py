"""Engine and sessions for the records store, from one URL.

SQLite inside the data folder is the embedded default; PostgreSQL (or anything SQLAlchemy speaks) is
chosen by SUBSIDY_DATABASE_URL. The schema is brought to the newest migration whenever the store is
opened, so a fresh data folder just works and an old one is upgraded in place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from intake.store import audit
from intake.store.crypto import FieldCipher, cipher_for

URL_ENV = "SUBSIDY_DATABASE_URL"
DB_FILE = "subsidy.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(data_dir: Path, url: str | None = None) -> str:
    """The explicit URL, else $SUBSIDY_DATABASE_URL, else SQLite in the data folder."""
    return url or os.environ.get(URL_ENV) or f"sqlite:///{(data_dir / DB_FILE).resolve()}"


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys are off by default in SQLite; WAL lets the web app read while a job writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(url_or_engine: str | Engine) -> None:
    """Apply every migration not yet applied (programmatically, no alembic.ini needed)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    if engine.dialect.name == "sqlite" and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(engine), "head")


@dataclass
class Store:
    """What a command needs to work with the records: the data folder, sessions and the field cipher."""

    data_dir: Path
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: FieldCipher

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path, url: str | None = None, migrate: bool = True) -> Store:
    """Open (and create or upgrade) the store of a data folder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    audit.install()  # decisions and corrections get their audit-chain hash on every insert path
    engine = make_engine(database_url(data_dir, url))
    if migrate:
        upgrade_to_head(engine)
    cipher = cipher_for(data_dir)
    # The cipher rides on every session (session.info) so that store functions need only the session.
    sessions = sessionmaker(engine, expire_on_commit=False, info={"cipher": cipher, "data_dir": data_dir})
    return Store(data_dir, engine, sessions, cipher)


def cipher_of(session: Session) -> FieldCipher:
    try:
        return session.info["cipher"]
    except KeyError:
        raise RuntimeError("session was not opened by intake.store.db.open_store (no field cipher)") from None
