"""Security of the web service: roles, anonymous requests, CSRF, path traversal, masking, logs, bad uploads."""

from __future__ import annotations

import io
import logging
import re
import struct
import zlib

import pytest
from sqlalchemy import select

from intake.store.models import Upload
from service.models import Job
from service.settings import ROLES
from tests.service.fakes import FAKE_ID, FAKE_NAME, FAKE_PHONE

# (method, path template, roles allowed). Every other role must get 403.
GUARDED = [
    ("GET", "/upload", {"clerk"}),
    ("GET", "/batches", {"officer", "reviewer", "archivist"}),
    ("GET", "/batches/{batch_id}", {"officer", "reviewer", "archivist"}),
    ("POST", "/batches/{batch_id}/publicity", {"officer"}),
    ("POST", "/batches/{batch_id}/documents", {"officer"}),
    ("GET", "/archive", {"archivist", "reviewer"}),
    ("GET", "/archive/batches", {"archivist"}),
    ("POST", "/archive/batches/{batch_id}/archive", {"archivist"}),
    ("POST", "/archive/verify", {"archivist"}),
    ("GET", "/batches/{batch_id}/claims/1", {"officer", "reviewer", "archivist"}),
    ("POST", "/archive", {"archivist", "reviewer"}),
    ("GET", "/trainees/{trainee_id}", {"archivist", "reviewer"}),
    ("POST", "/trainees/{trainee_id}/reveal", {"archivist", "reviewer"}),
    ("GET", "/pages/{page_id}/image", {"archivist", "reviewer"}),
    ("GET", "/review", {"reviewer"}),
    ("GET", "/admin/users", {"admin"}),
    ("POST", "/admin/users", {"admin"}),
    ("POST", "/admin/users/1/role", {"admin"}),
    ("POST", "/admin/users/1/password", {"admin"}),
    ("POST", "/admin/users/1/active", {"admin"}),
    ("GET", "/api/batches", {"officer", "reviewer", "archivist"}),
    ("GET", "/api/jobs/{job_id}", {"clerk", "officer", "reviewer"}),
    ("POST", "/api/search", {"archivist", "reviewer"}),
    ("GET", "/api/trainees/{trainee_id}", {"archivist", "reviewer"}),
    ("GET", "/api/users", {"admin"}),
    ("POST", "/api/batches/{batch_id}/status", {"officer", "reviewer"}),
    ("POST", "/api/batches/{batch_id}/return", {"officer", "reviewer"}),
    ("GET", "/batches/{batch_id}/steps/submitted", {"officer", "reviewer"}),
    ("POST", "/batches/{batch_id}/status", {"officer", "reviewer"}),
    ("GET", "/batches/{batch_id}/return", {"officer", "reviewer"}),
    ("GET", "/api/batches/{batch_id}/documents", {"officer", "archivist"}),
]


