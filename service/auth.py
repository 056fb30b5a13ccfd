"""Logging in and out. The session cookie holds the user id and the CSRF token only."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from service.deps import DB, CurrentUser
from service.models import User
from service.security import new_csrf_token, verify_password
from service.web import HOME, render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


def authenticate(db: DB, name: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.name == name.strip()))
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def start_session(request: Request, user: User) -> str:
    """A fresh session (and CSRF token) at login: nothing from before the login is carried over."""
    request.session.clear()
    request.session["uid"] = user.id
    token = request.session["csrf"] = new_csrf_token()
    log.info("login: %s (%s)", user.name, user.role)
    return token


@router.get("/", response_class=HTMLResponse)
def home(user: CurrentUser) -> Response:
    return RedirectResponse(HOME.get(user.role, "/login"), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, db: DB, name: Annotated[str, Form()], password: Annotated[str, Form()]) -> Response:
    user = authenticate(db, name, password)
    if user is None:
        log.info("login refused for a name of %d characters", len(name))
        return render(request, "login.html", {"error": "用户名或密码不正确", "name": name}, status_code=401)
    start_session(request, user)
    return RedirectResponse(HOME.get(user.role, "/"), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
