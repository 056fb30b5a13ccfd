"""The archive index (存档索引): every archived batch, found again years later by whoever asks.

An archived batch gets its retention date once, when it is first archived (archival date + the policy's
retention years); re-indexing after a late correction refreshes the lines but never moves that date. Each
line of the index is one claim: trainee name, the ID number as its keyed hash (and masked for display),
the certificate number likewise, institution, employer, class period, profession, batch, quarter, year,
retention date, and where the original pages lie. The pages' OCR text (already masked when stored) goes
into the full-text index: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL (archive_text.py).

Retention: nothing is ever deleted automatically. `retention_report` lists what reaches its date; disposal
is an explicit action, refused before the date, logged either way (ArchiveEvent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Row, delete, func, insert, or_, select, text
from sqlalchemy.orm import Session

from intake.fields import id_numbers, phones
from intake.fields.certificate_numbers import search_key
from intake.fields.id_numbers import mask_id
from intake.policy.policy import Policy
from intake.store import archive_text
from intake.store.bundles import bundle_documents, page_text
from intake.store.crypto import FieldCipher
from intake.store.db import cipher_of
from intake.store.keys import KeyProblem
from intake.store.models import (
    ArchivedBatch,
    ArchiveDocument,
    ArchiveEntry,
    ArchiveEvent,
    ArchiveSuffix,
    Batch,
    Bundle,
    BundleUpload,
    Certificate,
    Claim,
    Employer,
    Institution,
    Page,
    Trainee,
    TrainingClass,
    Upload,
    utcnow,
)
from intake.store.personal import mask_numbers
from intake.store.registry import PLACEHOLDER_PREFIX, phone_of
from intake.store.vault import plain_sha256

ID_SHAPE = re.compile(r"^\d{17}[\dX]$|^\d{15}$")
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
SUFFIX_LENGTHS = (4, 5, 6)
SUFFIX_ID = re.compile(r"^\d{3,5}[\dX]$")
SUFFIX_PHONE = re.compile(r"^\d{4,6}$")


class ArchiveProblem(Exception):
    """An archive action that cannot be done as asked; the message is for the archivist (Chinese)."""


class DisposalRefused(ArchiveProblem):
    """Disposal before the retention date (or of something not archived): refused, and logged."""


def retention_date(archived: dt.date, years: int) -> dt.date:
    """The archival date plus whole years (29 February becomes 28 February in a common year)."""
    try:
        return archived.replace(year=archived.year + years)
    except ValueError:
        return archived.replace(year=archived.year + years, day=28)


def log_event(session: Session, action: str, batch: str, who: str, **detail: Any) -> None:
    session.add(ArchiveEvent(action=action, batch=batch, who=who, detail=detail))


# --- indexing ----------------------------------------------------------------------------------

def archived_batch(session: Session, name: str) -> ArchivedBatch | None:
    return session.scalar(select(ArchivedBatch).join(Batch, ArchivedBatch.batch_id == Batch.id)
                          .where(Batch.name == name))


def archive_batch(session: Session, name: str, who: str, *, policy: Policy,
                  now: dt.datetime | None = None) -> ArchivedBatch:
    """Take a batch into the archive (or re-index an archived one) and return its archive record."""
    batch = session.scalar(select(Batch).where(Batch.name == name))
    if batch is None:
        raise ArchiveProblem(f"批次 {name}: 没有这个批次")
    record = session.scalar(select(ArchivedBatch).where(ArchivedBatch.batch_id == batch.id))
    if record is not None and record.disposed_at is not None:
        raise ArchiveProblem(f"批次 {name}: 已于 {record.disposed_at:%Y-%m-%d} 销毁，不能再归档")
    if record is None:
        now = now or utcnow()
        record = ArchivedBatch(batch_id=batch.id, archived_at=now, archived_by=who, policy=policy.name,
                               retention_years=policy.retention_years,
                               retain_until=retention_date(now.date(), policy.retention_years))
        session.add(record)
        session.flush()
        log_event(session, "archive", name, who, retain_until=record.retain_until.isoformat())
    else:
        log_event(session, "reindex", name, who)
    index_batch(session, record)
    return record


def _page_locations(session: Session, bundle_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """(bundle_id, page number) -> where the page lies: the original's hash and path, its page in that file."""
    ids = set(bundle_ids)
    if not ids:
        return {}
    rows = session.execute(select(Page, Upload).outerjoin(Upload, Page.upload_id == Upload.id)
                           .where(Page.bundle_id.in_(ids)).order_by(Page.bundle_id, Page.number))
    out: dict[tuple[int, int], dict[str, Any]] = {}
    rank: dict[tuple[int, int | None], int] = {}
    for page, upload in rows:
        key = (page.bundle_id, page.upload_id)
        rank[key] = rank.get(key, 0) + 1
        out[(page.bundle_id, page.number)] = {
            "bundle_id": page.bundle_id, "page": page.number, "kind": page.kind,
            "sha256": upload.sha256 if upload else "", "path": upload.stored_path if upload else "",
            "page_in_file": rank[key], "page_id": page.id}
    return out


