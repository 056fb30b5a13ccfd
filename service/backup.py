"""`subsidy backup` and `subsidy restore`: the whole data folder, taken while the service runs, and put back
into an empty folder, checked before it is called restored.

What a backup holds: the database as one consistent snapshot (SQLite's online backup API, page by page
while others go on reading and writing; `pg_dump` in its custom format on PostgreSQL), then the files the
snapshot refers to: originals, archived and generated documents. The snapshot comes first, so every file
it names exists already (originals are only ever added); a file added after it is just not referred to.
Not in it: the key (kept apart from the data, on purpose: a stolen backup must open nothing; its
fingerprint is in the manifest, so a restore refuses another key before it writes anything), the
session key (everyone logs in again), the job queue (the watchdog queues unfinished jobs again), work
and temporary files. Everything written is 0600 in 0700 folders; manifest.json lists every file with its
SHA-256, and the row counts of the main tables.

A restore refuses a target that is not empty, checks the key, writes the database and the files, then
opens the store as any command would and checks: the database's own integrity check (SQLite), every file
against the manifest, every original and archived document against its recorded SHA-256, the audit chains,
and the row counts.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, make_url, select, text

from intake.store.db import DB_FILE, Store, database_url, open_store
from intake.store.keys import check_key, find_key, read_key_file, short
from intake.store.models import AccessLog, Batch, Claim, Correction, Decision, Trainee, Upload, utcnow
from intake.store.uploads import sha256_of

MANIFEST = "manifest.json"
FORMAT = "subsidy-backup/1"
FOLDERS = ("originals", "archive", "generated")
COUNTED = (Batch, Trainee, Claim, Decision, Correction, Upload, AccessLog)
SQLITE_SNAPSHOT = "database/subsidy.db"
PG_DUMP = "database/subsidy.pgdump"


class BackupProblem(Exception):
    """A backup or restore that cannot be done as asked; the message is for the admin (Chinese)."""


@dataclass
class Restored:
    files: int
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def _copy_private(source: Path, target: Path) -> None:
    _private_dir(target.parent)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


def _counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {cls.__tablename__: session.scalar(select(func.count()).select_from(cls)) or 0 for cls in COUNTED}


def _snapshot_counts(snapshot: Path) -> dict[str, int]:
    copy = sqlite3.connect(snapshot)
    try:
        return {cls.__tablename__: copy.execute(f"SELECT count(*) FROM {cls.__tablename__}").fetchone()[0]
                for cls in COUNTED}
    finally:
        copy.close()


def _data_files(data_dir: Path) -> list[Path]:
    files = []
    for folder in FOLDERS:
        root = data_dir / folder
        if root.exists():
            files += [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")]
    return sorted(files)


# --- backup -------------------------------------------------------------------------------------

def backup(data_dir: Path, out_dir: Path, url: str | None = None) -> Path:
    """A backup of the data folder under out_dir/subsidy-backup-<UTC time>/; returns its path."""
    store = open_store(data_dir, url)  # the key is checked: a backup is of a store this key opens
    try:
        target = out_dir / f"subsidy-backup-{utcnow():%Y%m%dT%H%M%S}"
        if target.exists():
            raise BackupProblem(f"{target} 已存在 (exists)")
        work = out_dir / f".{target.name}.tmp"
        shutil.rmtree(work, ignore_errors=True)
        _private_dir(work)
        try:
            database = _snapshot(store, work)
            # The counts of what was taken: the snapshot's own for SQLite (the service may write on meanwhile
            # and a live count would not match the restore); the database's just after the dump otherwise.
            counts = _snapshot_counts(work / database) if database == SQLITE_SNAPSHOT else _counts(store)
            files = {}
            for path in _data_files(store.data_dir):
                relative = path.relative_to(store.data_dir).as_posix()
                _copy_private(path, work / "files" / relative)
                files[relative] = sha256_of(work / "files" / relative)
            manifest = {"format": FORMAT, "created_at": utcnow().isoformat(timespec="seconds"),
                        "backend": store.engine.dialect.name, "key_fingerprint": store.key.fingerprint,
                        "database": database, "database_sha256": sha256_of(work / database),
                        "counts": counts, "files": files}
            fd = os.open(work / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(manifest, fh, ensure_ascii=False, indent=2)
            work.rename(target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    finally:
        store.close()
    return target


def _snapshot(store: Store, work: Path) -> str:
    """The database into the backup: SQLite's online backup, or pg_dump. Returns its path in the backup."""
    if store.engine.dialect.name == "sqlite":
        target = work / SQLITE_SNAPSHOT
        _private_dir(target.parent)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        source = sqlite3.connect(store.engine.url.database, timeout=30)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, pages=1024)  # in steps: writers are held up for one step at a time only
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
            source.close()
        return SQLITE_SNAPSHOT
    if store.engine.dialect.name == "postgresql":
        target = work / PG_DUMP
        _private_dir(target.parent)
        _pg(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)], store.engine.url)
        target.chmod(0o600)
        return PG_DUMP
    raise BackupProblem(f"不支持备份 {store.engine.dialect.name} 数据库 (only SQLite and PostgreSQL)")


