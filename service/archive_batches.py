"""The archivist's batches in the web app: archive a batch (retention date, its documents, the index), download
its BagIt package, and run the fixity check of everything kept — what `subsidy archive add|pack|verify` do,
without a command line.

Archiving asks first (the retention date is set once and for all). A package holds the original scans, so it
is built in a private folder inside the data folder, zipped into a file that has no name on disk, and
streamed to the archivist; nothing of it stays behind.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.store.models import ArchivedBatch, ArchiveDocument, Batch, Claim
from intake.store.vault import WORK, private_workspace
from service import batch_states
from service.clock import beijing_text
from service.deps import DB, SettingsDep, require_role
from service.models import User
from service.web import render, without_gloss

router = APIRouter(prefix="/archive", include_in_schema=False)
log = logging.getLogger(__name__)
Archivist = Annotated[User, Depends(require_role("archivist"))]
CHUNK = 1 << 20
TABLE_WORDS = {"decisions": "审核决定", "corrections": "更正记录", "batch_events": "批次记录"}


@dataclass
class ArchiveRow:
    batch_id: int
    name: str
    quarter: str
    status: str
    claims: int
    archived: str          # when, Beijing time ("" not yet)
    archived_by: str
    retain_until: str
    documents: int
    disposed: bool


def archive_rows(session: Session) -> list[ArchiveRow]:
    counts = dict(session.execute(select(Claim.batch_id, func.count(Claim.id)).group_by(Claim.batch_id)).all())
    records = {r.batch_id: r for r in session.scalars(select(ArchivedBatch))}
    documents = dict(session.execute(select(ArchiveDocument.archived_batch_id, func.count(ArchiveDocument.id))
                                     .group_by(ArchiveDocument.archived_batch_id)).all())
    rows = []
    for batch in session.scalars(select(Batch).order_by(Batch.created_at.desc(), Batch.id.desc())):
        record = records.get(batch.id)
        rows.append(ArchiveRow(batch.id, batch.name, batch.quarter or "", batch.status, counts.get(batch.id, 0),
                               beijing_text(record.archived_at) if record else "",
                               record.archived_by if record else "",
                               record.retain_until.isoformat() if record else "",
                               documents.get(record.id, 0) if record else 0,
                               bool(record and record.disposed_at)))
    return rows


def _batch(db: Session, batch_id: int) -> Batch:
    batch = db.get(Batch, batch_id)
    if batch is None:
        raise HTTPException(404, "没有这个批次")
    return batch


def _done(db: Session, done: str) -> str:
    if not done.isdigit():
        return ""
    record = db.scalar(select(ArchivedBatch).where(ArchivedBatch.batch_id == int(done)))
    if record is None:
        return ""
    batch = db.get(Batch, record.batch_id)
    count = db.scalar(select(func.count(ArchiveDocument.id)).where(ArchiveDocument.archived_batch_id == record.id))
    return (f"批次“{batch.name}”已归档（{beijing_text(record.archived_at)}，{record.archived_by}）："
            f"保管期限至 {record.retain_until}，留存文书 {count} 个，已建立检索索引")


@router.get("/batches", response_class=HTMLResponse)
def batches(request: Request, user: Archivist, db: DB, done: str = "") -> Response:
    return render(request, "archive_batches.html", {"rows": archive_rows(db), "done": _done(db, done),
                                                    "STATE": batch_states.status_name}, user=user)


@router.post("/batches/{batch_id}/archive", response_class=HTMLResponse)
def archive(request: Request, batch_id: int, user: Archivist, db: DB, settings: SettingsDep,
            confirmed: Annotated[str, Form()] = "", pdf: Annotated[str, Form()] = "") -> Response:
    """归档: asks first (the retention date is fixed at the first archiving), then archives and keeps the
    documents; archiving again re-indexes and renews the documents."""
    from generators.archive.documents import keep_documents
    from intake.store.archive import ArchiveProblem, archive_batch, archived_batch
    from service.documents import publicity_start

    batch = _batch(db, batch_id)
    if confirmed != "1":
        return render(request, "archive_confirm.html", {"batch": batch, "again": archived_batch(db, batch.name)
                                                        is not None, "STATE": batch_states.status_name}, user=user)
    try:
        record = archive_batch(db, batch.name, user.name, policy=settings.policy)
    except ArchiveProblem as problem:
        db.rollback()
        return render(request, "archive_batches.html", {"rows": archive_rows(db), "error": str(problem),
                                                        "STATE": batch_states.status_name}, user=user,
                      status_code=409)
    notes = keep_documents(db, settings.data_dir, record, user.name, policy=settings.policy, pdf=pdf == "1",
                           publicity_start=publicity_start(db, batch.name))
    db.commit()
    for note in notes:
        log.info("archive %s: %s", batch.id, note)
    log.info("batch %s archived by %s", batch.id, user.name)
    return RedirectResponse(f"/archive/batches?done={batch.id}", status_code=303)


def _zip_folder(folder: Path, out: IO[bytes]) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder.parent).as_posix())


def _stream(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


@router.post("/batches/{batch_id}/package")
def package(request: Request, batch_id: int, user: Archivist, db: DB, settings: SettingsDep,
            pdf: Annotated[str, Form()] = "") -> Response:
    """The batch's BagIt package as a zip (archiving the batch first if it is not yet)."""
    from generators.archive.package import PackageProblem, pack_batch
    from generators.base import safe_file_part
    from intake.store.archive import ArchiveProblem
    from service.documents import publicity_start

    batch = _batch(db, batch_id)
    (settings.data_dir / WORK).mkdir(mode=0o700, parents=True, exist_ok=True)
    # Unlinked at once: the zip of the scans never has a name in the data folder.
    handle = tempfile.TemporaryFile(dir=settings.data_dir / WORK)
    try:
        with private_workspace(settings.data_dir) as work:
            result = pack_batch(db, settings.data_dir, batch.name, work, user.name, policy=settings.policy,
                                pdf=pdf == "1",
                                publicity_start=publicity_start(db, batch.name))
            _zip_folder(result.path, handle)
            shutil.rmtree(result.path, ignore_errors=True)
        db.commit()
    except (ArchiveProblem, PackageProblem) as problem:
        handle.close()
        db.rollback()
        return render(request, "archive_batches.html", {"rows": archive_rows(db), "error": str(problem),
                                                        "STATE": batch_states.status_name}, user=user,
                      status_code=409)
    except BaseException:
        handle.close()
        raise
    log.info("batch %s: package downloaded by %s (%s files)", batch.id, user.name, result.files)
    name = f"存档包_{safe_file_part(batch.name)}.zip"
    return StreamingResponse(_stream(handle), media_type="application/zip",
                             headers={"Content-Disposition": f"attachment; filename*=utf-8''{quote(name)}",
                                      "Cache-Control": "no-store"})


@router.post("/verify", response_class=HTMLResponse)
def verify(request: Request, user: Archivist, db: DB, settings: SettingsDep) -> Response:
    """The fixity check: every kept original and archived document re-hashed, the audit chains walked."""
    from intake.store.archive import log_event, verify_stored
    from intake.store.audit import verify_chain

    checked, size, stored = verify_stored(db, settings.data_dir)
    chain = verify_chain(db)
    log_event(db, "verify", "", user.name, files=checked, problems=len(stored) + len(chain))
    db.commit()
    report = {"checked": checked, "megabytes": f"{size / 1e6:.1f}", "files": [without_gloss(str(p)) for p in stored],
              "chain": [f"{TABLE_WORDS.get(p.table, p.table)}{f' 第 {p.row_id} 条' if p.row_id else ''}："
                        f"{without_gloss(p.reason)}" for p in chain]}
    return render(request, "archive_verify.html", {"r": report}, user=user,
                  status_code=200)
