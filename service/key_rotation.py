"""`subsidy key rotate`: everything sealed or keyed-hashed under the store's key, moved to a new key in one
resumable job.

What moves: every sealed column (ID, phone and certificate numbers, sealed corrections, the review form's
witnesses), every keyed hash computed from them (trainees and ledger rows are found by these, so they are
recomputed from the opened values), the archive index with its full-text tokens (rebuilt), and the audit
chains (their MACs are keyed: checked under the old key before anything moves, recomputed under the new
key at the end).

How it resumes: the store's key row (`store_key`) names the new key's fingerprint from the start, and the
progress of each step (the last row id done) is committed with each chunk of rows, in the same
transaction as the rows themselves; running `subsidy key rotate` again picks up where it stopped. Until it
is finished, every other command refuses to open the store, so no row is written under either key half way.

Where the new key is: given with --new-key-file (a KMS or vault puts it there), else made in
`<data>/secret.key.next` (0600). At the end the store records the new fingerprint; when the old key was the
default file, it is kept as `secret.key.old-<fingerprint>` for old backups and the new one takes its place.
A key given by environment variable or command must then be changed by whoever set it: the store says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, inspect, select, update
from sqlalchemy.orm import Session

from intake.ledger import row_fingerprint
from intake.store import audit
from intake.store.bundles import DOCUMENTS_LABEL, PAGE_TEXT_LABEL
from intake.store.crypto import FieldCipher
from intake.store.db import Store, open_store, recorded_key
from intake.store.keys import Key, default_key_file, find_key, new_secret, read_key_file, short, write_key_file
from intake.store.models import (
    AccessLog,
    ArchivedBatch,
    Bundle,
    Certificate,
    Correction,
    Page,
    PriorClaim,
    StoreKey,
    Trainee,
    utcnow,
)
from intake.store.personal import reseal_personal
from intake.store.vault import reseal_file, sealed_files
from service.models import LoginFailure, ReviewFile
from service.review.evidence import LABEL as EVIDENCE_LABEL

NEXT_KEY_FILE = "secret.key.next"
SEALED_FOLDERS = ("archive", "generated")  # where sealed documents are kept (vault.py)
CHUNK = 500


class RotationProblem(Exception):
    """The rotation cannot start or go on as asked (message in Chinese, for the admin)."""


@dataclass
class Ciphers:
    old: FieldCipher
    new: FieldCipher


@dataclass
class RotationReport:
    old_fingerprint: str
    new_fingerprint: str
    rows: dict[str, int] = field(default_factory=dict)
    resumed: bool = False
    notes: list[str] = field(default_factory=list)


# --- the steps: each re-seals and re-hashes one table's rows with id > after, CHUNK at a time ----------

# A step returns the last id it did (None when nothing was left) and how many rows that was.
Step = Callable[[Session, Ciphers, int], tuple[int | None, int]]


def _done(rows: list[Any]) -> tuple[int | None, int]:
    return (rows[-1].id, len(rows)) if rows else (None, 0)


def _rows(session: Session, table: Table, after: int) -> list[Any]:
    return list(session.execute(select(table).where(table.c.id > after).order_by(table.c.id).limit(CHUNK)))


def _reseal(c: Ciphers, token: bytes | None, label: str) -> bytes | None:
    return c.new.seal(c.old.open(token, label), label) if token else token


def _trainees(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    table = Trainee.__table__
    rows = _rows(session, table, after)
    for row in rows:
        number = c.old.open(row.id_number_enc, "trainee.id_number")
        phone = c.old.open(row.phone_enc, "trainee.phone")
        values: dict[str, Any] = {"phone_enc": c.new.seal(phone, "trainee.phone") if phone else row.phone_enc,
                                  "phone_hash": c.new.phone_hash(phone) if phone else None}
        if number:  # a disposed trainee's number is gone: its old hash now matches nothing, as intended
            values |= {"id_hash": c.new.id_hash(number), "id_number_enc": c.new.seal(number, "trainee.id_number")}
        session.execute(update(table).where(table.c.id == row.id).values(**values))
    return _done(rows)


def _certificates(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    table = Certificate.__table__
    rows = _rows(session, table, after)
    for row in rows:
        number = c.old.open(row.certificate_no_enc, "certificate.certificate_no")
        if number:
            session.execute(update(table).where(table.c.id == row.id).values(
                certificate_no_hash=c.new.keyed_hash(number),
                certificate_no_enc=c.new.seal(number, "certificate.certificate_no")))
    return _done(rows)


def _prior_claims(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    table = PriorClaim.__table__
    rows = _rows(session, table, after)
    for row in rows:
        number = c.old.open(row.id_number_enc, "prior_claim.id_number")
        certificate_no = c.old.open(row.certificate_no_enc, "prior_claim.certificate_no") or ""
        if not number:
            continue
        id_hash = c.new.id_hash(number)
        session.execute(update(table).where(table.c.id == row.id).values(
            id_hash=id_hash, id_number_enc=c.new.seal(number, "prior_claim.id_number"),
            certificate_no_enc=c.new.seal(certificate_no, "prior_claim.certificate_no"),
            fingerprint=row_fingerprint(id_hash, row.profession, row.claim_date, certificate_no)))
    return _done(rows)


def _access_log(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    """The log names whose number was seen by its keyed hash: the trainee's new one (trainees went first)."""
    table = AccessLog.__table__
    rows = _rows(session, table, after)
    hashes = dict(session.execute(select(Trainee.id, Trainee.id_hash)
                                  .where(Trainee.id.in_({r.trainee_id for r in rows if r.trainee_id}))).all())
    for row in rows:
        if row.trainee_id in hashes:
            session.execute(update(table).where(table.c.id == row.id).values(id_hash=hashes[row.trainee_id]))
    return _done(rows)


