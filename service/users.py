"""Accounts: creating and listing them, switching them off and on, a new password, another role — for the
command line and the admin page alike. Every change an admin makes to someone's account is a security event
(chained, service.models.SecurityEvent); a new password or a disabled account ends that person's open
sessions, so whoever held the old password is out at once."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.store.models import utcnow
from service.models import SecurityEvent, User, WebSession
from service.security import hash_password
from service.settings import ROLE_NAMES, ROLES

NAME = re.compile(r"^[\w.\-@\u4e00-\u9fff]{2,50}$")


class UserProblem(Exception):
    """A user that cannot be created as asked (message in Chinese, for the admin)."""


def add_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not NAME.match(name):
        raise UserProblem("用户名需 2–50 个字符：汉字、字母、数字或 . - _ @")
    if role not in ROLES:
        raise UserProblem(f"角色应为 {'、'.join(ROLE_NAMES.values())} 之一")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserProblem(f"用户 {name} 已存在")
    try:
        user = User(name=name, role=role, password_hash=hash_password(password))
    except ValueError as problem:
        raise UserProblem(str(problem)) from None
    session.add(user)
    session.commit()
    return user


def _end_sessions(session: Session, user: User, why: str) -> None:
    for row in session.scalars(select(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))):
        row.ended_at, row.ended_why = utcnow(), why


def _event(session: Session, kind: str, by: str, user: User, **detail: str) -> SecurityEvent:
    event = SecurityEvent(kind=kind, who=by, detail={"user": user.name, **detail})
    session.add(event)
    return event


def set_active(session: Session, user: User, active: bool, by: str = "") -> SecurityEvent:
    if user.name == by and not active:
        raise UserProblem("不能停用自己的账号")
    user.active = active
    if not active:
        _end_sessions(session, user, "disabled")
    event = _event(session, "account_enabled" if active else "account_disabled", by, user)
    session.commit()
    return event


def set_password(session: Session, user: User, password: str, by: str = "") -> SecurityEvent:
    """A new password set by an admin (there is no self-service change yet). Only its hash is kept; the
    event names who set it, never the password."""
    try:
        user.password_hash = hash_password(password)
    except ValueError as problem:
        raise UserProblem(str(problem)) from None
    _end_sessions(session, user, "password")
    event = _event(session, "password_reset", by, user)
    session.commit()
    return event


def set_role(session: Session, user: User, role: str, by: str = "") -> SecurityEvent:
    if role not in ROLES:
        raise UserProblem(f"角色应为 {'、'.join(ROLE_NAMES.values())} 之一")
    if user.name == by:
        raise UserProblem("不能更改自己的角色（请另一位管理员操作）")
    if role == user.role:
        raise UserProblem(f"{user.name} 已是{ROLE_NAMES[role]}")
    before, user.role = user.role, role
    event = _event(session, "role_changed", by, user, before=before, after=role)
    session.commit()
    return event


EVENT_WORDS = {"account_enabled": "启用了账号", "account_disabled": "停用了账号", "password_reset": "重设了密码",
               "role_changed": "更改了角色"}


def describe(event: SecurityEvent) -> str:
    """What an admin did, as the admin page then says it."""
    what = EVENT_WORDS.get(event.kind, event.kind)
    user = event.detail.get("user", "")
    extra = ""
    if event.kind == "role_changed":
        before, after = (ROLE_NAMES.get(event.detail.get(k, ""), "") for k in ("before", "after"))
        extra = f"：{before} → {after}"
    if event.kind in ("password_reset", "account_disabled"):
        extra = "；其已登录的会话已结束"
    return f"{event.who} {what}“{user}”{extra}"


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
