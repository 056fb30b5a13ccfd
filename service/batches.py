"""The officer's batches: status from draft to paid, the publicity period, the generated documents.

Reviewers and archivists may read the batch list and a batch (masked, like the officer); only the
officer changes a batch or generates its documents.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from intake.labels import BATCH_STATUSES
from intake.store.models import Batch
from service import documents
from service.deps import DB, BatchReader, DocumentReader, Officer, SettingsDep
from service.models import Publicity, User
from service.records import NEXT_STATUS, batch_claims, batch_row, batch_rows
from service.web import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


class BatchProblem(Exception):
    """A change the batch's state does not allow; the message is for the officer."""


def get_batch_or_404(db: Session, batch_id: int) -> Batch:
    batch = db.get(Batch, batch_id)
    if batch is None:
        raise HTTPException(404, "没有这个批次")
    return batch


def advance_status(db: Session, batch: Batch, target: str, user: User) -> None:
    """One step forward only (draft -> submitted -> publicised -> approved -> paid)."""
    if NEXT_STATUS.get(batch.status) != target:
        now, wanted = BATCH_STATUSES.get(batch.status), BATCH_STATUSES.get(target, target)
        raise BatchProblem(f"批次当前为“{now}”，不能改为“{wanted}”")
    if target == "publicised" and db.get(Publicity, batch.id) is None:
        raise BatchProblem("请先设定公示期")
    if target == "approved":
        publicity = db.get(Publicity, batch.id)
        if publicity is None or publicity.end_date >= dt.date.today():
            raise BatchProblem("公示期结束后才能审批")
    log.info("batch %s: %s -> %s by %s", batch.id, batch.status, target, user.name)
    batch.status = target
    db.commit()


def set_publicity(db: Session, data_dir, batch: Batch, start: dt.date, user: User) -> Publicity:
    """The end follows from the start and the policy's working days (generators.workdays: holidays and
    make-up days; it refuses a year whose holidays nobody entered)."""
    from generators.base import GenerationError
    from generators.workdays import WorkCalendar, publicity_period
    from intake.policy.policy import default_policy

    try:
        period = publicity_period(start, default_policy().publicity_working_days, WorkCalendar(data_dir))
    except GenerationError as problem:
        raise BatchProblem("；".join(problem.problems)) from None
    publicity = db.get(Publicity, batch.id) or Publicity(batch_id=batch.id)
    publicity.start_date, publicity.end_date, publicity.set_by = period.start, period.end, user.name
    db.add(publicity)
    db.commit()
    return publicity


@router.get("/batches", response_class=HTMLResponse)
def batch_list(request: Request, user: BatchReader, db: DB, status: str = "") -> Response:
    rows = batch_rows(db, status if status in BATCH_STATUSES else None)
    return render(request, "batches.html", {"rows": rows, "status": status}, user=user)


def _batch_page(request: Request, user: User, db: Session, settings, batch: Batch, **extra: object) -> Response:
    files = documents.list_files(settings.data_dir, f"batch-{batch.id}")
    context = {"batch": batch_row(db, batch), "claims": batch_claims(db, batch.id, user), "files": files,
               "left_out": documents.left_out_rows(db, batch.id, user),
               "available": documents.available_kinds(), "titles": {k: v[1] for k, v in documents.DOCUMENTS.items()},
               "batch_kinds": documents.BATCH_KINDS, "today": dt.date.today().isoformat(), **extra}
    return render(request, "batch.html", context, user=user, status_code=400 if extra.get("error") else 200)


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(request: Request, batch_id: int, user: BatchReader, db: DB, settings: SettingsDep) -> Response:
    return _batch_page(request, user, db, settings, get_batch_or_404(db, batch_id))


@router.post("/batches/{batch_id}/status", response_class=HTMLResponse)
def change_status(request: Request, batch_id: int, user: Officer, db: DB, settings: SettingsDep,
                  status: Annotated[str, Form()]) -> Response:
    batch = get_batch_or_404(db, batch_id)
    try:
        advance_status(db, batch, status, user)
    except BatchProblem as problem:
        return _batch_page(request, user, db, settings, batch, error=str(problem))
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.post("/batches/{batch_id}/publicity", response_class=HTMLResponse)
def publicity(request: Request, batch_id: int, user: Officer, db: DB, settings: SettingsDep,
              start: Annotated[dt.date, Form()]) -> Response:
    batch = get_batch_or_404(db, batch_id)
    try:
        set_publicity(db, settings.data_dir, batch, start, user)
    except BatchProblem as problem:
        return _batch_page(request, user, db, settings, batch, error=str(problem))
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.post("/batches/{batch_id}/documents", response_class=HTMLResponse)
def generate(request: Request, batch_id: int, user: Officer, db: DB, settings: SettingsDep,
             kind: Annotated[str, Form()], fill_date: Annotated[str, Form()] = "") -> Response:
    batch = get_batch_or_404(db, batch_id)
    if kind not in documents.BATCH_KINDS:
        raise HTTPException(404, "没有这种文书")
    try:
        entered = dt.date.fromisoformat(fill_date) if fill_date else None
    except ValueError:
        return _batch_page(request, user, db, settings, batch, error=f"落款日期“{fill_date}”不是有效日期")
    publicity = db.get(Publicity, batch.id)
    try:
        documents.generate(db, settings.data_dir, f"batch-{batch.id}", batch.name, kind, user.name,
                           publicity.start_date if publicity else None, entered)
    except documents.DocumentProblem as problem:
        return _batch_page(request, user, db, settings, batch, error=str(problem))
    log.info("batch %s: %s generated by %s", batch.id, kind, user.name)
    return RedirectResponse(f"/batches/{batch_id}#documents", status_code=303)


@router.get("/batches/{batch_id}/documents/{kind}/{name}")
def download(batch_id: int, kind: str, name: str, user: DocumentReader, db: DB, settings: SettingsDep) -> Response:
    batch = get_batch_or_404(db, batch_id)
    path = documents.find_file(settings.data_dir, f"batch-{batch.id}", kind, name)
    if path is None:
        raise HTTPException(404, "没有这个文件")
    log.info("batch %s: %s/%s downloaded by %s", batch.id, kind, name, user.name)
    return documents.download_response(db, path)