def batch_claims(session: Session, batch_id: int) -> list[Row]:
    """A batch's claims in order, each with its trainee, certificate, class and employer (the last three may
    be None): what the index and the package both describe."""
    return list(session.execute(
        select(Claim, Trainee, Certificate, TrainingClass, Employer)
        .join(Trainee, Claim.trainee_id == Trainee.id)
        .outerjoin(Certificate, Claim.certificate_id == Certificate.id)
        .outerjoin(TrainingClass, Claim.class_id == TrainingClass.id)
        .outerjoin(Employer, Trainee.employer_id == Employer.id)
        .where(Claim.batch_id == batch_id).order_by(Claim.id)))


def index_batch(session: Session, record: ArchivedBatch) -> int:
    """(Re)build the index lines and the full-text rows of one archived batch; the number of lines."""
    cipher = cipher_of(session)
    batch = session.get(Batch, record.batch_id)
    _delete_entries(session, record.id)
    _delete_fulltext(session, record.id)
    claims = batch_claims(session, batch.id)
    bundle_ids = {c.bundle_id for c, *_ in claims if c.bundle_id}
    bundle_ids |= set(session.scalars(select(Bundle.id).where(Bundle.batch_id == batch.id)))
    locations = _page_locations(session, bundle_ids)
    institution = batch.institution.name if batch.institution else _institution_read(session, bundle_ids)
    year = int(batch.quarter[:4]) if batch.quarter and batch.quarter[:4].isdigit() else None
    entries, suffixes = [], []
    for claim, trainee, cert, klass, employer in claims:
        number = cipher.open(trainee.id_number_enc, "trainee.id_number") or ""
        masked = "" if not number or number.startswith(PLACEHOLDER_PREFIX) else mask_id(number)
        cert_hash, cert_masked = "", ""
        if cert is not None and cert.certificate_no_enc:
            opened = cipher.open(cert.certificate_no_enc, "certificate.certificate_no") or ""
            cert_hash = cipher.keyed_hash(search_key(opened)) if opened else ""
            cert_masked = cert.certificate_no
        wanted = {r.get("page") for r in claim.page_refs or []}
        pages = [loc for (bundle_id, number_), loc in sorted(locations.items())
                 if bundle_id == claim.bundle_id and (not wanted or number_ in wanted)]
        entries.append(ArchiveEntry(
            archived_batch_id=record.id, claim_id=claim.id, trainee_id=trainee.id, name=trainee.name,
            id_hash=trainee.id_hash, id_masked=masked, certificate_no_hash=cert_hash,
            certificate_no_masked=cert_masked, institution=institution, employer=employer.name if employer else "",
            class_period=klass.class_period if klass else "", profession=claim.profession, batch=batch.name,
            quarter=batch.quarter or "", year=year or claim.claim_date.year, archived_at=record.archived_at,
            retain_until=record.retain_until, pages=pages))
        known = masked and number
        suffixes.append(suffix_hashes(cipher, number if known else "", phone_of(session, trainee) or ""))
    session.add_all(entries)
    session.flush()
    rows = [{"entry_id": e.id, "hash": h} for e, hashes in zip(entries, suffixes, strict=True) for h in hashes]
    for start in range(0, len(rows), 5000):
        session.execute(insert(ArchiveSuffix), rows[start:start + 5000])
    pages = session.scalars(select(Page).where(Page.bundle_id.in_(bundle_ids), Page.text_enc.is_not(None)))
    _insert_fulltext(session, record.id, [(p.id, page_text(session, p)) for p in pages])
    record.indexed_at = utcnow()
    session.flush()
    return len(entries)


