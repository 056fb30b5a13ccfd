"""The institutions registry in the web app (机构名录): the list, an import, one institution's page with its
printed names, recognitions and disqualifications, and the history of every change.

Admins and officers edit (the role is checked on every request by the route's signature, CSRF by the app);
each change is a chained InstitutionEvent naming the account (intake/store/institutions.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from intake.fields.credit_codes import read_credit_code
from intake.fields.dates import parse_typed_date
from intake.fields.institutions import REGISTRY_LABELS
from intake.institutions.eligibility import known_category
from intake.institutions.importer import import_registry
from intake.institutions.names import split_names, tidy_name
from intake.store import institutions as registry
from intake.store.findings import redecide_institution
from intake.store.models import Disqualification, Institution, Recognition
from ocr.errors import InputProblem
from service.deps import DB, SettingsDep, require_role
from service.models import User
from service.upload_checks import safe_name
from service.web import render

router = APIRouter(prefix="/institutions", include_in_schema=False)
log = logging.getLogger(__name__)
RegistryEditor = Annotated[User, Depends(require_role("admin", "officer"))]
ACTIONS = {"registered": "登记入名录", "renamed": "更名", "aliases": "修改简称", "recognised": "新增认定",
           "recognition_changed": "修改认定有效期", "recognition_removed": "删除认定", "disqualified": "取消培训资格",
           "disqualification_changed": "修改取消资格原因", "disqualification_removed": "撤销取消资格"}
MAX_LIST_BYTES = 10 << 20


def _institution(db: DB, institution_id: int) -> Institution:
    found = db.get(Institution, institution_id)
    if found is None or found.credit_code is None:
        raise HTTPException(404, "名录中没有这个机构")
    return found


def _list(request: Request, user: User, db: DB, status_code: int = 200, **extra: object) -> Response:
    rows = registry.registered(db)
    today = dt.date.today()
    disqualified = {i.id: min((d.disqualified_on for d in i.disqualifications), default=None) for i in rows}
    return render(request, "institutions.html", {"rows": rows, "disqualified": disqualified, "today": today,
                                                 **extra}, user=user, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def institutions(request: Request, user: RegistryEditor, db: DB) -> Response:
    return _list(request, user, db)


@router.post("/import", response_class=HTMLResponse)
def import_list(request: Request, user: RegistryEditor, db: DB, settings: SettingsDep,
                file: Annotated[UploadFile, File()]) -> Response:
    """The departments' list, taken in as `subsidy institutions import` does (the same checks and messages)."""
    name = safe_name(file.filename, "机构名录.xlsx")
    folder = Path(tempfile.mkdtemp(prefix=".registry-", dir=settings.data_dir))
    try:
        path = folder / name
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        if path.stat().st_size > MAX_LIST_BYTES:
            return _list(request, user, db, 400, error=f"{name}：文件过大（机构名录最多 10 MB）")
        try:
            report = import_registry(db, path, settings.policy, who=user.name)
        except InputProblem as problem:
            db.rollback()
            return _list(request, user, db, 400, error=str(problem))
        db.commit()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log.info("registry %s imported by %s: %s", name, user.name, report.summary())
    return _list(request, user, db, report=report)


@router.post("", response_class=HTMLResponse)
def create(request: Request, user: RegistryEditor, db: DB, name: Annotated[str, Form()],
           credit_code: Annotated[str, Form()], aliases: Annotated[str, Form()] = "") -> Response:
    code, why = read_credit_code(credit_code)
    clean = tidy_name(name)
    problems = [p for p in (why, "" if clean else "请填写机构名称") if p]
    if code is not None and registry.by_code(db, code) is not None:
        problems.append(f"统一社会信用代码 {code} 已在名录中")
    if problems:
        return _list(request, user, db, 400, error="；".join(problems),
                     form={"name": name, "credit_code": credit_code, "aliases": aliases})
    try:
        institution, _ = registry.register(db, clean, code, user.name)
    except registry.RegistryProblem as problem:
        return _list(request, user, db, 400, error=str(problem), form={"name": name, "credit_code": credit_code})
    registry.add_aliases(db, institution, split_names(aliases), user.name)
    db.commit()
    return RedirectResponse(f"/institutions/{institution.id}?done=registered", status_code=303)


def _page(request: Request, user: User, db: DB, institution: Institution, status_code: int = 200,
          **extra: object) -> Response:
    events = registry.history(db, institution.id)
    return render(request, "institution.html", {"institution": institution, "events": events, "actions": ACTIONS,
                                                **extra}, user=user, status_code=status_code)


@router.get("/{institution_id}", response_class=HTMLResponse)
def institution_page(request: Request, institution_id: int, user: RegistryEditor, db: DB, done: str = "") -> Response:
    return _page(request, user, db, _institution(db, institution_id), done=ACTIONS.get(done, ""))


def _done(institution: Institution, action: str) -> Response:
    return RedirectResponse(f"/institutions/{institution.id}?done={action}", status_code=303)


