"""Engine and sessions for the records store, from one URL.

SQLite inside the data folder is the embedded default; PostgreSQL (or anything SQLAlchemy speaks) is
chosen by SUBSIDY_DATABASE_URL. The schema is brought to the newest migration whenever the store is
opened, so a fresh data folder just works and an old one is upgraded in place.

Opening checks the key first (keys.py): a wrong or missing key is refused before any migration or row is
written. The data folder is made private (0700) and the SQLite file is created 0600 before SQLite opens
it, because SQLite gives its -wal and -shm files the mode of the database file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, inspect, make_url, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from intake.store import audit
from intake.store.crypto import FieldCipher
from intake.store.keys import Key, KeyProblem, check_key, find_key, key_for_new_store, short
from intake.store.models import StoreKey, Trainee, utcnow

URL_ENV = "SUBSIDY_DATABASE_URL"
DB_FILE = "subsidy.db"
MIGRATIONS = Path(__file__).with_name("migrations")
# The service's tables' own version table, before the whole database had one migration tree (0009).
LEGACY_SERVICE_VERSIONS = "service_alembic_version"
DURING_ROTATION, WROTE = "during_rotation", "wrote"


def database_url(data_dir: Path, url: str | None = None) -> str:
    """The explicit URL, else $SUBSIDY_DATABASE_URL, else SQLite in the data folder."""
    return url or os.environ.get(URL_ENV) or f"sqlite:///{(data_dir / DB_FILE).resolve()}"


def make_private(path: Path) -> None:
    """Owner-only permissions on a data file or folder that exists (group and others lose every bit)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    private = mode & (0o700 if path.is_dir() else 0o600)
    if mode != private:
        path.chmod(private)


def prepare_data_dir(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(data_dir)


def prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file 0600 (an empty file is an empty database) and tighten an old one and its
    -wal and -shm files, before SQLite opens it."""
    engine_url = make_url(url)
    if engine_url.get_backend_name() != "sqlite" or engine_url.database in (None, "", ":memory:"):
        return
    path = Path(engine_url.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(path.with_name(path.name + suffix))


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


def alembic_config(engine: Engine, cipher: FieldCipher | None = None) -> Config:
    """Migrations run on this engine; those that convert existing rows to sealed form get the cipher."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    config.attributes["cipher"] = cipher
    return config


def upgrade_to_head(url_or_engine: str | Engine, cipher: FieldCipher | None = None) -> None:
    """Apply every migration not yet applied (programmatically, no alembic.ini needed)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    if engine.dialect.name == "sqlite" and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    adopt_service_history(engine)
    command.upgrade(alembic_config(engine, cipher), "head")


def adopt_service_history(engine: Engine) -> None:
    """A database made when the service's tables had a migration history of their own (version table
    service_alembic_version): their revisions are now in this tree under the same ids, so the service's
    version joins the store's in alembic_version and nothing is created twice. Idempotent: stamping the
    versions already there changes nothing, so an adoption cut short is simply done again."""
    if not inspect(engine).has_table(LEGACY_SERVICE_VERSIONS):
        return
    with engine.connect() as conn:
        service = [row[0] for row in conn.execute(text(f"SELECT version_num FROM {LEGACY_SERVICE_VERSIONS}"))]
        store = list(MigrationContext.configure(conn).get_current_heads())
    command.stamp(alembic_config(engine), sorted(set(store) | set(service)))
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {LEGACY_SERVICE_VERSIONS}"))


@dataclass
class Store:
    """What a command needs to work with the records: the data folder, sessions and the field cipher."""

    data_dir: Path
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: FieldCipher
    key: Key

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path, url: str | None = None, migrate: bool = True, *,
               during_rotation: bool = False) -> Store:
    """Open (and create or upgrade) the store of a data folder with its key; KeyProblem, before anything is
    written, when the key is wrong or missing, or while a key rotation is unfinished (unless
    `during_rotation`: the rotation itself)."""
    prepare_data_dir(data_dir)
    audit.install()  # decisions and corrections get their audit-chain hash on every insert path
    url = database_url(data_dir, url)
    prepare_sqlite_file(url)
    engine = make_engine(url)
    try:
        key = _store_key(engine, data_dir, during_rotation)
        if migrate:
            upgrade_to_head(engine, FieldCipher(key.secret))
        _record_fingerprint(engine, key, data_dir)
    except BaseException:
        engine.dispose()
        raise
    cipher = FieldCipher(key.secret)
    # The cipher rides on every session (session.info) so that store functions need only the session.
    sessions = sessionmaker(engine, expire_on_commit=False,
                            info={"cipher": cipher, "data_dir": data_dir, DURING_ROTATION: during_rotation})
    event.listen(sessions, "after_flush", _note_write)
    event.listen(sessions, "before_commit", _refuse_writes_during_rotation)
    return Store(data_dir, engine, sessions, cipher, key)


def _note_write(session: Session, _context: object) -> None:
    session.info[WROTE] = True


def _refuse_writes_during_rotation(session: Session) -> None:
    """A process that opened the store before a key rotation began (a running web service) must not commit
    rows sealed with the old key into a store being moved to the new one."""
    wrote = session.info.pop(WROTE, False) or session.new or session.dirty or session.deleted
    if not wrote or session.info.get(DURING_ROTATION):
        return
    if session.scalar(select(StoreKey.next_fingerprint).where(StoreKey.id == 1)):
        raise KeyProblem("密钥轮换进行中，暂不能写入；请在 subsidy key rotate 完成后重试 (key rotation in progress)")


def recorded_key(engine: Engine) -> StoreKey | None:
    """The store's key row; None for a new store or one made before fingerprints were kept."""
    if not inspect(engine).has_table(StoreKey.__tablename__):
        return None
    with Session(engine) as session:
        return session.scalar(select(StoreKey).order_by(StoreKey.id).limit(1))


