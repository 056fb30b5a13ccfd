"""Server-rendered pages: one Jinja2 environment, and `render` which adds what every page needs
(the user, their role's menu, the CSRF token for forms)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.deps import csrf_token
from service.models import User
from service.records import KIND_NAMES, OUTCOME_NAMES, STATUS_NAMES
from service.settings import ROLE_NAMES

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(ROLE_NAMES=ROLE_NAMES, STATUS_NAMES=STATUS_NAMES, OUTCOME_NAMES=OUTCOME_NAMES,
                             KIND_NAMES=KIND_NAMES)

FLAG_NAMES = {
    "missing_signature": "缺少签字", "missing_certificate_copy": "缺少证书复印件", "missing_stamp": "缺少公章",
    "invalid_id_number": "身份证号无效", "gender_id_mismatch": "性别与身份证号不符",
    "certificate_before_policy_start": "取证早于政策起始日", "field_mismatch": "各材料信息不一致",
    "duplicate_in_bundle": "材料内重复", "not_in_records": "不在学员信息表中",
    "annual_limit_exceeded": "超过年度补贴次数",
    "repeat_profession_within_year": "同年重复工种", "profession_not_in_catalog": "工种不在目录内",
    "low_confidence": "识别置信度低",
}
templates.env.globals["FLAG_NAMES"] = FLAG_NAMES

MENU = {
    "clerk": [("/upload", "上传材料")],
    "reviewer": [("/review", "审核"), ("/batches", "批次"), ("/archive", "档案查询")],
    "officer": [("/batches", "批次与文书")],
    "archivist": [("/archive", "档案查询"), ("/batches", "批次")],
    "admin": [("/admin/users", "用户管理")],
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