def suffix_hashes(cipher: FieldCipher, id_number: str, phone: str) -> set[str]:
    """The keyed hashes of the last 4, 5 and 6 characters of an ID number and of a phone."""
    hashes = set()
    for kind, number in (("id", id_numbers.normalize_id_text(id_number)), ("phone", "".join(phone.split()))):
        for length in SUFFIX_LENGTHS:
            if len(number) > length:
                hashes.add(cipher.suffix_hash(kind, number[-length:]))
    return hashes


def _delete_entries(session: Session, record_id: int) -> int:
    entries = select(ArchiveEntry.id).where(ArchiveEntry.archived_batch_id == record_id)
    session.execute(delete(ArchiveSuffix).where(ArchiveSuffix.entry_id.in_(entries)))
    return session.execute(delete(ArchiveEntry).where(ArchiveEntry.archived_batch_id == record_id)).rowcount


def _institution_read(session: Session, bundle_ids: set[int]) -> str:
    """The institution as the roster or agreement printed it, when the batch names none."""
    for bundle in session.scalars(select(Bundle).where(Bundle.id.in_(bundle_ids)).order_by(Bundle.id)):
        for doc in bundle_documents(session, bundle):
            name = (doc.get("fields") or {}).get("institution")
            if name:
                return str(name)
    return ""


def _delete_fulltext(session: Session, record_id: int) -> None:
    session.execute(text("DELETE FROM archive_fts WHERE archived_batch_id = :r"), {"r": record_id})


def _insert_fulltext(session: Session, record_id: int, pages: list[tuple[int, str]]) -> None:
    if not pages:
        return
    token = cipher_of(session).token
    if session.get_bind().dialect.name == "postgresql":
        statement = text("INSERT INTO archive_fts (page_id, archived_batch_id, tokens) "
                         "VALUES (:p, :r, CAST(:t AS tsvector))")
        rows = [{"p": pid, "r": record_id, "t": archive_text.tsvector_literal(body, token)} for pid, body in pages]
    else:
        statement = text("INSERT INTO archive_fts (tokens, page_id, archived_batch_id) VALUES (:t, :p, :r)")
        rows = [{"p": pid, "r": record_id, "t": archive_text.index_string(body, token)} for pid, body in pages]
    session.execute(statement, rows)


# --- search ------------------------------------------------------------------------------------

@dataclass
class ArchiveQuery:
    """What an archivist asks. `text` is one free query (an ID or certificate number, a name, a batch, a
    quarter 2020Q2, a year, or words of the scans); the other fields narrow it, all given ones must match."""

    text: str = ""
    name: str = ""
    id_number: str = ""
    certificate_no: str = ""
    institution: str = ""
    employer: str = ""
    class_period: str = ""
    profession: str = ""
    batch: str = ""
    quarter: str = ""
    year: str = ""
    fulltext: str = ""
    id_suffix: str = ""      # the last 4 to 6 characters of the ID number
    phone_suffix: str = ""   # the last 4 to 6 digits of the phone

    def empty(self) -> bool:
        return not any(str(v).strip() for v in self.__dict__.values())


@dataclass
class PageHit:
    page_id: int
    batch: str
    bundle_id: int
    page: int
    kind: str
    snippet: str
    path: str
    sha256: str


