"""Accounts: creating and listing them, for the command line and the admin page alike."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.models import User
from service.security import hash_password
from service.settings import ROLES

NAME = re.compile(r"^[\w.\-@\u4e00-\u9fff]{2,50}$")


class UserProblem(Exception):
    """A user that cannot be created as asked (message in Chinese, for the admin)."""


def add_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not NAME.match(name):
        raise UserProblem("用户名需 2–50 个字符：汉字、字母、数字或 . - _ @")
    if role not in ROLES:
        raise UserProblem(f"角色应为 {', '.join(ROLES)} 之一")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserProblem(f"用户 {name} 已存在")
    try:
        user = User(name=name, role=role, password_hash=hash_password(password))
    except ValueError as problem:
        raise UserProblem(str(problem)) from None
    session.add(user)
    session.commit()
    return user


def set_active(session: Session, user: User, active: bool) -> None:
    user.active = active
    session.commit()


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
