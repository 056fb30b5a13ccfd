"""Logging in and out (sessions.py: sessions end on the server; failed logins lock the name or address)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from service.clock import beijing
from service.deps import DB, CurrentUser, SettingsDep
from service.models import User
from service.security import verify_password
from service.sessions import client_address, end_session, locked_until, open_session, record_failure, record_success
from service.settings import Settings
from service.web import HOME, render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


class LoginLocked(Exception):
    """Too many failed logins for this name or from this address: refused until `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"登录失败次数过多，已暂时锁定，请于 {beijing(until):%H:%M}（北京时间）后再试或联系管理员")
        self.until = until


class AccountDisabled(Exception):
    """The right password for an account an admin switched off: said so (only to who knows the password)."""

    def __init__(self) -> None:
        super().__init__("您的账号已停用，请联系管理员")


def authenticate(db: DB, settings: Settings, request: Request, name: str, password: str) -> User | None:
    """The user when name and password are right and no lock is on; LoginLocked while one is."""
    address = client_address(request)
    if (until := locked_until(db, name, address)) is not None:
        log.warning("login refused while locked (a name of %d characters)", len(name))
        raise LoginLocked(until)
    user = db.scalar(select(User).where(User.name == name.strip()))
    ok = verify_password(user.password_hash if user else None, password)
    if ok and user is not None and user.active:
        record_success(db, name, address)
        return user
    if ok and user is not None:
        raise AccountDisabled()
    if (until := record_failure(db, settings, name, address)) is not None:
        log.warning("login locked after repeated failures (a name of %d characters)", len(name))
        raise LoginLocked(until)
    return None


def start_session(db: DB, request: Request, user: User) -> str:
    """A fresh server-side session (and CSRF token) at login; returns the CSRF token."""
    token = open_session(db, request, user)
    log.info("login: %s (%s)", user.name, user.role)
    return token


@router.get("/", response_class=HTMLResponse)
def home(user: CurrentUser) -> Response:
    return RedirectResponse(HOME.get(user.role, "/login"), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, db: DB, settings: SettingsDep, name: Annotated[str, Form()],
          password: Annotated[str, Form()]) -> Response:
    try:
        user = authenticate(db, settings, request, name, password)
    except LoginLocked as locked:
        return render(request, "login.html", {"error": str(locked), "name": name}, status_code=429)
    except AccountDisabled as disabled:
        return render(request, "login.html", {"error": str(disabled), "name": name}, status_code=403)
    if user is None:
        log.info("login refused for a name of %d characters", len(name))
        return render(request, "login.html", {"error": "用户名或密码不正确", "name": name}, status_code=401)
    start_session(db, request, user)
    return RedirectResponse(HOME.get(user.role, "/"), status_code=303)


@router.post("/logout")
def logout(request: Request, db: DB) -> Response:
    end_session(db, request)
    return RedirectResponse("/login", status_code=303)