def _corrections(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    """Sealed corrections (ID and phone values); the table is append-only for the ORM, so Core updates it,
    and its audit chain is recomputed at the end."""
    table = Correction.__table__
    rows = _rows(session, table, after)
    for row in rows:
        if row.sealed:
            label = f"correction.{row.field}"
            session.execute(update(table).where(table.c.id == row.id).values(
                old_value=c.new.seal_text(c.old.open_text(row.old_value, label), label),
                new_value=c.new.seal_text(c.old.open_text(row.new_value, label), label)))
    return _done(rows)


def _bundles(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    table = Bundle.__table__
    rows = _rows(session, table, after)
    for row in rows:
        session.execute(update(table).where(table.c.id == row.id).values(
            documents=reseal_personal(row.documents or [], c.old, c.new, DOCUMENTS_LABEL)))
    return _done(rows)


def _pages(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    table = Page.__table__
    rows = _rows(session, table, after)
    for row in rows:
        if row.text_enc:
            session.execute(update(table).where(table.c.id == row.id).values(
                text_enc=_reseal(c, row.text_enc, PAGE_TEXT_LABEL)))
    return _done(rows)


def _review_files(session: Session, c: Ciphers, after: int) -> tuple[int | None, int]:
    table = ReviewFile.__table__
    rows = list(session.execute(select(table).where(table.c.claim_id > after).order_by(table.c.claim_id)
                                .limit(CHUNK)))
    for row in rows:
        session.execute(update(table).where(table.c.claim_id == row.claim_id).values(
            evidence_enc=_reseal(c, row.evidence_enc, EVIDENCE_LABEL)))
    return (rows[-1].claim_id, len(rows)) if rows else (None, 0)


def _files(session: Session, c: Ciphers, _after: int) -> tuple[int | None, int]:
    """The sealed documents (archived and generated), in one go: a file already under the new key is
    recognised and skipped, so a resumed rotation does not need to know how far this step got."""
    data_dir: Path = session.info["data_dir"]
    paths = [path for folder in SEALED_FOLDERS for path in sealed_files(data_dir / folder)]
    moved = sum(reseal_file(c.old, c.new, path) for path in paths)
    return None, moved


STEPS: dict[str, Step] = {
    "trainees": _trainees,
    "certificates": _certificates,
    "prior_claims": _prior_claims,
    "access_log": _access_log,
    "corrections": _corrections,
    "review_files": _review_files,
    "bundles": _bundles,
    "pages": _pages,
    "files": _files,
}


# --- the job ----------------------------------------------------------------------------------------

def rotate(data_dir: Path, new_key_file: Path | None = None, url: str | None = None,
           say: Callable[[str], None] = lambda _m: None) -> RotationReport:
    """Start or resume the rotation of the store's key; returns what was done."""
    if note := complete_interrupted_switch(data_dir, url):
        with _closing(open_store(data_dir, url)) as store:
            return RotationReport(store.key.fingerprint, store.key.fingerprint, resumed=True, notes=[note])
    store = open_store(data_dir, url, during_rotation=True)
    try:
        with store.session() as session:
            row = session.get(StoreKey, 1)
            resumed = bool(row.next_fingerprint)
            new = _resume_key(data_dir, row, new_key_file) if resumed else _start(session, store, row, new_key_file)
        report = RotationReport(store.key.fingerprint, new.fingerprint, resumed=resumed)
        ciphers = Ciphers(store.cipher, FieldCipher(new.secret))
        for name, step in STEPS.items():
            report.rows[name] = _run_step(store, name, step, ciphers, say)
        _finish(store, ciphers, new, report, say)
    finally:
        store.close()
    report.notes += _switch_key_files(data_dir, store.key, new)
    return report


@contextmanager
def _closing(store: Store) -> Iterator[Store]:
    try:
        yield store
    finally:
        store.close()


def _start(session: Session, store: Store, row: StoreKey, new_key_file: Path | None) -> Key:
    """Check the audit chains under the old key, settle the new key, and record it: the rotation has begun."""
    broken = audit.verify_chain(session)
    if broken:
        raise RotationProblem("审计链有问题，先查明再轮换密钥（轮换会用新密钥重算审计链）："
                              + "；".join(str(p) for p in broken[:5]))
    if new_key_file is not None:
        new = read_key_file(new_key_file, f"新密钥文件 {new_key_file}")
    else:
        path = store.data_dir / NEXT_KEY_FILE
        if path.exists():
            raise RotationProblem(f"{path} 已存在：可能是上次轮换留下的新密钥。请移走它或用 --new-key-file 指定它")
        write_key_file(path, new_secret())
        new = read_key_file(path, f"新密钥文件 {path}")
    if new.fingerprint == store.key.fingerprint:
        raise RotationProblem("新密钥与现用密钥相同 (the new key is the current key)")
    row.next_fingerprint = new.fingerprint
    row.rotation = {"started_at": utcnow().isoformat(timespec="seconds"), "done": {}}
    session.commit()
    return new


def _resume_key(data_dir: Path, row: StoreKey, new_key_file: Path | None) -> Key:
    """The new key of the unfinished rotation, from --new-key-file or where the rotation put it."""
    candidates = [new_key_file] if new_key_file else [data_dir / NEXT_KEY_FILE]
    for path in candidates:
        if path is not None and path.exists():
            key = read_key_file(path, f"新密钥文件 {path}")
            if key.fingerprint == row.next_fingerprint:
                return key
    raise RotationProblem(f"继续未完成的密钥轮换需要指纹为 {short(row.next_fingerprint or '')} 的新密钥："
                          f"请用 --new-key-file 指定它 (the rotation's new key is needed to resume)")


def _progress(session: Session) -> dict[str, Any]:
    return dict(session.get(StoreKey, 1).rotation or {})


def _run_step(store: Store, name: str, step: Step, ciphers: Ciphers, say: Callable[[str], None]) -> int:
    """One table, chunk by chunk; each chunk and its progress are committed together."""
    done = 0
    while True:
        with store.session() as session:
            progress = _progress(session)
            state = progress.setdefault("done", {}).get(name, 0)
            if state == "all":
                return done
            last, count = step(session, ciphers, int(state))
            chunk_done = dict(progress["done"])
            chunk_done[name] = "all" if last is None else last
            session.get(StoreKey, 1).rotation = progress | {"done": chunk_done}
            session.commit()
        done += count
        if last is None:
            say(f"{name}: 完成")
            return done
        say(f"{name}: 已做 {done} 行")


def _finish(store: Store, ciphers: Ciphers, new: Key, report: RotationReport, say: Callable[[str], None]) -> None:
    """Under the new key: the archive index rebuilt, the audit chains recomputed; then the new fingerprint is
    the store's. One transaction, so a crash here leaves the rotation to be finished again."""
    from intake.store.archive import index_batch

    with store.session() as session:
        session.info["cipher"] = ciphers.new
        for record in session.scalars(select(ArchivedBatch).where(ArchivedBatch.disposed_at.is_(None))):
            index_batch(session, record)
        present = set(inspect(session.get_bind()).get_table_names())
        for cls in audit.CHAINED:
            if cls.__tablename__ in present:
                report.rows[f"{cls.__tablename__} (审计链)"] = rechain(session, cls, ciphers.new)
        session.execute(delete(LoginFailure))  # its address keys are keyed hashes under the old key
        row = session.get(StoreKey, 1)
        row.fingerprint, row.next_fingerprint = new.fingerprint, None
        row.set_at = utcnow()
        row.rotation = dict(row.rotation or {}) | {"finished_at": utcnow().isoformat(timespec="seconds")}
        session.commit()
    if store.engine.dialect.name == "sqlite":
        # Freed pages still hold the values as the old key sealed them: rewrite the file without them.
        with store.engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    say("审计链与档案索引已按新密钥重建")


def rechain(session: Session, cls: type, cipher: FieldCipher) -> int:
    """Recompute a table's audit chain in id order under `cipher` (the rows' content is unchanged)."""
    table = cls.__table__
    tip = audit.GENESIS
    count = 0
    for row in list(session.scalars(select(cls).order_by(cls.id).execution_options(populate_existing=True))):
        digest = audit.chain_hash(cipher, tip, row)
        session.execute(update(table).where(table.c.id == row.id).values(chain_prev=tip, chain_hash=digest))
        tip = digest
        count += 1
    return count


def _switch_key_files(data_dir: Path, old: Key, new: Key) -> list[str]:
    """Put the new key where the old one was found when that was the default file (the old one kept beside
    it for old backups); otherwise say where the new key is, for whoever provides the key to change."""
    default = default_key_file(data_dir)
    next_file = data_dir / NEXT_KEY_FILE
    if old.file is not None and old.file.resolve() == default.resolve():
        retired = data_dir / f"secret.key.old-{old.fingerprint[:16]}"
        default.rename(retired)
        if new.file is not None and new.file.resolve() == next_file.resolve():
            next_file.rename(default)
        else:
            write_key_file(default, new.secret)
        return [f"新密钥已启用：{default}；旧密钥留在 {retired}，只用于读取轮换前的备份，请另行保管或销毁"]
    where = new.file or next_file
    return [f"数据现已用新密钥加密（指纹 {short(new.fingerprint)}），新密钥在 {where}。请把原先提供密钥的"
            f"{old.where}改为提供它；旧密钥只用于读取轮换前的备份"]


def complete_interrupted_switch(data_dir: Path, url: str | None = None) -> str | None:
    """A rotation that recorded the new key but stopped before swapping the default key files: swap them
    now (the store already wants the new key). None when there is nothing of the kind to do."""
    from intake.store.db import database_url, make_engine

    next_file = data_dir / NEXT_KEY_FILE
    if not next_file.exists():
        return None
    engine = make_engine(database_url(data_dir, url))
    try:
        recorded = recorded_key(engine)
    finally:
        engine.dispose()
    new = read_key_file(next_file, f"新密钥文件 {next_file}")
    old = find_key(data_dir)
    if recorded is None or recorded.next_fingerprint or recorded.fingerprint != new.fingerprint or old is None:
        return None
    return _switch_key_files(data_dir, old, new)[0]
