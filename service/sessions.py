"""Sessions that end on the server, and logins that cannot be guessed at.

The signed cookie (Starlette's SessionMiddleware: HttpOnly, SameSite=Lax, Secure behind HTTPS) holds a
random session token and the CSRF token, nothing else. Whether the session is open is looked up in
`web_sessions` (by the token's SHA-256) on every request: logout ends it there, so a copy of the cookie
taken before logout opens nothing; so does staying idle past `session_idle_minutes`, and the session's
maximum age. The last-seen time is written at most once a minute, not on every request.

Failed logins are counted per account name and per client address (its keyed hash): after
`login_max_failures` for a name, or `login_ip_max_failures` from one address, within the lockout time,
every login there is refused until the lock ends, the right password too. Each lock is a security event
in its own audit chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from fastapi import Request
from sqlalchemy.orm import Session

from intake.store.db import cipher_of
from intake.store.models import utcnow
from service.models import LoginFailure, SecurityEvent, User, WebSession
from service.security import new_csrf_token
from service.settings import Settings

TOUCH_EVERY = dt.timedelta(minutes=1)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Session, request: Request, user: User) -> str:
    """A fresh session (and CSRF token) at login; nothing from before the login is carried over."""
    end_session(db, request, "replaced")
    token = secrets.token_urlsafe(32)
    db.add(WebSession(token_hash=_token_hash(token), user_id=user.id))
    db.commit()
    request.session.clear()
    request.session["sid"] = token
    csrf = request.session["csrf"] = new_csrf_token()
    return csrf


def session_user(db: Session, request: Request, settings: Settings) -> User | None:
    """The user of the request's session while it is open; an idle or too old session is ended here."""
    token = request.session.get("sid")
    if not isinstance(token, str):
        return None
    row = db.query(WebSession).filter(WebSession.token_hash == _token_hash(token)).one_or_none()
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    why = ("expired" if now - row.created_at > dt.timedelta(seconds=settings.session_max_age) else
           "idle" if now - row.last_seen > dt.timedelta(minutes=settings.session_idle_minutes) else "")
    if why:
        row.ended_at, row.ended_why = now, why
        db.commit()
        return None
    if now - row.last_seen > TOUCH_EVERY:
        row.last_seen = now
        db.commit()
    user = db.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_session(db: Session, request: Request, why: str = "logout") -> None:
    """End the request's session on the server and forget the cookie's content."""
    token = request.session.get("sid")
    if isinstance(token, str):
        row = db.query(WebSession).filter(WebSession.token_hash == _token_hash(token)).one_or_none()
        if row is not None and row.ended_at is None:
            row.ended_at, row.ended_why = utcnow(), why
            db.commit()
    request.session.clear()


# --- failed logins ------------------------------------------------------------------------------

def _keys(db: Session, name: str, address: str) -> dict[str, str]:
    """name -> the counter's key; the address is kept as a keyed hash, never in clear."""
    return {"name": f"name:{name.strip()[:100]}", "ip": f"ip:{cipher_of(db).keyed_hash('ip:' + address)}"}


def locked_until(db: Session, name: str, address: str) -> dt.datetime | None:
    """When the lock on this name or address ends, if one is on now."""
    now = utcnow()
    ends = [row.locked_until for key in _keys(db, name, address).values()
            if (row := db.get(LoginFailure, key)) is not None and row.locked_until and row.locked_until > now]
    return max(ends) if ends else None


def record_failure(db: Session, settings: Settings, name: str, address: str) -> dt.datetime | None:
    """Count a failed login; lock the name or the address when it reaches its limit (a security event).
    Returns when the new lock ends, if this failure set one."""
    now = utcnow()
    window = dt.timedelta(minutes=settings.login_lockout_minutes)
    limits = {"name": settings.login_max_failures, "ip": settings.login_ip_max_failures}
    locked = None
    for kind, key in _keys(db, name, address).items():
        row = db.get(LoginFailure, key) or LoginFailure(key=key, failures=0, first_at=now)
        db.add(row)
        if now - row.first_at > window and not (row.locked_until and row.locked_until > now):
            row.failures, row.first_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= limits[kind] and not (row.locked_until and row.locked_until > now):
            row.locked_until = locked = now + window
            db.add(SecurityEvent(kind="account_locked" if kind == "name" else "address_locked",
                                 who=name.strip()[:100],
                                 detail={"failures": row.failures, "until": row.locked_until.isoformat("T", "seconds"),
                                         "minutes": settings.login_lockout_minutes}))
    db.commit()
    return locked


def record_success(db: Session, name: str, address: str) -> None:
    """A right password while not locked: the name's count starts again (the address's stays: one address
    trying many names is what the address limit is for)."""
    row = db.get(LoginFailure, _keys(db, name, address)["name"])
    if row is not None:
        db.delete(row)
        db.commit()


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""
