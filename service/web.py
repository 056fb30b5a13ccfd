"""Server-rendered pages: one Jinja2 environment, and `render` which adds what every page needs
(the user, their role's menu, the CSRF token for forms)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from intake.labels import BATCH_STATUSES, FLAGS, OUTCOMES, PAGE_KINDS, mark_label, paper_row, who_label
from service.clock import beijing_text
from service.deps import csrf_token
from service.models import User
from service.settings import ROLE_NAMES

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(ROLE_NAMES=ROLE_NAMES, STATUS_NAMES=BATCH_STATUSES, OUTCOME_NAMES=OUTCOMES,
                             KIND_NAMES=PAGE_KINDS, FLAG_NAMES=FLAGS)
GLOSS = re.compile(r"\s*\((?=[A-Za-z])[^()（）]*\)")


def without_gloss(text: str) -> str:
    """The store's messages carry an English gloss in brackets for the command line's logs; pages speak Chinese."""
    return GLOSS.sub("", text).strip()


templates.env.filters["beijing"] = beijing_text
templates.env.filters["chinese"] = without_gloss
templates.env.filters["who"] = who_label
templates.env.filters["mark"] = mark_label
templates.env.globals["paper_row"] = paper_row


MENU = {
    "clerk": [("/upload", "上传材料")],
    "reviewer": [("/review", "审核"), ("/batches", "批次"), ("/archive", "档案查询"), ("/risk", "机构风险")],
    "officer": [("/batches", "批次与文书"), ("/institutions", "机构名录"), ("/risk", "机构风险")],
    "archivist": [("/archive", "档案查询"), ("/archive/batches", "存档批次"), ("/batches", "批次")],
    "admin": [("/admin/users", "用户管理"), ("/institutions", "机构名录")],
}
HOME = {"clerk": "/upload", "reviewer": "/review", "officer": "/batches", "archivist": "/archive",
        "admin": "/admin/users"}


def render(request: Request, name: str, context: dict[str, Any] | None = None, user: User | None = None,
           status_code: int = 200) -> HTMLResponse:
    values = {"user": user, "menu": MENU.get(user.role, []) if user else [], "csrf_token": csrf_token(request)}
    values.update(context or {})
    response = templates.TemplateResponse(request, name, values, status_code=status_code)
    # Pages can hold personal data: never kept by the browser's or a proxy's cache.
    response.headers["Cache-Control"] = "no-store"
    return response