def _pg(command: list[str], url) -> None:  # type: ignore[no-untyped-def]
    """Run a PostgreSQL client with the URL's connection; the password through the environment only."""
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    if shutil.which(command[0]) is None:
        raise BackupProblem(f"找不到 {command[0]}：请安装 PostgreSQL 客户端 (postgresql-client)")
    done = subprocess.run([*command, "--dbname", plain], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupProblem(f"{command[0]} 失败：{done.stderr.strip()[-500:]}")


# --- restore ------------------------------------------------------------------------------------

def restore(backup_dir: Path, data_dir: Path, url: str | None = None, key_file: Path | None = None) -> Restored:
    """Put a backup into an empty data folder (and an empty database, on PostgreSQL) and check it."""
    manifest = _manifest(backup_dir)
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupProblem(f"{data_dir} 不是空目录：恢复只写入空的数据目录 (target not empty: nothing written)")
    key = read_key_file(key_file, f"密钥文件 {key_file}") if key_file else find_key(data_dir)
    check_key(key, manifest["key_fingerprint"], backup_dir)
    target_url = database_url(data_dir, url)
    backend = make_url(target_url).get_backend_name()
    if backend != manifest["backend"]:
        raise BackupProblem(f"备份是 {manifest['backend']} 数据库，目标是 {backend} (backends differ)")
    _check_backup_files(backup_dir, manifest)
    _private_dir(data_dir)
    if key_file is not None:
        _copy_private(key_file, data_dir / "secret.key")
    if backend == "sqlite":
        _copy_private(backup_dir / manifest["database"], Path(make_url(target_url).database or data_dir / DB_FILE))
    else:
        _restore_postgres(backup_dir / manifest["database"], target_url)
    for relative in manifest["files"]:
        _copy_private(backup_dir / "files" / relative, data_dir / relative)
    return verify_restored(data_dir, manifest, url)


def _manifest(backup_dir: Path) -> dict:
    try:
        manifest = json.loads((backup_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupProblem(f"{backup_dir}: 不是备份（没有可读的 {MANIFEST}） (not a backup)") from None
    if manifest.get("format") != FORMAT:
        raise BackupProblem(f"{backup_dir}: 不认识的备份格式 {manifest.get('format')!r}")
    return manifest


def _check_backup_files(backup_dir: Path, manifest: dict) -> None:
    """Every file of the backup as the manifest says, before anything is written."""
    wrong = [name for name, digest in manifest["files"].items()
             if not (backup_dir / "files" / name).is_file() or sha256_of(backup_dir / "files" / name) != digest]
    database = backup_dir / manifest["database"]
    if not database.is_file() or sha256_of(database) != manifest["database_sha256"]:
        wrong.insert(0, manifest["database"])
    if wrong:
        raise BackupProblem(f"{backup_dir}: 备份中 {len(wrong)} 个文件缺失或与清单不符，未恢复 (backup damaged): "
                            + "、".join(wrong[:5]))


def _restore_postgres(dump: Path, url: str) -> None:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        if inspect(engine).get_table_names():
            raise BackupProblem("目标 PostgreSQL 数据库不是空的：恢复只写入空的数据库 (target database not empty)")
    finally:
        engine.dispose()
    _pg(["pg_restore", "--no-owner", "--exit-on-error", str(dump)], make_url(url))


def verify_restored(data_dir: Path, manifest: dict, url: str | None = None) -> Restored:
    from intake.store.archive import verify_stored
    from intake.store.audit import verify_chain
    from service import models  # noqa: F401  (registers the service's chained security events)

    store = open_store(data_dir, url)
    try:
        problems = []
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as connection:
                result = connection.execute(text("PRAGMA integrity_check")).scalar()
                if result != "ok":
                    problems.append(f"SQLite integrity_check: {result}")
        problems += [name for name, digest in manifest["files"].items()
                     if sha256_of(data_dir / name) != digest]
        with store.session() as session:
            problems += [str(p) for p in verify_stored(session, data_dir)[2]]
            problems += [f"审计链 (audit chain) {p}" for p in verify_chain(session)]
        counts = _counts(store)
        problems += [f"{table}: 备份时 {n} 行，恢复后 {counts.get(table)} 行" for table, n in manifest["counts"].items()
                     if counts.get(table) != n]
    finally:
        store.close()
    return Restored(len(manifest["files"]), counts, problems)


def describe(manifest_dir: Path) -> str:
    manifest = _manifest(manifest_dir)
    return (f"{manifest['created_at']} {manifest['backend']}，密钥指纹 {short(manifest['key_fingerprint'])}，"
            f"{len(manifest['files'])} 个文件，" + "，".join(f"{t} {n}" for t, n in manifest["counts"].items()))