def _call(client, method: str, path: str):
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if path.startswith("/api"):
        return client.post(path, json={}, headers={"X-CSRF-Token": client.csrf})
    return client.form(path, {})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_what_it_may_not_do(client_for, seeded, role):
    client = client_for(role)
    for method, template, allowed in GUARDED:
        path = template.format(**seeded)
        response = _call(client, method, path)
        if role in allowed:
            assert response.status_code != 403, (role, method, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
            assert FAKE_NAME not in response.text


def _fill(path: str, seeded: dict) -> str:
    values = {"batch_id": seeded["batch_id"], "trainee_id": seeded["trainee_id"], "page_id": seeded["page_id"],
              "job_id": seeded["job_id"], "kind": "attachment3", "name": "x.docx", "user_id": 1}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def test_anonymous_gets_no_personal_data_from_any_api_route(app, client_for, seeded):
    anon = client_for(None)  # has an anonymous session and its CSRF token, so only the login stands between
    paths = app.openapi()["paths"]
    assert len(paths) >= 15
    public = {"/api/csrf", "/api/session"}
    for template, methods in paths.items():
        for method in methods:
            path = _fill(template, seeded)
            anon.refresh_csrf()  # DELETE /api/session clears the session, token included
            response = anon.request(method.upper(), path, json={}, headers={"X-CSRF-Token": anon.csrf})
            for secret in (FAKE_ID, FAKE_PHONE, FAKE_NAME, FAKE_ID[-4:] + "</"):
                assert secret not in response.text, (method, path)
            if template not in public:
                assert response.status_code == 401, (method, path, response.status_code)
    # The pages redirect to the login page.
    for path in ("/upload", f"/batches/{seeded['batch_id']}", f"/trainees/{seeded['trainee_id']}", "/archive"):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_a_form_without_csrf_token_fails(client_for, seeded):
    officer = client_for("officer")
    path = f"/batches/{seeded['batch_id']}/status"
    assert officer.post(path, data={"status": "submitted"}, follow_redirects=False).status_code == 403
    assert officer.post(path, data={"status": "submitted", "csrf_token": "forged"},
                        follow_redirects=False).status_code == 403
    api = officer.post(f"/api{path}", json={"status": "submitted"})
    assert api.status_code == 403
    assert officer.form(path, {"status": "submitted", "confirmed": "1"}).status_code == 303
    # A token from another session is no good either.
    other = client_for("officer")
    assert other.post(path, data={"status": "publicised", "csrf_token": officer.csrf},
                      follow_redirects=False).status_code == 403
    # Login itself needs the token (login CSRF).
    anon = client_for(None)
    assert anon.post("/login", data={"name": "officer", "password": "x"}).status_code == 403


def test_path_traversal_on_download_fails(app, client_for, seeded, web_settings):
    officer = client_for("officer")
    folder = web_settings.data_dir / "generated" / f"batch-{seeded['batch_id']}" / "attachment3"
    folder.mkdir(parents=True)
    (folder / "附件3.docx").write_bytes(b"docx bytes")
    base = f"/batches/{seeded['batch_id']}/documents"
    assert officer.get(f"{base}/attachment3/附件3.docx").content == b"docx bytes"
    for attempt in ("attachment3/..%2F..%2F..%2Fsecret.key", "attachment3/%2e%2e%2f%2e%2e%2fsession.key",
                    "..%2F..%2F..%2Fsecret.key/x", "attachment3/..\\..\\..\\secret.key",
                    "attachment3/%2Fetc%2Fpasswd", "..%2Fattachment3/附件3.docx"):
        for prefix in (base, f"/api{base}"):
            response = officer.get(f"{prefix}/{attempt}")
            assert response.status_code in (404, 400), (prefix, attempt, response.status_code)
            assert b"docx bytes" not in response.content and b"root:" not in response.content
    # Another batch's documents are not reachable through this batch either.
    assert officer.get(f"/batches/{seeded['batch_id'] + 1}/documents/attachment3/附件3.docx").status_code == 404


def test_full_id_never_reaches_roles_that_may_not_see_it_nor_the_logs(client_for, seeded, caplog):
    caplog.set_level(logging.DEBUG)
    for role in ("clerk", "officer", "admin"):
        client = client_for(role)
        texts = [client.get(p).text for p in ("/", "/upload", "/batches", f"/batches/{seeded['batch_id']}",
                                               f"/api/batches/{seeded['batch_id']}", f"/jobs/{seeded['job_id']}",
                                               f"/api/jobs/{seeded['job_id']}", "/admin/users")]
        # Asking to reveal is refused, not honoured.
        texts.append(client.form(f"/trainees/{seeded['trainee_id']}/reveal").text)
        for text in texts:
            assert FAKE_ID not in text and FAKE_PHONE not in text, role
    archivist = client_for("archivist")
    searched = archivist.form("/archive", {"id_number": FAKE_ID})
    assert FAKE_NAME in searched.text and FAKE_ID not in searched.text
    assert FAKE_ID not in archivist.get(f"/api/trainees/{seeded['trainee_id']}").text
    assert FAKE_ID in archivist.form(f"/trainees/{seeded['trainee_id']}/reveal").text
    assert FAKE_ID not in caplog.text and FAKE_PHONE not in caplog.text


def test_log_filter_masks_ids_whoever_logs_them(caplog):
    from service.logs import RedactFilter

    logger = logging.getLogger("somewhere.else")
    handler = logging.StreamHandler(stream := io.StringIO())
    handler.addFilter(RedactFilter())
    logger.addHandler(handler)
    try:
        logger.warning("looked up %s with phone %s", FAKE_ID, FAKE_PHONE)
    finally:
        logger.removeHandler(handler)
    assert FAKE_ID not in stream.getvalue() and FAKE_ID[:6] + "********" + FAKE_ID[-4:] in stream.getvalue()
    assert "138****5678" in stream.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _encrypted_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt="secret")
    pdf.drawString(100, 700, "roster")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


BAD_UPLOADS = [
    ("empty.pdf", lambda: b"", "文件是空的"),
    ("corrupt.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n", "PDF 文件已损坏"),
    ("encrypted.pdf", _encrypted_pdf, "PDF 已加密"),
    ("setup.pdf", lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), "不是 PDF 或图片"),
    ("elf.pdf", lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(300), "不是 PDF 或图片"),
    ("huge.png", lambda: _png_header_only(20000, 20000), "图片过大"),
    ("broken.jpg", lambda: b"\xff\xd8\xff\xe0" + b"garbage" * 10, "图片已损坏"),
]


@pytest.mark.parametrize("name,content,message", BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload_gets_a_clear_message_and_nothing_is_stored(app, client_for, web_settings, name, content, message):
    clerk = client_for("clerk")
    response = clerk.form("/upload", {"batch": "坏文件批次"}, files=[("files", (name, content(), "application/pdf"))])
    assert response.status_code == 400 and message in response.text and name in response.text
    assert 'role="alert"' in response.text
    api = clerk.post("/api/uploads", data={"batch": "坏文件批次"}, files=[("files", (name, content(), "x/y"))],
                     headers={"X-CSRF-Token": clerk.csrf})
    assert api.status_code == 400 and message in api.json()["detail"]
    _assert_nothing_stored(app, web_settings)


def test_over_the_size_limit_is_refused_before_reading(app, client_for, web_settings):
    clerk = client_for("clerk")
    big = b"%PDF-1.4\n" + bytes(3 * 1024 * 1024)  # the test settings allow 2 MB
    response = clerk.form("/upload", {"batch": "大文件"}, files=[("files", ("big.pdf", big, "application/pdf"))])
    assert response.status_code == 413 and "上传过大" in response.text and "2 MB" in response.text
    _assert_nothing_stored(app, web_settings)


def test_too_many_pages_and_mixed_files(app, client_for, web_settings, png_file):
    clerk = client_for("clerk")
    page = png_file.read_bytes()
    files = [("files", (f"p{i:02d}.png", page, "image/png")) for i in range(21)]  # limit 20 pages
    response = clerk.form("/upload", {"batch": "多页"}, files=files)
    assert response.status_code == 400 and "页数过多" in response.text
    _assert_nothing_stored(app, web_settings)


def _assert_nothing_stored(app, settings) -> None:
    with app.state.store.session() as session:
        assert session.scalars(select(Upload)).all() == []
        assert session.scalars(select(Job)).all() == []
    originals = settings.data_dir / "originals"
    assert not originals.exists() or not any(p.is_file() for p in originals.rglob("*"))
    assert not list(settings.data_dir.glob(".upload-*"))
