"""Typed dependencies: the settings, a database session, the current user and role guards.

A route says who may call it in its signature (`user: Officer`), so a forgotten check is visible in
review and every route of the OpenAPI description is guarded the same way (tests walk them all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from intake.store.db import Store
from service.models import User
from service.security import CSRF_FIELD, CSRF_HEADER, new_csrf_token, same_token
from service.sessions import session_user
from service.settings import ROLES, Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotLoggedIn(Exception):
    """Raised by `current_user`; answered with 401 under /api and a redirect to the login page elsewhere."""


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
DB = Annotated[Session, Depends(get_db)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created with the session (also for the anonymous login form)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = new_csrf_token()
    return token


async def check_csrf(request: Request) -> None:
    """Every unsafe request echoes the session's token (form field or header); applied to the whole app."""
    if request.method not in UNSAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    if not given and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not same_token(request.session.get("csrf"), given):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def current_user(request: Request, db: DB, settings: SettingsDep) -> User:
    """The user of the request's open session (sessions.py); NotLoggedIn for none, an ended or idle one."""
    user = session_user(db, request, settings)
    if user is None:
        raise NotLoggedIn()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: str) -> Callable[[User], User]:
    """A dependency that lets only these roles through (403 for the others)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def guard(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(403, "您的角色无权进行此操作")
        return user

    guard.__name__ = "require_" + "_or_".join(roles)
    return guard


Clerk = Annotated[User, Depends(require_role("clerk"))]
Officer = Annotated[User, Depends(require_role("officer"))]
Admin = Annotated[User, Depends(require_role("admin"))]
# Who may open trainees, original scans and decisions: the archivist, and the reviewer whose form builds on it.
RecordReader = Annotated[User, Depends(require_role("archivist", "reviewer"))]
# Who may follow an upload's job: the clerk who made it, and the staff who handle batches.
JobWatcher = Annotated[User, Depends(require_role("clerk", "officer", "reviewer"))]
# Who may see the batch list (officer works it; reviewer and archivist read it).
BatchReader = Annotated[User, Depends(require_role("officer", "reviewer", "archivist"))]
# Roles allowed to see a full ID number or phone, always on an explicit request that is logged.
REVEALING_ROLES = frozenset({"reviewer", "archivist"})
# Who may download generated documents (they carry full ID numbers, as the bureau's forms require).
DocumentReader = Annotated[User, Depends(require_role("officer", "archivist"))]
Reviewer = Annotated[User, Depends(require_role("reviewer"))]
