"""The FastAPI application: `create_app(settings)` wires settings, store, queue, sessions and routers.

Two rules hold for every route without each route repeating them: unsafe requests carry the session's
CSRF token (an app-wide dependency), and an anonymous request gets a redirect (pages) or 401 (API) from
the `current_user` dependency before any data is read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from service import admin, api, archive, archive_batches, auth, batches, institutions, review, risk, uploads
from service.db import open_service_store
from service.deps import NotLoggedIn, check_csrf
from service.jobs import JobQueue
from service.logs import install as install_logging
from service.security import session_secret
from service.settings import Settings
from service.web import HERE, render

UPLOAD_PATHS = ("/upload", "/api/uploads")
HTTP_MESSAGES = {400: "请求有误", 401: "请先登录", 403: "您的角色无权进行此操作", 404: "页面或记录不存在",
                 405: "不支持此操作", 413: "上传过大", 422: "表单填写不完整或格式不对"}


class UploadLimit:
    """Refuses an upload whose declared size is over the limit before its body is read (nothing stored)."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_mb: int) -> None:
        self.app, self.max_bytes, self.max_mb = app, max_bytes, max_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in UPLOAD_PATHS:
            headers = dict(scope["headers"])
            length = headers.get(b"content-length")
            # Form fields and multipart framing ride along with the files: allow them 1 MB.
            if length is None or int(length) > self.max_bytes + (1 << 20):
                message = ("上传必须声明大小 (Content-Length)" if length is None else
                           f"上传过大：{int(length) / 1048576:.1f} MB，每次最多 {self.max_mb} MB，请分批上传")
                response = _message_response(scope, 413 if length else 411, message)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# No inline script or style anywhere (tests/service/test_web_security.py reads every template): scripts and
# styles come from /static only, so an injected <script> or on*= attribute does not run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def security_header_values(settings: Settings, path: str) -> dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
               "Content-Security-Policy": CSP, "Cross-Origin-Opener-Policy": "same-origin",
               "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"  # pages and answers carry personal data: never kept by a cache
    if settings.https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


def _wants_json(path: str) -> bool:
    return path.startswith("/api")


def _message_response(scope: Scope, status: int, message: str) -> Response:
    if _wants_json(scope["path"]):
        return JSONResponse({"detail": message}, status_code=status)
    from starlette.responses import HTMLResponse

    from service.web import templates

    html = templates.get_template("error.html").render(status=status, message=message, user=None, menu=[],
                                                       csrf_token="")
    return HTMLResponse(html, status_code=status)


def create_app(settings: Settings, queue: JobQueue | None = None) -> FastAPI:
    install_logging()
    store = open_service_store(settings)
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(lifespan=lifespan, title="安全技能培训补贴", version="1",
                  description="扫描件上传、识别任务、批次与文书、档案查询。所有接口都需要登录；"
                              "写操作需带 X-CSRF-Token 请求头（先 GET /api/csrf）。",
                  dependencies=[Depends(check_csrf)], docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.store = store
    app.state.queue = queue or JobQueue(settings)
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes, max_mb=settings.max_upload_mb)
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings.secret_key_file),
                       session_cookie="subsidy_session", max_age=settings.session_max_age, same_site="lax",
                       https_only=settings.https)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (auth, uploads, batches, archive_batches, archive, review, admin, institutions, risk):
        app.include_router(module.router)
    app.include_router(api.router, prefix="/api")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in security_header_values(settings, request.url.path).items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _exc: NotLoggedIn) -> Response:
        if _wants_json(request.url.path):
            return JSONResponse({"detail": "请先登录"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else \
            HTTP_MESSAGES.get(exc.status_code, "出错了")
        if _wants_json(request.url.path):
            return JSONResponse({"detail": detail}, status_code=exc.status_code)
        return render(request, "error.html", {"status": exc.status_code, "message": detail},
                      status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request.url.path):
            return JSONResponse({"detail": HTTP_MESSAGES[422], "errors": [
                {"loc": e.get("loc"), "msg": e.get("msg")} for e in exc.errors()]}, status_code=422)
        return render(request, "error.html", {"status": 422, "message": HTTP_MESSAGES[422]}, status_code=422)

    return app