@router.post("/{institution_id}/names", response_class=HTMLResponse)
def names(request: Request, institution_id: int, user: RegistryEditor, db: DB, name: Annotated[str, Form()],
          aliases: Annotated[str, Form()] = "") -> Response:
    institution = _institution(db, institution_id)
    try:
        renamed = registry.rename(db, institution, tidy_name(name), user.name)
    except registry.RegistryProblem as problem:
        return _page(request, user, db, institution, 400, error=str(problem))
    changed = registry.set_aliases(db, institution, split_names(aliases), user.name)
    db.commit()
    return _done(institution, "renamed" if renamed else "aliases" if changed else "")


def _day(text: str, label: str, problems: list[str], required: bool = True) -> dt.date | None:
    if not text.strip():
        if required:
            problems.append(f"请填写{label}")
        return None
    day = parse_typed_date(text)
    if day is None:
        problems.append(f"{label}“{text}”无法识别")
    return day


@router.post("/{institution_id}/recognitions", response_class=HTMLResponse)
def recognise(request: Request, institution_id: int, user: RegistryEditor, db: DB, settings: SettingsDep,
              category: Annotated[str, Form()] = "", department: Annotated[str, Form()] = "",
              announcement_no: Annotated[str, Form()] = "", valid_from: Annotated[str, Form()] = "",
              valid_to: Annotated[str, Form()] = "") -> Response:
    institution = _institution(db, institution_id)
    problems: list[str] = []
    category, department, announcement_no = category.strip(), department.strip(), announcement_no.strip()
    if not known_category(category):
        problems.append(f"认定类别“{category}”不是特种作业或特种设备作业的类别或项目" if category else "请填写认定类别")
    for value, label in ((department, REGISTRY_LABELS["department"][0]),
                            (announcement_no, REGISTRY_LABELS["announcement_no"][0])):
        if not value:
            problems.append(f"请填写{label}")
    start = _day(valid_from, REGISTRY_LABELS["valid_from"][0], problems)
    end = _day(valid_to, REGISTRY_LABELS["valid_to"][0], problems, required=False)
    if start and end and end < start:
        problems.append("有效期止早于有效期起")
    if problems:
        form = {"category": category, "department": department, "announcement_no": announcement_no,
                "valid_from": valid_from, "valid_to": valid_to}
        return _page(request, user, db, institution, 400, error="；".join(problems), recognition_form=form)
    changed = registry.recognise(db, institution, category, department, announcement_no, start, end, user.name)
    redecide_institution(db, institution.id, user.name, settings.policy)
    db.commit()
    return _done(institution, "recognised" if changed else "")


@router.post("/{institution_id}/recognitions/{recognition_id}/remove", response_class=HTMLResponse)
def remove_recognition(request: Request, institution_id: int, recognition_id: int, user: RegistryEditor, db: DB,
                       settings: SettingsDep,
                       why: Annotated[str, Form()] = "") -> Response:
    institution = _institution(db, institution_id)
    found = db.get(Recognition, recognition_id)
    if found is None or found.institution_id != institution.id:
        raise HTTPException(404, "没有这条认定")
    if not why.strip():
        return _page(request, user, db, institution, 400, error="删除认定须写明理由（如：录入错误）")
    registry.withdraw_recognition(db, found, user.name, why.strip())
    redecide_institution(db, institution.id, user.name, settings.policy)
    db.commit()
    return _done(institution, "recognition_removed")


@router.post("/{institution_id}/disqualifications", response_class=HTMLResponse)
def disqualify(request: Request, institution_id: int, user: RegistryEditor, db: DB, settings: SettingsDep,
               day: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
    institution = _institution(db, institution_id)
    problems: list[str] = []
    when = _day(day, REGISTRY_LABELS["disqualified_on"][0], problems)
    if not reason.strip():
        problems.append("请填写取消资格原因")
    if problems:
        return _page(request, user, db, institution, 400, error="；".join(problems),
                     disqualification_form={"day": day, "reason": reason})
    changed = registry.disqualify(db, institution, when, reason.strip(), user.name)
    redecide_institution(db, institution.id, user.name, settings.policy)
    db.commit()
    log.info("institution %s disqualified from %s by %s", institution.id, when, user.name)
    return _done(institution, "disqualified" if changed else "")


@router.post("/{institution_id}/disqualifications/{disqualification_id}/lift", response_class=HTMLResponse)
def lift(request: Request, institution_id: int, disqualification_id: int, user: RegistryEditor, db: DB,
         settings: SettingsDep,
         why: Annotated[str, Form()] = "") -> Response:
    institution = _institution(db, institution_id)
    found = db.get(Disqualification, disqualification_id)
    if found is None or found.institution_id != institution.id:
        raise HTTPException(404, "没有这条取消资格记录")
    if not why.strip():
        return _page(request, user, db, institution, 400, error="撤销取消资格须写明理由")
    registry.lift_disqualification(db, found, user.name, why.strip())
    redecide_institution(db, institution.id, user.name, settings.policy)
    db.commit()
    return _done(institution, "disqualification_removed")
