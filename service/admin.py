"""The admin's page: create accounts, switch them off and on (never delete: logs and decisions name them),
set a new password, change a role. Each change asks first on a page of its own and the list then says what
was done (service.users records it as a security event)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.deps import DB, Admin
from service.models import SecurityEvent, User
from service.users import UserProblem, add_user, all_users, describe, set_active, set_password, set_role
from service.web import render

router = APIRouter(prefix="/admin", include_in_schema=False)
log = logging.getLogger(__name__)


def _target(db: DB, user_id: int) -> User:
    target = db.get(User, user_id)
    if target is None:
        raise HTTPException(404, "没有这个用户")
    return target


def _list(request: Request, user: User, db: DB, status_code: int = 200, **extra: object) -> Response:
    return render(request, "admin_users.html", {"users": all_users(db), **extra}, user=user, status_code=status_code)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: Admin, db: DB, done: str = "") -> Response:
    event = db.get(SecurityEvent, int(done)) if done.isdigit() else None
    return _list(request, user, db, done=describe(event) if event is not None else "")


@router.post("/users", response_class=HTMLResponse)
def create(request: Request, user: Admin, db: DB, name: Annotated[str, Form()], role: Annotated[str, Form()],
           password: Annotated[str, Form()]) -> Response:
    try:
        created = add_user(db, name, role, password)
    except UserProblem as problem:
        return _list(request, user, db, 400, error=str(problem), form={"name": name, "role": role})
    log.info("user %s (%s) created by %s", created.name, created.role, user.name)
    return RedirectResponse("/admin/users", status_code=303)


def _ask(request: Request, user: User, target: User, action: str, **extra: object) -> Response:
    return render(request, "admin_confirm.html", {"target": target, "action": action, **extra}, user=user,
                  status_code=400 if extra.get("error") else 200)


def _done(event: SecurityEvent) -> Response:
    return RedirectResponse(f"/admin/users?done={event.id}", status_code=303)


@router.post("/users/{user_id}/active", response_class=HTMLResponse)
def toggle(request: Request, user_id: int, user: Admin, db: DB, active: Annotated[str, Form()],
           confirmed: Annotated[str, Form()] = "") -> Response:
    target = _target(db, user_id)
    if confirmed != "1":
        return _ask(request, user, target, "active", active=active)
    try:
        event = set_active(db, target, active == "1", by=user.name)
    except UserProblem as problem:
        return _ask(request, user, target, "active", active=active, error=str(problem))
    log.info("user %s active=%s by %s", target.name, target.active, user.name)
    return _done(event)


@router.post("/users/{user_id}/password", response_class=HTMLResponse)
def password(request: Request, user_id: int, user: Admin, db: DB, password: Annotated[str, Form()] = "",
             confirmed: Annotated[str, Form()] = "") -> Response:
    target = _target(db, user_id)
    if confirmed != "1":
        return _ask(request, user, target, "password")
    try:
        event = set_password(db, target, password, by=user.name)
    except UserProblem as problem:
        return _ask(request, user, target, "password", error=str(problem))
    log.info("user %s: password reset by %s", target.name, user.name)
    return _done(event)


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def role(request: Request, user_id: int, user: Admin, db: DB, role: Annotated[str, Form()] = "",
         confirmed: Annotated[str, Form()] = "") -> Response:
    target = _target(db, user_id)
    if confirmed != "1":
        return _ask(request, user, target, "role", role=role)
    try:
        event = set_role(db, target, role, by=user.name)
    except UserProblem as problem:
        return _ask(request, user, target, "role", role=role, error=str(problem))
    log.info("user %s: role %s by %s", target.name, target.role, user.name)
    return _done(event)
