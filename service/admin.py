"""The admin's page: create accounts and switch them off (never delete: logs and decisions name them)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.deps import DB, Admin
from service.models import User
from service.users import UserProblem, add_user, all_users, set_active
from service.web import render

router = APIRouter(prefix="/admin", include_in_schema=False)
log = logging.getLogger(__name__)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: Admin, db: DB) -> Response:
    return render(request, "admin_users.html", {"users": all_users(db)}, user=user)


@router.post("/users", response_class=HTMLResponse)
def create(request: Request, user: Admin, db: DB, name: Annotated[str, Form()], role: Annotated[str, Form()],
           password: Annotated[str, Form()]) -> Response:
    try:
        created = add_user(db, name, role, password)
    except UserProblem as problem:
        return render(request, "admin_users.html", {"users": all_users(db), "error": str(problem),
                                                    "form": {"name": name, "role": role}}, user=user, status_code=400)
    log.info("user %s (%s) created by %s", created.name, created.role, user.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/active", response_class=HTMLResponse)
def toggle(user_id: int, user: Admin, db: DB, active: Annotated[str, Form()]) -> Response:
    target = db.get(User, user_id)
    if target is None:
        raise HTTPException(404, "没有这个用户")
    if target.id == user.id:
        raise HTTPException(400, "不能停用自己的账号")
    set_active(db, target, active == "1")
    log.info("user %s active=%s by %s", target.name, target.active, user.name)
    return RedirectResponse("/admin/users", status_code=303)
