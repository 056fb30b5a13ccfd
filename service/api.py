"""The same actions as JSON under /api, described at /api/openapi.json.

Routes are thin wrappers over the functions the pages use (records.py, uploads.accept_upload,
batch_states.advance, ...), so the API reveals exactly what the pages reveal. Authentication is the
same session cookie: POST /api/session logs in and returns the CSRF token that every write must carry
in the X-CSRF-Token header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from intake.store.archive import ArchiveQuery
from intake.store.models import Trainee
from service import batch_states, documents
from service.auth import AccountDisabled, LoginLocked, authenticate, start_session
from service.batch_states import BatchProblem
from service.batches import BatchActor, actor, generate_documents, get_batch_or_404, set_publicity, step_input
from service.deps import (
    DB,
    Admin,
    BatchReader,
    Clerk,
    CurrentUser,
    DocumentReader,
    JobWatcher,
    Officer,
    RecordReader,
    SettingsDep,
    StoreDep,
    csrf_token,
)
from service.models import Job
from service.records import (
    batch_claims,
    batch_row,
    batch_rows,
    page_image_response,
    search_claims,
    trainee_record,
)
from service.sessions import end_session
from service.upload_checks import UploadRefused
from service.uploads import accept_upload, visible_job
from service.users import UserProblem, add_user, all_users

router = APIRouter(tags=["api"])


class Login(BaseModel):
    name: str
    password: str


class StatusChange(BaseModel):
    status: str = Field(description="下一状态: submitted, reviewed, publicised, publicity_ended, approved, paid")
    reason: str = Field("", description="说明（可不填）")
    number: str = Field("", description="批复文号（已审批须填）")
    amount: str = Field("", description="拨付金额，元（已拨付须填，须与附件3申请金额一致）")
    date: str = Field("", description="批复或拨付日期 YYYY-MM-DD（已审批、已拨付须填）")


class BatchReturn(BaseModel):
    reason: str = Field(description="退回理由（必填，各角色都能看到）")


class PublicityStart(BaseModel):
    start: dt.date


class GenerateRequest(BaseModel):
    kind: str = Field(description="attachment1, attachment2, attachment3, publicity")
    fill_date: dt.date | None = Field(None, description="落款/填表日期；不填则取材料上的填表日期，未识别则留空")


class NewUser(BaseModel):
    name: str
    role: str
    password: str


def _job(job: Job) -> dict[str, Any]:
    return {"id": job.id, "status": job.status, "batch_id": job.batch_id, "pages_total": job.pages_total,
            "pages_done": job.pages_done, "message": job.message, "problems": job.problems,
            "bundle_id": job.bundle_id, "trainees": job.trainees, "attempts": job.attempts,
            "created_by": job.created_by, "created_at": job.created_at.isoformat(timespec="seconds"),
            "finished_at": job.finished_at.isoformat(timespec="seconds") if job.finished_at else None}


@router.get("/csrf")
def get_csrf(request: Request) -> dict[str, str]:
    """A CSRF token for this session (needed before logging in)."""
    return {"csrf_token": csrf_token(request)}


@router.post("/session")
def login(request: Request, db: DB, settings: SettingsDep, body: Login) -> dict[str, Any]:
    try:
        user = authenticate(db, settings, request, body.name, body.password)
    except LoginLocked as locked:
        raise HTTPException(429, str(locked)) from None
    except AccountDisabled as disabled:
        raise HTTPException(403, str(disabled)) from None
    if user is None:
        raise HTTPException(401, "用户名或密码不正确")
    return {"name": user.name, "role": user.role, "csrf_token": start_session(db, request, user)}


@router.delete("/session")
def logout(request: Request, db: DB) -> dict[str, bool]:
    end_session(db, request)
    return {"ok": True}


@router.get("/me")
def me(user: CurrentUser) -> dict[str, str]:
    return {"name": user.name, "role": user.role}


@router.post("/uploads", status_code=202)
def upload(request: Request, user: Clerk, settings: SettingsDep, store: StoreDep,
           batch: Annotated[str, Form()], files: Annotated[list[UploadFile], File()],
           quarter: Annotated[str, Form()] = "", institution: Annotated[str, Form()] = "",
           records: Annotated[UploadFile | None, File()] = None) -> dict[str, Any]:
    try:
        job_id = accept_upload(settings, store, request.app.state.queue, user, batch, quarter, institution,
                               files, records)
    except UploadRefused as refused:
        raise HTTPException(400, "；".join(refused.messages)) from None
    return {"job_id": job_id}


@router.get("/jobs/{job_id}")
def job(job_id: int, user: JobWatcher, db: DB) -> dict[str, Any]:
    return _job(visible_job(db, user, job_id))


@router.get("/batches")
def batches(user: BatchReader, db: DB, status: str = "") -> list[dict[str, Any]]:
    return [asdict(r) for r in batch_rows(db, status or None)]


@router.get("/batches/{batch_id}")
def batch(batch_id: int, user: BatchReader, db: DB) -> dict[str, Any]:
    found = get_batch_or_404(db, batch_id)
    return {"batch": asdict(batch_row(db, found)), "claims": [asdict(c) for c in batch_claims(db, found.id, user)]}


@router.post("/batches/{batch_id}/status")
def change_status(batch_id: int, user: BatchActor, db: DB, settings: SettingsDep, body: StatusChange) -> dict[str, Any]:
    """One step of the batch's life; 409 with every reason when it cannot be taken (batch_states)."""
    found = get_batch_or_404(db, batch_id)
    given, unreadable = step_input(body.reason, body.number, body.amount, body.date)
    try:
        if unreadable:
            raise BatchProblem(unreadable)
        event = batch_states.advance(db, settings.data_dir, found, body.status, actor(user), given)
    except BatchProblem as problem:
        raise HTTPException(409, str(problem)) from None
    return {**asdict(batch_row(db, found)), "done": batch_states.describe(event)}