def _store_key(engine: Engine, data_dir: Path, during_rotation: bool) -> Key:
    """The key this store must be opened with: checked against the recorded fingerprint, or, in a store made
    before fingerprints were kept, against a sealed value; a new key only for a store that holds nothing."""
    recorded = recorded_key(engine)
    if recorded is not None:
        key = check_key(find_key(data_dir), recorded.fingerprint, data_dir)
        if recorded.next_fingerprint and not during_rotation:
            raise KeyProblem(f"数据目录 {data_dir} 的密钥轮换尚未完成（新密钥指纹 "
                             f"{short(recorded.next_fingerprint)}）：请先运行 subsidy key rotate 把它做完。"
                             f"未做任何改动。(key rotation unfinished)")
        return key
    sample = _sealed_sample(engine)
    if sample is None:
        return key_for_new_store(data_dir)
    key = find_key(data_dir)
    if key is None:
        raise KeyProblem(f"找不到数据目录 {data_dir} 的密钥，而库中已有加密数据。请用环境变量 SUBSIDY_KEY、"
                         f"SUBSIDY_KEY_FILE 或 SUBSIDY_KEY_COMMAND 提供密钥。未做任何改动。(no key found)")
    try:
        FieldCipher(key.secret).open(sample, "trainee.id_number")
    except KeyProblem:
        raise KeyProblem(f"密钥不符：{key.where}的密钥解不开数据目录 {data_dir} 中已存的数据。"
                         f"请提供正确的密钥；未做任何改动。(wrong key; nothing was changed)") from None
    return key


def _sealed_sample(engine: Engine) -> bytes | None:
    """One sealed value of a store made before fingerprints were kept, to try a key on."""
    if not inspect(engine).has_table(Trainee.__tablename__):
        return None
    with Session(engine) as session:
        return session.scalar(select(Trainee.id_number_enc).where(Trainee.id_number_enc.is_not(None)).limit(1))


def _record_fingerprint(engine: Engine, key: Key, data_dir: Path) -> None:
    """Keep the key's fingerprint beside the data the first time the store is opened with it."""
    if not inspect(engine).has_table(StoreKey.__tablename__):
        return  # opened without migrating, before revision 0003
    with Session(engine) as session:
        if session.scalar(select(StoreKey.id).limit(1)) is not None:
            return
        session.add(StoreKey(id=1, fingerprint=key.fingerprint, set_at=utcnow(), rotation={}))
        try:
            session.commit()
        except IntegrityError:  # another process opening the same new store was first: it must be our key
            session.rollback()
            check_key(key, recorded_key(engine).fingerprint, data_dir)


def cipher_of(session: Session) -> FieldCipher:
    try:
        return session.info["cipher"]
    except KeyError:
        raise RuntimeError("session was not opened by intake.store.db.open_store (no field cipher)") from None
