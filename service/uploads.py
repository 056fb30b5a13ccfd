"""The clerk's upload: a bundle (one PDF or several images) and the class's Excel records into a batch.

Everything is checked in a temporary folder first; only a fully accepted upload is stored (originals,
upload rows, the job) in one transaction, and then the job id is queued. The reading itself happens in
a worker; the clerk watches its progress on the job page.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from intake.store.bundles import BundleElsewhere, refuse_if_elsewhere
from intake.store.db import Store
from intake.store.models import Batch
from intake.store.registry import get_batch
from intake.store.uploads import sha256_of, store_upload
from service.deps import DB, Clerk, JobWatcher, SettingsDep, StoreDep
from service.jobs import JobQueue
from service.models import Job, User
from service.settings import Settings
from service.upload_checks import UploadRefused, check_bundle, check_records, safe_name
from service.web import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
QUARTER = re.compile(r"^\d{4}Q[1-4]$")
CHUNK = 1 << 20


def _save(upload: UploadFile, folder: Path, fallback: str, limit: int) -> tuple[Path, str]:
    name = safe_name(upload.filename, fallback)
    folder.mkdir(parents=True)
    target = folder / name
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise UploadRefused([f"{name}：文件过大，每次最多 {limit // 1048576} MB"])
            out.write(chunk)
    return target, name


def accept_upload(settings: Settings, store: Store, queue: JobQueue, user: User, batch_name: str, quarter: str,
                  institution: str, files: list[UploadFile], records: UploadFile | None) -> int:
    """Check, store and queue; returns the job id. Raises UploadRefused (nothing stored) with every problem."""
    batch_name, quarter, institution = batch_name.strip(), quarter.strip().upper(), institution.strip()
    problems = []
    if not batch_name or len(batch_name) > 100:
        problems.append("请填写批次名称（不超过 100 个字）")
    if quarter and not QUARTER.match(quarter):
        problems.append("季度请写作 2020Q2 这样的格式")
    files = [f for f in files if f.filename]
    if problems:
        raise UploadRefused(problems)
    temp = Path(tempfile.mkdtemp(prefix=".upload-", dir=settings.data_dir))
    try:
        saved = [_save(f, temp / str(i), f"第{i + 1}个文件", settings.max_upload_bytes) for i, f in enumerate(files)]
        checked = check_bundle(saved, settings)
        records_file = None
        if records is not None and records.filename:
            records_file = _save(records, temp / "records", "学员信息表.xlsx", settings.max_upload_bytes)
            check_records(*records_file)
        with store.session() as session:
            try:
                refuse_if_elsewhere(session, [sha256_of(c.path) for c in checked], batch_name, checked[0].name)
            except BundleElsewhere as problem:
                raise UploadRefused([str(problem)]) from None
            batch = session.scalar(select(Batch).where(Batch.name == batch_name))
            if batch is not None and batch.status != "draft":
                raise UploadRefused([f"批次“{batch_name}”已{batch.status == 'submitted' and '提交' or '进入后续流程'}，"
                                     "不能再添加材料；请新建批次"])
            batch = get_batch(session, batch_name, quarter=quarter or None, institution=institution or None)
            rows = [store_upload(session, settings.data_dir, c.path, user.name, original_name=c.name)
                    for c in checked]
            records_row = (store_upload(session, settings.data_dir, records_file[0], user.name,
                                        original_name=records_file[1]) if records_file else None)
            job = Job(batch_id=batch.id, upload_ids=[u.id for u in rows],
                      records_upload_id=records_row.id if records_row else None,
                      pages_total=sum(c.pages for c in checked), created_by=user.name, message="排队等待识别")
            session.add(job)
            session.commit()
            job_id = job.id
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    log.info("upload by %s: job %s, %s files", user.name, job_id, len(checked))
    try:
        queue.enqueue(job_id)
    except Exception:  # the job row is safe; the watchdog queues it again when the queue is back
        log.exception("job %s: could not be queued now", job_id)
    return job_id


def visible_job(db: DB, user: User, job_id: int) -> Job:
    """A clerk follows their own uploads only; staff who handle batches see all."""
    job = db.get(Job, job_id)
    if job is None or (user.role == "clerk" and job.created_by != user.name):
        raise HTTPException(404, "没有这个识别任务")
    return job


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, user: Clerk, db: DB, settings: SettingsDep) -> Response:
    return render(request, "upload.html", _form_context(db, user, settings), user=user)


def _form_context(db: DB, user: User, settings: Settings, **extra: object) -> dict:
    jobs = list(db.scalars(select(Job).where(Job.created_by == user.name).order_by(Job.id.desc()).limit(20)))
    batches = {b.id: b.name for b in db.scalars(select(Batch))}
    drafts = [b.name for b in db.scalars(select(Batch).where(Batch.status == "draft").order_by(Batch.name))]
    return {"jobs": jobs, "batches": batches, "drafts": drafts, "settings": settings, **extra}


@router.post("/upload", response_class=HTMLResponse)
def upload(request: Request, user: Clerk, db: DB, settings: SettingsDep, store: StoreDep,
           batch: Annotated[str, Form()] = "", quarter: Annotated[str, Form()] = "",
           institution: Annotated[str, Form()] = "",
           files: Annotated[list[UploadFile] | None, File()] = None,
           records: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        job_id = accept_upload(settings, store, request.app.state.queue, user, batch, quarter, institution,
                               list(files or []), records)
    except UploadRefused as refused:
        context = _form_context(db, user, settings, errors=refused.messages,
                                form={"batch": batch, "quarter": quarter, "institution": institution})
        return render(request, "upload.html", context, user=user, status_code=400)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: int, user: JobWatcher, db: DB) -> Response:
    from service.batch_states import outlook
    from service.job_result import job_result

    job = visible_job(db, user, job_id)
    batch = db.get(Batch, job.batch_id) if job.batch_id else None
    view = outlook(db, request.app.state.settings.data_dir, batch) if batch is not None else None
    return render(request, "job.html", {"job": job, "batch": batch, "result": job_result(db, job, user),
                                        "outlook": view}, user=user)
