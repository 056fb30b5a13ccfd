"""The audit chains of decisions, corrections, views of full ID numbers, batch events and changes to the
institutions registry: history that can be added to, never silently rewritten.

Every row of `decisions`, `corrections`, `access_log` (each view of a full ID number) and `batch_events`
carries `chain_prev`, the chain hash of the row before it in its table, and `chain_hash`, an HMAC (key
derived from the store's secret, kept outside the database) over `chain_prev` and the row's canonical
content. Editing a row behind the software's back (raw SQL, a database tool) leaves its `chain_hash` wrong;
deleting one leaves the next row pointing at nothing; recomputing the hashes needs the key.
`verify_chain` names every such row.

How every insert path gets its hash: the hash needs the parent ids (claim_id), which SQLAlchemy fills in
only while flushing, so it is computed in the mapper's `before_insert`, which runs inside the flush in
insertion order for every ORM insert, whoever makes it (intake's rules, the review form, restore). The
`before_flush` hook forbids what the ORM could otherwise do to history: update or delete a row of these
tables; `do_orm_execute` forbids the ORM's bulk UPDATE/DELETE on them.

Concurrent writers: on PostgreSQL a transaction-scoped advisory lock, taken before the tip is read and held
until commit, lines the writers up; SQLite has a single writer anyway. The unique constraints on
`chain_prev` and `chain_hash` turn any fork that slipped through into an error instead of a second chain.

Rows stored before revision 0002 have no hash; they are chained, in id order, by the first insert after the
upgrade (only while no row is chained yet, so a row slipped in later without a hash is reported, never
adopted).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, inspect, select, text, update
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, object_session

from intake.store.crypto import FieldCipher
from intake.store.models import AccessLog, BatchEvent, Correction, Decision, InstitutionEvent, utcnow

GENESIS = "0" * 64
CHAINED: tuple[type, ...] = (Decision, Correction, AccessLog, BatchEvent, InstitutionEvent)
# What a row says, in a fixed order; anything else (ids, the chain columns) is not content.
CONTENT: dict[type, tuple[str, ...]] = {
    Decision: ("claim_id", "rule", "outcome", "reason", "evidence", "decided_at", "decided_by"),
    Correction: ("claim_id", "trainee_id", "field", "old_value", "new_value", "sealed", "who", "when", "why"),
    AccessLog: ("who", "trainee_id", "id_hash", "purpose", "at"),
    BatchEvent: ("batch_id", "action", "from_status", "to_status", "who", "at", "reason", "detail"),
    InstitutionEvent: ("institution_id", "action", "who", "at", "detail"),
}
DEFAULTS: dict[type, tuple[str, ...]] = {Decision: ("decided_at",), Correction: ("when",), AccessLog: ("at",),
                                         BatchEvent: ("at",), InstitutionEvent: ("at",)}
LOCK_KEYS = {"decisions": 71_202_001, "corrections": 71_202_002, "access_log": 71_202_003,
             "batch_events": 71_202_004, "institution_events": 71_202_005}
TIPS = "_audit_chain_tips"


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete a decision or correction through the ORM."""


@dataclass(frozen=True)
class ChainProblem:
    table: str
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.table} id={self.row_id}" if self.row_id is not None else self.table
        return f"{where}: {self.reason}"


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(row: Any) -> bytes:
    """The row's content as canonical JSON: table name, then the content fields, keys sorted."""
    cls = type(row)
    body = {"table": cls.__tablename__, **{name: _value(getattr(row, name)) for name in CONTENT[cls]}}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def chain_hash(cipher: FieldCipher, previous: str, row: Any) -> str:
    return cipher.chain_mac(previous, canonical(row))


def _cipher(session: Session | None) -> FieldCipher:
    cipher = session.info.get("cipher") if session is not None else None
    if cipher is None:
        raise AppendOnlyError("审计链需要存储密钥：请通过 open_store 打开会话")
    return cipher


def _tip(session: Session, connection: Connection, cls: type) -> str:
    """The chain's last hash, read once per flush (later rows of the same flush follow from memory)."""
    tips: dict[str, str] = session.info.setdefault(TIPS, {})
    table = cls.__tablename__
    if table in tips:
        return tips[table]
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEYS[table]})
    tip = connection.execute(select(cls.chain_hash).where(cls.chain_hash.is_not(None))
                             .order_by(cls.id.desc()).limit(1)).scalar()
    if tip is None:
        tip = _chain_legacy_rows(session, connection, cls)
    tips[table] = tip
    return tip


def _chain_legacy_rows(session: Session, connection: Connection, cls: type) -> str:
    """Chain the rows stored before the chain existed (none is chained yet), in id order; the new tip."""
    tip = GENESIS
    cipher = _cipher(session)
    with Session(bind=connection) as reader:  # a plain reader: these rows are not this session's objects
        for row in reader.scalars(select(cls).order_by(cls.id)):
            digest = chain_hash(cipher, tip, row)
            connection.execute(update(cls.__table__).where(cls.__table__.c.id == row.id)
                               .values(chain_prev=tip, chain_hash=digest))
            tip = digest
    return tip


