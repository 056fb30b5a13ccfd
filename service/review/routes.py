"""The review pages (role `reviewer` on every route): the queue, a batch's claims, the correction form,
lists that verify one kind of value across a batch, crops, and the saves.

Routes stay thin: they parse the form, call service.review.actions and answer with a redirect (303, so
Enter leads straight on to the next doubt or claim) or the same page again with the reason (422 for a
refused value, 409 for a stale form, both re-rendered with what the store holds now).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from intake.store.findings import findings_of
from intake.store.models import Batch, Claim, Page
from intake.store.registry import reveal_id_number
from service.batch_states import locked_problem
from service.deps import DB, Reviewer, SettingsDep
from service.models import ReviewClaim
from service.review import actions
from service.review.actions import NotAllowed, Stale
from service.review.crops import crop_png, page_png, upright_page
from service.review.evidence import ensure_review_rows, reading_of
from service.review.history import history
from service.review.queue import STATUS_NAMES, batch_queue, claim_line, next_claim, progress, waiting_batches
from service.review.values import FIELD_NAMES, TEXT_FIELDS, VERDICT_FIELDS, VERDICT_NAMES, Conflict, Refused
from service.scans import PageNotAvailable
from service.web import render

router = APIRouter(prefix="/review", include_in_schema=False)
VERIFIABLE = TEXT_FIELDS + VERDICT_FIELDS
PNG_HEADERS = {"Cache-Control": "private, no-store"}
WITNESS_DOCUMENTS = {"roster": "花名册", "agreement": "协议书", "certificate": "证书复印件",
                     "records": "学员信息表（Excel）", "report": "申请报告"}


def _batch(db: DB, batch_id: int) -> Batch:
    batch = db.get(Batch, batch_id)
    if batch is None:
        raise HTTPException(404, "没有这个批次")
    return batch


def _claim(db: DB, claim_id: int) -> Claim:
    claim = db.get(Claim, claim_id)
    if claim is None:
        raise HTTPException(404, "没有这条申请")
    return claim


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- the queue ---------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def queue(request: Request, user: Reviewer, db: DB, settings: SettingsDep) -> Response:
    ctx = actions.context(user, settings)
    return render(request, "review.html", {"queues": waiting_batches(db, ctx)}, user=user)


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(request: Request, batch_id: int, user: Reviewer, db: DB, settings: SettingsDep,
               message: str = "") -> Response:
    ctx = actions.context(user, settings)
    q = batch_queue(db, _batch(db, batch_id), ctx)
    entries = history(db, [line.claim_id for line in q.lines])
    return render(request, "review_batch.html", {"q": q, "history": entries, "message": message,
                                                 "locked": locked_problem(q.batch),
                                                 "second_reviewer": settings.review_second_reviewer}, user=user)


@router.get("/batches/{batch_id}/status")
def batch_status(batch_id: int, user: Reviewer, db: DB, settings: SettingsDep) -> JSONResponse:
    """The batch's review progress as JSON (what the officer's side and scripts poll)."""
    q = batch_queue(db, _batch(db, batch_id), actions.context(user, settings))
    return JSONResponse({"batch_id": batch_id, "claims": q.total, "decided": q.decided, "ready": q.ready,
                         "open_doubts": q.open_doubts, "awaiting_second": q.awaiting_second,
                         "status": {line.claim_id: line.status for line in q.lines}})


@router.get("/batches/{batch_id}/next")
def next_in_batch(batch_id: int, user: Reviewer, db: DB, after: int | None = None) -> Response:
    _batch(db, batch_id)
    found = next_claim(db, batch_id, after, user.name)
    return _see_other(f"/review/claims/{found}" if found else f"/review/batches/{batch_id}")


@router.post("/batches/{batch_id}/accept-clean")
async def accept_clean(request: Request, batch_id: int, user: Reviewer, db: DB, settings: SettingsDep) -> Response:
    _batch(db, batch_id)
    form = await request.form()
    seen = []
    for item in str(form.get("seen", "")).split(","):
        claim_id, _, revision = item.partition(":")
        if claim_id.isdigit() and revision.isdigit():
            seen.append((int(claim_id), int(revision)))
    ctx = actions.context(user, settings)
    if form.get("confirmed") != "1":  # the bulk accept asks first, listing exactly what it would accept
        q = batch_queue(db, _batch(db, batch_id), ctx)
        wanted = dict(seen)
        lines = [line for line in q.clean if wanted.get(line.claim_id) == line.revision]
        if not lines:
            return _see_other(f"/review/batches/{batch_id}?message={quote('没有可批量接受的申请')}")
        shown = ",".join(f"{line.claim_id}:{line.revision}" for line in lines)
        return render(request, "review_accept_clean.html", {"q": q, "lines": lines, "seen": shown}, user=user)
    accepted, skipped = actions.accept_clean(db, seen, ctx)
    note = f"已批量接受 {accepted} 条" + (f"；{skipped} 条在此期间有变动，未接受，请逐条查看" if skipped else "")
    return _see_other(f"/review/batches/{batch_id}?message={quote(note)}")


# --- verifying one kind of value across a batch ------------------------------------------------

def _verify_rows(db: DB, batch: Batch, field: str, ctx: actions.Context) -> list[dict]:
    rows = []
    for state in db.scalars(select(ReviewClaim).where(ReviewClaim.batch_id == batch.id, ReviewClaim.status == "open")
                            .order_by(ReviewClaim.claim_id)):
        review = actions.load_review(db, state.claim_id, ctx)
        doubt = review.doubt(field)
        if doubt is None or not doubt.open:
            continue
        if field == "id_number":
            reveal_id_number(db, review.claim.trainee, ctx.user.name, "审核：逐类核对身份证号")
        rows.append({"review": review, "doubt": doubt, "witnesses": review.reading.of(field),
                     "value": review.values.get(field, ""), "version": 0 if doubt.settled is None else
                     doubt.settled.version})
    db.commit()
    return rows


@router.get("/batches/{batch_id}/verify/{field}", response_class=HTMLResponse)
def verify_list(request: Request, batch_id: int, field: str, user: Reviewer, db: DB,
                settings: SettingsDep) -> Response:
    if field not in VERIFIABLE:
        raise HTTPException(404, "这一类字段不能批量核对")
    batch = _batch(db, batch_id)
    rows = _verify_rows(db, batch, field, actions.context(user, settings))
    return render(request, "review_verify.html", {"batch": batch, "field": field, "rows": rows, "errors": {},
                                                  "typed": {}, "FIELD_NAMES": FIELD_NAMES, "DOC": WITNESS_DOCUMENTS,
                                                  "VERDICT_NAMES": VERDICT_NAMES}, user=user)


@router.post("/batches/{batch_id}/verify/{field}", response_class=HTMLResponse)
async def verify_save(request: Request, batch_id: int, field: str, user: Reviewer, db: DB,
                      settings: SettingsDep) -> Response:
    if field not in VERIFIABLE:
        raise HTTPException(404, "这一类字段不能批量核对")
    batch = _batch(db, batch_id)
    ctx = actions.context(user, settings)
    form = await request.form()
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    saved = 0
    for key in form:
        if not key.startswith("value_") or not key[6:].isdigit():
            continue
        claim_id = int(key[6:])
        if form.get(f"later_{claim_id}"):
            continue
        value = str(form.get(key, ""))
        version = str(form.get(f"version_{claim_id}", "0"))
        try:
            actions.save_field(db, claim_id, field, value, int(version) if version.isdigit() else -1, ctx,
                               str(form.get("why", "")))
            saved += 1
        except (Refused, Conflict, Stale, NotAllowed) as problem:
            db.rollback()
            errors[claim_id], typed[claim_id] = str(problem), value
        except LookupError:
            db.rollback()
            errors[claim_id] = "没有这条申请"
    if not errors:
        note = f"{FIELD_NAMES.get(field, field)}：已核对 {saved} 条"
        return _see_other(f"/review/batches/{batch_id}?message={quote(note)}")
    rows = _verify_rows(db, batch, field, ctx)
    return render(request, "review_verify.html", {"batch": batch, "field": field, "rows": rows, "errors": errors,
                                                  "typed": typed, "saved": saved, "FIELD_NAMES": FIELD_NAMES,
                                                  "DOC": WITNESS_DOCUMENTS, "VERDICT_NAMES": VERDICT_NAMES}, user=user,
                  status_code=409 if any("已由" in e or "过期" in e for e in errors.values()) else 422)


# --- the correction form -----------------------------------------------------------------------

def _form(request: Request, db: DB, user: Reviewer, settings: SettingsDep, claim_id: int, *, error: str = "",
          error_field: str = "", typed: str = "", status_code: int = 200) -> Response:
    ctx = actions.context(user, settings)
    claim = _claim(db, claim_id)
    batch = _batch(db, claim.batch_id)
    q = progress(db, batch.id)
    review = actions.load_review(db, claim_id, ctx)
    # The form shows the full ID and phone and the scan they were read from: a logged view of the trainee.
    reveal_id_number(db, review.claim.trainee, user.name, "审核更正表单（核对身份证号等字段及原始扫描件）")
    db.commit()
    review = actions.load_review(db, claim_id, ctx)
    stored = set(db.scalars(select(Page.number).where(Page.bundle_id == claim.bundle_id))) if claim.bundle_id else set()
    named = {ref.get("page") for ref in claim.page_refs or []}
    pages = sorted(stored & named) or sorted(stored)
    line = claim_line(review, ctx)
    first_open = next((d.field for d in review.open_doubts), "")
    context = {"q": q, "r": review, "line": line, "pages": pages, "batch": batch, "error": error,
               "error_field": error_field or (first_open if error else ""), "typed": typed,
               "first_open": error_field or first_open, "why_not": actions.can_accept(review, ctx.policy),
               "history": history(db, [claim_id], reveal=True, include_rules=True),
               "FIELD_NAMES": FIELD_NAMES, "VERDICT_NAMES": VERDICT_NAMES, "TEXT_FIELDS": TEXT_FIELDS,
               "STATUS_NAMES": STATUS_NAMES, "second_reviewer": settings.review_second_reviewer,
               "next_id": next_claim(db, batch.id, claim_id, user.name), "DOC": WITNESS_DOCUMENTS,
               "locked": locked_problem(batch), "findings": findings_of(db, [claim_id])[claim_id]}
    return render(request, "review_claim.html", context, user=user, status_code=status_code)


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_form(request: Request, claim_id: int, user: Reviewer, db: DB, settings: SettingsDep) -> Response:
    claim = _claim(db, claim_id)
    ensure_review_rows(db, claim.batch_id)
    return _form(request, db, user, settings, claim_id)


@router.post("/claims/{claim_id}/fields/{field}", response_class=HTMLResponse)
def save_field(request: Request, claim_id: int, field: str, user: Reviewer, db: DB, settings: SettingsDep,
               value: Annotated[str, Form()] = "", version: Annotated[int, Form()] = 0,
               why: Annotated[str, Form()] = "") -> Response:
    _claim(db, claim_id)
    try:
        actions.save_field(db, claim_id, field, value, version, actions.context(user, settings), why)
    except NotAllowed as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field=field, typed=value,
                     status_code=409)
    except (Refused, Conflict) as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field=field, typed=value,
                     status_code=422)
    except Stale as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field=field, status_code=409)
    return _see_other(f"/review/claims/{claim_id}")


@router.post("/claims/{claim_id}/seals/{document}", response_class=HTMLResponse)
def save_seal(request: Request, claim_id: int, document: int, user: Reviewer, db: DB, settings: SettingsDep,
              present: Annotated[str, Form()] = "", version: Annotated[int, Form()] = 0,
              why: Annotated[str, Form()] = "") -> Response:
    _claim(db, claim_id)
    if present not in ("yes", "no"):
        return _form(request, db, user, settings, claim_id, error="请选择“有公章”或“无公章”", error_field="seal",
                     status_code=422)
    try:
        actions.save_seal(db, claim_id, document, present == "yes", version, actions.context(user, settings), why)
    except NotAllowed as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="seal", status_code=409)
    except Refused as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="seal", status_code=422)
    except Stale as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="seal", status_code=409)
    return _see_other(f"/review/claims/{claim_id}")


@router.post("/claims/{claim_id}/decision", response_class=HTMLResponse)
def decide(request: Request, claim_id: int, user: Reviewer, db: DB, settings: SettingsDep,
           outcome: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
           revision: Annotated[int, Form()] = -1) -> Response:
    claim = _claim(db, claim_id)
    batch_id = claim.batch_id
    try:
        actions.decide(db, claim_id, outcome, reason, revision, actions.context(user, settings))
    except (Refused, NotAllowed) as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="decision",
                     status_code=422)
    except Stale as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="decision",
                     status_code=409)
    return _see_other(f"/review/batches/{batch_id}/next?after={claim_id}")


@router.post("/claims/{claim_id}/second", response_class=HTMLResponse)
def second(request: Request, claim_id: int, user: Reviewer, db: DB, settings: SettingsDep,
           agree: Annotated[str, Form()] = "", why: Annotated[str, Form()] = "",
           revision: Annotated[int, Form()] = -1) -> Response:
    claim = _claim(db, claim_id)
    batch_id = claim.batch_id
    try:
        actions.second_opinion(db, claim_id, agree == "yes", why, revision, actions.context(user, settings))
    except NotAllowed as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="decision",
                     status_code=403 if "提议人" in str(problem) else 422)
    except Stale as problem:
        db.rollback()
        return _form(request, db, user, settings, claim_id, error=str(problem), error_field="decision",
                     status_code=409)
    return _see_other(f"/review/batches/{batch_id}/next?after={claim_id}")


@router.post("/claims/{claim_id}/postpone")
def postpone(request: Request, claim_id: int, user: Reviewer, db: DB, settings: SettingsDep) -> Response:
    claim = _claim(db, claim_id)
    batch_id = claim.batch_id
    try:
        actions.postpone(db, claim_id, actions.context(user, settings))
    except NotAllowed as problem:
        return _form(request, db, user, settings, claim_id, error=str(problem), status_code=409)
    return _see_other(f"/review/batches/{batch_id}/next?after={claim_id}")


# --- images ------------------------------------------------------------------------------------

def _page_image(db: DB, settings: SettingsDep, claim: Claim, number: int):  # -> np.ndarray
    page = db.scalar(select(Page).where(Page.bundle_id == claim.bundle_id, Page.number == number)) \
        if claim.bundle_id else None
    if page is None:
        raise HTTPException(404, "没有这一页")
    try:
        return upright_page(db, settings.data_dir, page)
    except PageNotAvailable as problem:
        raise HTTPException(404, str(problem)) from None


def _witness(db: DB, user: Reviewer, settings: SettingsDep, claim_id: int, index: int):
    claim = _claim(db, claim_id)
    witness = next((w for w in reading_of(db, claim).witnesses if w.index == index), None)
    if witness is None or not witness.has_box:
        raise HTTPException(404, "这一项没有扫描件位置")
    return claim, witness


@router.get("/claims/{claim_id}/witness/{index}.png")
def witness_crop(claim_id: int, index: int, user: Reviewer, db: DB, settings: SettingsDep) -> Response:
    claim, witness = _witness(db, user, settings, claim_id, index)
    image = _page_image(db, settings, claim, witness.page)
    return Response(crop_png(image, witness.box), media_type="image/png", headers=PNG_HEADERS)


@router.get("/claims/{claim_id}/witness/{index}/page.png")
def witness_page(claim_id: int, index: int, user: Reviewer, db: DB, settings: SettingsDep) -> Response:
    claim, witness = _witness(db, user, settings, claim_id, index)
    image = _page_image(db, settings, claim, witness.page)
    return Response(page_png(image, [witness.box]), media_type="image/png", headers=PNG_HEADERS)


@router.get("/claims/{claim_id}/pages/{number}.png")
def claim_page(claim_id: int, number: int, user: Reviewer, db: DB, settings: SettingsDep,
               width: int = 1400) -> Response:
    """A whole page of the claim's bundle with every box of this claim's witnesses on it outlined."""
    claim = _claim(db, claim_id)
    image = _page_image(db, settings, claim, number)
    boxes = [w.box for w in reading_of(db, claim).witnesses if w.page == number and w.has_box]
    return Response(page_png(image, boxes, width=max(200, min(width, 2400))), media_type="image/png",
                    headers=PNG_HEADERS)
