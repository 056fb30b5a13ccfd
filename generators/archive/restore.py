"""`subsidy archive restore PACKAGE`: a package back into a store, with its retention date and its index.
It reads what package.py beside it writes (layout.py names where each part lies).

Why not re-run intake: the package holds what was decided then — claims, each decision with its reason and
time, each correction — and those must come back as they were, not be decided again by today's rules.
So originals are stored again by their SHA-256 (a changed file is refused before anything is written: the
bag is validated first), bundles and pages come from the bundle JSON, and claims, decisions and corrections
from records/. Personal numbers are sealed again with the receiving store's key; decisions and corrections
get new audit-chain hashes in the receiving store (the package keeps the old ones as evidence).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit
from sqlalchemy import select
from sqlalchemy.orm import Session

from generators.archive import layout
from intake.policy.policy import Policy
from intake.store.archive import ArchiveProblem, index_batch, log_event
from intake.store.bundles import save_bundle_result
from intake.store.db import cipher_of
from intake.store.models import (
    ArchivedBatch,
    ArchiveDocument,
    Batch,
    Bundle,
    Claim,
    Correction,
    Decision,
    Employer,
)
from intake.store.registry import get_batch, get_certificate, get_class, upsert_trainee
from intake.store.uploads import sha256_of, store_upload
from intake.store.vault import seal_file


@dataclass
class Restored:
    batch: str
    uploads: int
    claims: int
    decisions: int
    corrections: int
    entries: int


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def restore_package(session: Session, data_dir: Path, package: Path, who: str, *, policy: Policy) -> Restored:
    """Load one package into the store. Refused when the bag does not validate or the batch exists.
    The caller commits."""
    try:
        bagit.Bag(str(package)).validate(processes=1)
    except bagit.BagError as error:
        raise ArchiveProblem(f"{package}: 存档包校验未通过，未恢复: "
                             f"{error}") from None
    data = package / layout.PAYLOAD
    info = _load(data / layout.BATCH)
    if session.scalar(select(Batch).where(Batch.name == info["batch"])) is not None:
        raise ArchiveProblem(f"批次 {info['batch']}: 数据库中已有同名批次，未恢复")

    upload_ids: dict[str, int] = {}
    for row in _load(data / layout.UPLOADS):
        source = data / row["path"]
        if sha256_of(source) != row["sha256"]:
            raise ArchiveProblem(f"{source}: SHA-256 与记录不符")
        upload = store_upload(session, data_dir, source, row.get("uploaded_by") or who,
                              original_name=row["original_name"], media_type=row.get("media_type"))
        upload_ids[row["sha256"]] = upload.id

    bundle_ids: dict[int, int] = {}
    for path in sorted((data / layout.BUNDLES).glob("*.json")):
        result = _load(path)
        extra = result.get("archive", {})
        ids = [upload_ids[u["sha256"]] for u in extra.get("uploads", []) if u["sha256"] in upload_ids]
        saved = save_bundle_result(session, result, ids, None, policy=policy)
        bundle_ids[int(extra.get("bundle_id", 0))] = saved.bundle_id

    batch = get_batch(session, info["batch"], quarter=info.get("quarter"), institution=info.get("institution") or None)
    batch.status = info.get("status") or batch.status
    for bundle_id in bundle_ids.values():
        session.get(Bundle, bundle_id).batch_id = batch.id

    claim_ids: dict[int, int] = {}
    trainee_ids: dict[int, int] = {}
    for row in _load(data / layout.CLAIMS):
        key = row["id_number"] or f"unread:restored:{info['batch']}:{row['claim_id']}"
        trainee = upsert_trainee(session, key, row["name"], row["gender"], row["phone"])
        if row.get("employer"):
            trainee.employer_id = _employer(session, row["employer"]).id
        trainee_ids[row["trainee_id"]] = trainee.id
        certificate = get_certificate(session, trainee, row["profession"], row["certificate_no"],
                                      kind=row.get("certificate_kind") or "", level=row.get("level"),
                                      issue_date=_date(row.get("certificate_issue_date")))
        training_date = row.get("training_date") or ""
        klass = None
        if row.get("class_period"):
            days = [d for d in training_date.split("/") if d]
            klass = get_class(session, row["class_period"], row["profession"], _date(days[0]) if days else None,
                              _date(days[-1]) if days else None)
        claim = Claim(trainee_id=trainee.id, certificate_id=certificate.id, batch_id=batch.id,
                      bundle_id=bundle_ids.get(row["bundle_id"]) if row.get("bundle_id") else None,
                      class_id=klass.id if klass else None, profession=row["profession"], level=row.get("level"),
                      training_date=training_date, amount=row["amount"], claim_date=_date(row["claim_date"]),
                      flags=row.get("flags") or [], eligible=row.get("eligible"), page_refs=row.get("page_refs") or [])
        session.add(claim)
        session.flush()
        claim_ids[row["claim_id"]] = claim.id

    decisions = _load(data / layout.DECISIONS)
    for row in decisions:
        session.add(Decision(claim_id=claim_ids[row["claim_id"]], rule=row["rule"], outcome=row["outcome"],
                             reason=row["reason"], evidence=row.get("evidence") or {},
                             decided_at=_datetime(row["decided_at"]), decided_by=row["decided_by"]))
    cipher = cipher_of(session)
    corrections = _load(data / layout.CORRECTIONS)
    for row in corrections:
        label = f"correction.{row['field']}"
        old, new = row.get("old_value"), row.get("new_value")
        if row.get("sealed"):
            old, new = cipher.seal_text(old, label), cipher.seal_text(new, label)
        session.add(Correction(claim_id=claim_ids.get(row["claim_id"]) if row.get("claim_id") else None,
                               trainee_id=trainee_ids.get(row["trainee_id"]) if row.get("trainee_id") else None,
                               field=row["field"], old_value=old, new_value=new, sealed=bool(row.get("sealed")),
                               who=row["who"], when=_datetime(row["when"]), why=row.get("why") or ""))
    session.flush()

    record = ArchivedBatch(batch_id=batch.id, archived_at=_datetime(info["archived_at"]),
                           archived_by=info.get("archived_by") or who, policy=info.get("policy") or "",
                           retention_years=int(info["retention_years"]), retain_until=_date(info["retain_until"]))
    session.add(record)
    session.flush()
    target = data_dir / "archive" / f"batch-{record.id}" / "documents"
    for row in _load(data / layout.DOCUMENTS):
        source = data / row["path"]
        destination = target / row["kind"] / row["name"]
        session.add(ArchiveDocument(archived_batch_id=record.id, kind=row["kind"], name=row["name"],
                                    stored_path=destination.relative_to(data_dir).as_posix(),
                                    sha256=sha256_of(source), size=source.stat().st_size))
        seal_file(cipher, source, destination)
    session.flush()
    entries = index_batch(session, record)
    log_event(session, "restore", batch.name, who, package=str(package))
    session.flush()
    return Restored(batch.name, len(upload_ids), len(claim_ids), len(decisions), len(corrections), entries)


def _employer(session: Session, name: str) -> Employer:
    found = session.scalar(select(Employer).where(Employer.name == name))
    if found is None:
        found = Employer(name=name)
        session.add(found)
        session.flush()
    return found