@dataclass
class SearchResult:
    entries: list[ArchiveEntry] = field(default_factory=list)
    pages: list[PageHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NumberKeys:
    """What a typed ID or certificate number is looked up by: keyed hashes only, never the number in clear.
    A special-operation 证号 is the holder's ID number behind a "T", so a number that holds an ID finds the
    person too, whether the T was typed or not."""

    id_hash: str                          # "" when the number holds no ID number
    certificate_hashes: tuple[str, ...]   # the store's hashes of the number as cards print it, T and without
    archive_hash: str                     # the archive index's hash (certificate_numbers.search_key)


def number_keys(cipher: FieldCipher, typed: str) -> NumberKeys:
    key = search_key(typed)
    printed = ("T" + key, key) if ID_SHAPE.match(key) else (key,)
    return NumberKeys(cipher.id_hash(key) if ID_SHAPE.match(key) else "",
                      tuple(cipher.keyed_hash(n) for n in printed), cipher.keyed_hash(key))


def _number_conditions(session: Session, number: str) -> list[Any]:
    """An ID or certificate number matched in the archive index only through keyed hashes."""
    keys = number_keys(cipher_of(session), number)
    conditions = [ArchiveEntry.certificate_no_hash == keys.archive_hash]
    if keys.id_hash:
        conditions.append(ArchiveEntry.id_hash == keys.id_hash)
    return conditions


def claim_filters(session: Session, q: ArchiveQuery) -> list[Any]:
    """The same query over the store's claims (every batch, archived or not), for the pages and the API: the
    conditions on Claim, Trainee, Certificate, Batch, TrainingClass and Institution that the given fields
    ask for; [] when none of them is given. Numbers match as in the archive index (number_keys)."""
    cipher = cipher_of(session)
    found: list[Any] = []
    contains = {"name": Trainee.name, "institution": Institution.name, "class_period": TrainingClass.class_period,
                "profession": Claim.profession, "batch": Batch.name}
    for key, column in contains.items():
        if value := getattr(q, key).strip():
            found.append(column.contains(value, autoescape=True))
    if q.id_number.strip():
        found.append(Trainee.id_hash == cipher.id_hash(id_numbers.normalize_id_text(q.id_number)))
    if q.certificate_no.strip():
        keys = number_keys(cipher, q.certificate_no)
        by_number = [Certificate.certificate_no_hash.in_(keys.certificate_hashes)]
        if keys.id_hash:
            by_number.append(Trainee.id_hash == keys.id_hash)
        found.append(or_(*by_number))
    if q.quarter.strip():
        found.append(Batch.quarter == q.quarter.strip().upper())
    if q.year.strip().isdigit():
        year = int(q.year.strip())
        found.append(Claim.claim_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return found


def _suffix_hash(session: Session, kind: str, value: str) -> str:
    suffix = "".join(value.split()).upper()
    shape = SUFFIX_ID if kind == "id" else SUFFIX_PHONE
    if not shape.match(suffix):
        what = id_numbers.TITLE if kind == "id" else phones.TITLE
        raise ArchiveProblem(f"{what}尾号应为最后 4 至 6 位 (the last 4 to 6 digits): {mask_numbers(value)!r}")
    return cipher_of(session).suffix_hash(kind, suffix)


def search_archive(session: Session, q: ArchiveQuery, limit: int = 200) -> SearchResult:
    result = SearchResult()
    query = select(ArchiveEntry)
    narrowed = False
    contains = {"name": ArchiveEntry.name, "institution": ArchiveEntry.institution,
                "employer": ArchiveEntry.employer, "class_period": ArchiveEntry.class_period,
                "profession": ArchiveEntry.profession, "batch": ArchiveEntry.batch}
    for key, column in contains.items():
        value = getattr(q, key).strip()
        if value:
            query = query.where(column.contains(value, autoescape=True))
            narrowed = True
    for key in ("id_number", "certificate_no"):
        value = getattr(q, key).strip()
        if value:
            query = query.where(or_(*_number_conditions(session, value)))
            narrowed = True
    for kind, value in (("id", q.id_suffix), ("phone", q.phone_suffix)):
        if value.strip():
            query = query.where(ArchiveEntry.id.in_(select(ArchiveSuffix.entry_id).where(
                ArchiveSuffix.hash == _suffix_hash(session, kind, value))))
            narrowed = True
    if q.quarter.strip():
        query = query.where(ArchiveEntry.quarter == q.quarter.strip().upper())
        narrowed = True
    if q.year.strip():
        if not q.year.strip().isdigit():
            raise ArchiveProblem(f"年度应为四位数字: {q.year!r}")
        query = query.where(ArchiveEntry.year == int(q.year.strip()))
        narrowed = True
    free = q.text.strip()
    if free:
        upper = "".join(free.split()).upper()
        if ID_SHAPE.match(search_key(upper)):
            query = query.where(or_(*_number_conditions(session, upper)))
        elif QUARTER.match(upper):
            query = query.where(ArchiveEntry.quarter == upper)
        elif re.fullmatch(r"\d{4}", upper):
            query = query.where(ArchiveEntry.year == int(upper))
        else:
            query = query.where(or_(*(c.contains(free, autoescape=True) for c in contains.values()),
                                    *_number_conditions(session, free)))
            if not q.fulltext.strip():
                try:
                    result.pages = fulltext_pages(session, free, limit)
                except archive_text.QueryTooShort as short:
                    result.notes.append(str(short))
        narrowed = True
    if q.fulltext.strip():
        result.pages = fulltext_pages(session, q.fulltext.strip(), limit)
    if narrowed:
        result.entries = list(session.scalars(query.order_by(ArchiveEntry.retain_until, ArchiveEntry.id)
                                              .limit(limit)))
    return result


def fulltext_pages(session: Session, words: str, limit: int = 50) -> list[PageHit]:
    """Pages of archived batches whose OCR text holds every run of `words` (each run as a phrase)."""
    token = cipher_of(session).token
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(text(
            "SELECT page_id FROM archive_fts WHERE tokens @@ CAST(:q AS tsquery) "
            "ORDER BY ts_rank(tokens, CAST(:q AS tsquery)) DESC, page_id LIMIT :n"),
            {"q": archive_text.tsquery_literal(words, token), "n": limit}).scalars().all()
    else:
        found = session.execute(text("SELECT page_id FROM archive_fts WHERE archive_fts MATCH :q "
                                     "ORDER BY rank LIMIT :n"),
                                {"q": archive_text.fts5_query(words, token), "n": limit}).scalars().all()
    if not found:
        return []
    rows = {page.id: (page, upload, batch) for page, upload, batch in session.execute(
        select(Page, Upload, Batch).join(Bundle, Page.bundle_id == Bundle.id)
        .outerjoin(Upload, Page.upload_id == Upload.id).outerjoin(Batch, Bundle.batch_id == Batch.id)
        .where(Page.id.in_(found)))}
    hits = []
    for page_id in found:
        page, upload, batch = rows[page_id]
        hits.append(PageHit(page.id, batch.name if batch else "", page.bundle_id, page.number, page.kind,
                            _snippet(page_text(session, page), words), upload.stored_path if upload else "",
                            upload.sha256 if upload else ""))
    return hits


def _snippet(body: str, words: str, width: int = 30) -> str:
    """Where the first word of the query is in the page's text, masked for display: the numbers near it
    show as 371602********123X, and a query that was a number shows the masked number."""
    body, words = mask_numbers(body), mask_numbers(words)
    first = next((w for w in words.split() if w), words)
    at = body.find(first)
    if at < 0:
        at = 0
    start = max(0, at - width)
    return body[start:at + len(first) + width].replace("\n", " ")


# --- retention and disposal --------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class RetentionLine:
    batch: str
    institution: str
    quarter: str
    archived_at: dt.datetime
    retain_until: dt.date
    entries: int
    due: bool  # the date has passed: disposal may be done (never automatically)


def retention_report(session: Session, months: int, today: dt.date | None = None) -> list[RetentionLine]:
    """Archived batches, not disposed, whose retention date falls within the next `months` (or has passed)."""
    today = today or dt.date.today()
    horizon = add_months(today, months)
    counts = dict(session.execute(select(ArchiveEntry.archived_batch_id, func.count(ArchiveEntry.id))
                                  .group_by(ArchiveEntry.archived_batch_id)).all())
    lines = []
    for record, batch in session.execute(
            select(ArchivedBatch, Batch).join(Batch, ArchivedBatch.batch_id == Batch.id)
            .where(ArchivedBatch.disposed_at.is_(None), ArchivedBatch.retain_until <= horizon)
            .order_by(ArchivedBatch.retain_until, Batch.name)):
        lines.append(RetentionLine(batch.name, batch.institution.name if batch.institution else "",
                                   batch.quarter or "", record.archived_at, record.retain_until,
                                   counts.get(record.id, 0), record.retain_until <= today))
    return lines


@dataclass
class Disposal:
    batch: str
    files_removed: list[str]
    trainees_shredded: int
    entries_removed: int


def batch_uploads(session: Session, batch_id: int) -> list[Upload]:
    bundle_ids = select(Bundle.id).where(Bundle.batch_id == batch_id)
    claim_bundles = select(Claim.bundle_id).where(Claim.batch_id == batch_id)
    return list(session.scalars(select(Upload).join(BundleUpload, BundleUpload.upload_id == Upload.id)
                                .where(or_(BundleUpload.bundle_id.in_(bundle_ids),
                                           BundleUpload.bundle_id.in_(claim_bundles)))
                                .distinct().order_by(Upload.id)))


def dispose(session: Session, data_dir: Path, name: str, by: str, today: dt.date | None = None,
            reason: str = "") -> Disposal:
    """Destroy an archived batch's originals and personal data after its retention date, as `by` asked.

    Refused (and the refusal logged) before the date. What goes: the original files no other live batch
    uses, the generated documents kept with the batch, the OCR text, the index lines, and the sealed ID,
    phone and certificate numbers of trainees who appear in no other live batch. What stays: the rows of
    claims, decisions and corrections (the audit chain must stay whole; they hold no number in clear) and
    the log of this disposal. The caller commits."""
    today = today or dt.date.today()
    record = archived_batch(session, name)
    if record is None:
        log_event(session, "dispose_refused", name, by, reason="not archived")
        raise DisposalRefused(f"批次 {name}: 未归档，不能销毁")
    if record.disposed_at is not None:
        raise DisposalRefused(f"批次 {name}: 已于 {record.disposed_at:%Y-%m-%d} 销毁")
    if today < record.retain_until:
        log_event(session, "dispose_refused", name, by, retain_until=record.retain_until.isoformat(),
                  asked_on=today.isoformat())
        raise DisposalRefused(f"批次 {name}: 保管期限至 {record.retain_until.isoformat()}，未到期不得销毁 "
                              f"(refused: retention period runs until {record.retain_until.isoformat()})")
    live_batches = select(ArchivedBatch.batch_id).where(ArchivedBatch.disposed_at.is_(None),
                                                        ArchivedBatch.id != record.id)
    live = select(Batch.id).where(or_(Batch.id.in_(live_batches),
                                      Batch.id.not_in(select(ArchivedBatch.batch_id))))
    kept = {u.id for b in session.scalars(live) for u in batch_uploads(session, b)}
    removed: list[str] = []
    now = utcnow()
    for upload in batch_uploads(session, record.batch_id):
        if upload.id in kept or upload.disposed_at is not None:
            continue
        (data_dir / upload.stored_path).unlink(missing_ok=True)
        upload.disposed_at = now
        removed.append(upload.stored_path)
    for document in record.documents:
        (data_dir / document.stored_path).unlink(missing_ok=True)
        removed.append(document.stored_path)
    bundle_ids = set(session.scalars(select(Bundle.id).where(Bundle.batch_id == record.batch_id)))
    for page in session.scalars(select(Page).where(Page.bundle_id.in_(bundle_ids))):
        page.text_enc = None
    _delete_fulltext(session, record.id)
    entries = _delete_entries(session, record.id)
    trainee_ids = set(session.scalars(select(Claim.trainee_id).where(Claim.batch_id == record.batch_id)))
    still_live = set(session.scalars(select(Claim.trainee_id).where(Claim.batch_id.in_(live))))
    shredded = 0
    for trainee in session.scalars(select(Trainee).where(Trainee.id.in_(trainee_ids - still_live))):
        trainee.id_number_enc = None
        trainee.phone_enc = None
        shredded += 1
        for cert in session.scalars(select(Certificate).where(Certificate.trainee_id == trainee.id)):
            cert.certificate_no_enc = None
    record.disposed_at, record.disposed_by = now, by
    log_event(session, "dispose", name, by, reason=reason, retain_until=record.retain_until.isoformat(),
              files=removed, trainees_shredded=shredded, entries_removed=entries)
    session.flush()
    return Disposal(name, removed, shredded, entries)


# --- integrity of what is stored ---------------------------------------------------------------

@dataclass(frozen=True)
class FileProblem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def verify_stored(session: Session, data_dir: Path) -> tuple[int, int, list[FileProblem]]:
    """Re-hash every kept original and archived document against its recorded SHA-256.
    Returns (files checked, bytes read, problems), each problem naming the file."""
    problems: list[FileProblem] = []
    checked = size = 0
    files = [(u.stored_path, u.sha256, f"原件 {u.original_name}") for u in
             session.scalars(select(Upload).where(Upload.disposed_at.is_(None)).order_by(Upload.id))]
    files += [(d.stored_path, d.sha256, f"归档文书 {d.name}") for d in session.scalars(
        select(ArchiveDocument).join(ArchivedBatch, ArchiveDocument.archived_batch_id == ArchivedBatch.id)
        .where(ArchivedBatch.disposed_at.is_(None)).order_by(ArchiveDocument.id))]
    cipher = cipher_of(session)
    for stored_path, expected, what in files:
        path = data_dir / stored_path
        checked += 1
        if not path.is_file():
            problems.append(FileProblem(stored_path, f"{what}: 文件缺失"))
            continue
        size += path.stat().st_size
        try:
            actual = plain_sha256(cipher, path)
        except KeyProblem:  # the key was checked when the store opened: the sealed file itself was altered
            problems.append(FileProblem(stored_path, f"{what}: 加密文件无法解开，文件被改动 (sealed file altered)"))
            continue
        if actual != expected:
            problems.append(FileProblem(stored_path, f"{what}: SHA-256 不符，文件被改动 (hash differs: recorded "
                                                     f"{expected[:12]}…, now {actual[:12]}…)"))
    return checked, size, problems