@router.post("/batches/{batch_id}/return")
def return_batch(batch_id: int, user: BatchActor, db: DB, body: BatchReturn) -> dict[str, Any]:
    """退回: a locked batch back to 审核中, with its reason."""
    found = get_batch_or_404(db, batch_id)
    try:
        event = batch_states.return_batch(db, found, actor(user), body.reason)
    except BatchProblem as problem:
        raise HTTPException(409, str(problem)) from None
    return {**asdict(batch_row(db, found)), "done": batch_states.describe(event)}


@router.post("/batches/{batch_id}/publicity")
def publicity(batch_id: int, user: Officer, db: DB, settings: SettingsDep, body: PublicityStart) -> dict[str, Any]:
    found = get_batch_or_404(db, batch_id)
    try:
        set_publicity(db, settings, found, body.start, user)
    except BatchProblem as problem:
        raise HTTPException(409, str(problem)) from None
    return asdict(batch_row(db, found))


@router.get("/batches/{batch_id}/documents")
def list_documents(batch_id: int, user: DocumentReader, db: DB, settings: SettingsDep) -> dict[str, Any]:
    found = get_batch_or_404(db, batch_id)
    return {"available": documents.available_kinds(),
            "files": [asdict(f) for f in documents.list_files(settings.data_dir, f"batch-{found.id}")],
            "left_out": [asdict(r) for r in documents.left_out_rows(db, found.id, user)]}


@router.post("/batches/{batch_id}/documents")
def generate(batch_id: int, user: Officer, db: DB, settings: SettingsDep, body: GenerateRequest) -> dict[str, Any]:
    found = get_batch_or_404(db, batch_id)
    if body.kind not in documents.BATCH_KINDS:
        raise HTTPException(404, "没有这种文书")
    try:
        event = generate_documents(db, settings, found, body.kind, user, body.fill_date)
    except documents.DocumentProblem as problem:
        raise HTTPException(409, str(problem)) from None
    return {"files": event.detail["files"], "version": int(event.detail["version"]),
            "left_out": [asdict(r) for r in documents.left_out_rows(db, found.id, user)]}


@router.get("/batches/{batch_id}/documents/{kind}/{name}")
def download(batch_id: int, kind: str, name: str, user: DocumentReader, db: DB, settings: SettingsDep) -> Response:
    found = get_batch_or_404(db, batch_id)
    path = documents.find_file(settings.data_dir, f"batch-{found.id}", kind, name)
    if path is None:
        raise HTTPException(404, "没有这个文件")
    return documents.download_response(db, path)


@router.post("/search")
def search(user: RecordReader, db: DB, body: ArchiveQuery) -> list[dict[str, Any]]:
    """The claims the archive's query names (the pages' query, the same fields). POST, not GET: an ID number
    searched for must not end up in a URL or an access log."""
    return [asdict(r) for r in search_claims(db, body, user)]


def _trainee(db: DB, trainee_id: int) -> Trainee:
    trainee = db.get(Trainee, trainee_id)
    if trainee is None:
        raise HTTPException(404, "没有这名学员")
    return trainee


@router.get("/trainees/{trainee_id}")
def trainee(trainee_id: int, user: RecordReader, db: DB) -> dict[str, Any]:
    return asdict(trainee_record(db, _trainee(db, trainee_id), user))


@router.post("/trainees/{trainee_id}/reveal")
def reveal(trainee_id: int, user: RecordReader, db: DB) -> dict[str, Any]:
    return asdict(trainee_record(db, _trainee(db, trainee_id), user, reveal=True))


@router.get("/pages/{page_id}/image", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def page_image(page_id: int, user: RecordReader, db: DB, settings: SettingsDep) -> Response:
    return page_image_response(db, settings.data_dir, page_id, user)


@router.get("/users")
def users(user: Admin, db: DB) -> list[dict[str, Any]]:
    return [{"id": u.id, "name": u.name, "role": u.role, "active": u.active} for u in all_users(db)]


@router.post("/users", status_code=201)
def create_user(user: Admin, db: DB, body: NewUser) -> dict[str, Any]:
    try:
        created = add_user(db, body.name, body.role, body.password)
    except UserProblem as problem:
        raise HTTPException(400, str(problem)) from None
    return {"id": created.id, "name": created.name, "role": created.role}
