"""Passwords, the session key and CSRF tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations). The
cookie is Starlette's signed cookie (HttpOnly, SameSite=Lax, Secure behind HTTPS) holding only the
session's token and the CSRF token; whether the session is open is the server's to say (sessions.py). No
personal data ever rides in a cookie. Every unsafe request must echo
the session's CSRF token, in the form field `csrf_token` or the `X-CSRF-Token` header (for the API).
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
# Checking a name that does not exist costs as much as checking a wrong password: no timing oracle.
_DUMMY_HASH = _hasher.hash("not a password of anyone")
MIN_PASSWORD = 8
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少需要 {MIN_PASSWORD} 个字符")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def session_secret(path: Path) -> str:
    """The key that signs session cookies: from the file, created (0600) on first start. Separate from the
    field-encryption key so that rotating one (logging everyone out) never touches the other."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text().strip()


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