def _apply_defaults(mapper: Mapper, target: Any) -> None:
    """Column defaults are applied by the INSERT itself, after this hook: apply them now, so the hashed
    content is what the row will hold (sealed=False, why='', decided_at=now...)."""
    for name in CONTENT[type(target)]:
        if getattr(target, name) is not None:
            continue
        default = mapper.columns[name].default
        if name in DEFAULTS[type(target)]:
            setattr(target, name, utcnow())
        elif default is not None and default.is_scalar:
            setattr(target, name, default.arg)
        elif default is not None and default.is_callable:
            setattr(target, name, default.arg(None))


def _before_insert(mapper: Mapper, connection: Connection, target: Any) -> None:
    session = object_session(target)
    cipher = _cipher(session)
    _apply_defaults(mapper, target)
    previous = _tip(session, connection, type(target))
    target.chain_prev = previous
    target.chain_hash = chain_hash(cipher, previous, target)
    session.info[TIPS][type(target).__tablename__] = target.chain_hash


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    session.info[TIPS] = {}
    for obj in session.deleted:
        if isinstance(obj, CHAINED):
            raise AppendOnlyError(f"{type(obj).__tablename__} id={obj.id}: 审核记录只能追加，不能删除 "
                                  f"(append-only: rows are never deleted)")
    for obj in session.dirty:
        if isinstance(obj, CHAINED) and session.is_modified(obj, include_collections=False):
            raise AppendOnlyError(f"{type(obj).__tablename__} id={obj.id}: 审核记录只能追加，不能修改；"
                                  f"请追加一条新的决定或更正")


def _after_flush(session: Session, _context: Any) -> None:
    session.info.pop(TIPS, None)


def _orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if mapper.class_ in CHAINED:
            raise AppendOnlyError(f"{mapper.class_.__tablename__}: 审核记录只能追加 (append-only: no bulk "
                                  f"UPDATE or DELETE)")


def install() -> None:
    """Register the hooks once (idempotent): every Session of the process, every insert path."""
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _orm_execute)
    for cls in CHAINED:
        event.listen(cls, "before_insert", _before_insert)


def register(cls: type, content: tuple[str, ...], defaults: tuple[str, ...], lock_key: int) -> None:
    """Put another table's rows in an audit chain of their own (the service's security events): a stage
    above the store chains its history without the store knowing it. The table needs chain_prev and
    chain_hash columns like Decision's."""
    global CHAINED
    if cls in CHAINED:
        return
    CHAINED = (*CHAINED, cls)
    CONTENT[cls], DEFAULTS[cls] = content, defaults
    LOCK_KEYS[cls.__tablename__] = lock_key
    if not event.contains(cls, "before_insert", _before_insert):
        event.listen(cls, "before_insert", _before_insert)


def verify_chain(session: Session) -> list[ChainProblem]:
    """Walk each table's chain from the start; name every row whose content or link does not hold."""
    cipher = _cipher(session)
    problems: list[ChainProblem] = []
    present = set(inspect(session.get_bind()).get_table_names())
    for cls in CHAINED:
        table = cls.__tablename__
        if table not in present:  # the service's tables in a store the service never opened
            continue
        rows = list(session.scalars(select(cls).order_by(cls.id).execution_options(populate_existing=True)))
        by_prev: dict[str, Any] = {}
        for row in rows:
            if row.chain_hash is None or row.chain_prev is None:
                problems.append(ChainProblem(table, row.id, "不在审计链中，可能是绕过软件直接写入的 "
                                                            "(not in the audit chain: inserted behind the software)"))
            else:
                by_prev[row.chain_prev] = row
        for row in rows:
            if row.chain_hash is not None and row.chain_prev is not None \
                    and chain_hash(cipher, row.chain_prev, row) != row.chain_hash:
                problems.append(ChainProblem(table, row.id, "内容与审计链不符，记录被改动过 "
                                                            "(content does not match its chain hash: row altered)"))
        seen: set[int] = set()
        current = GENESIS
        while current in by_prev:
            row = by_prev[current]
            if row.id in seen:
                break
            seen.add(row.id)
            current = row.chain_hash
        cut = [row for row in rows if row.id not in seen and row.chain_hash is not None and row.chain_prev is not None]
        if cut:
            later = f"，其后还有 {len(cut) - 1} 条不在链上" if len(cut) > 1 else ""
            reason = (f"与前一条记录的链接断开（前面的记录被删除或改动）{later} "
                      f"(chain link broken: an earlier row was removed or altered)")
            problems.append(ChainProblem(table, cut[0].id, reason))
    return problems


install()
