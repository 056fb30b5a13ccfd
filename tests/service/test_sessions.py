"""Sessions end on the server (logout, idle, age); logins are rate limited and locked, each lock audited;
cookie flags; CSRF on logout; headers; full IDs only to roles that may, each reveal in the audit chain."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from intake.store.audit import verify_chain
from intake.store.models import AccessLog
from service.app import CSP, create_app
from service.jobs import JobQueue
from service.models import LoginFailure, SecurityEvent, WebSession
from service.web import HERE
from tests.service.conftest import PASSWORD, Client


def login(client: Client, name: str, password: str = PASSWORD):
    return client.post("/api/session", json={"name": name, "password": password},
                       headers={"X-CSRF-Token": client.csrf})


def test_after_logout_the_old_cookie_opens_nothing(app, client_for, seeded):
    officer = client_for("officer")
    cookie = officer.cookies.get("subsidy_session")
    assert officer.get("/api/me").status_code == 200
    assert officer.delete("/api/session", headers={"X-CSRF-Token": officer.csrf}).status_code == 200
    thief = Client(app, base_url="http://testserver")
    thief.cookies.set("subsidy_session", cookie)
    assert thief.get("/api/me").status_code == 401
    made = thief.post(f"/api/batches/{seeded['batch_id']}/documents", json={"kind": "attachment1"},
                      headers={"X-CSRF-Token": officer.csrf})
    assert made.status_code in (401, 403)
    with app.state.store.session() as session:
        assert "logout" in session.scalars(select(WebSession.ended_why)).all()
    thief.close()


def test_the_logout_form_ends_the_session_too_and_needs_its_csrf_token(app, client_for):
    reviewer = client_for("reviewer")
    cookie = reviewer.cookies.get("subsidy_session")
    assert reviewer.post("/logout", data={}, follow_redirects=False).status_code == 403  # no CSRF token
    assert reviewer.get("/api/me").status_code == 200
    assert reviewer.form("/logout").status_code == 303
    replay = Client(app, base_url="http://testserver")
    replay.cookies.set("subsidy_session", cookie)
    assert replay.get("/api/me").status_code == 401
    replay.close()


def test_an_idle_session_ends(app, client_for, web_settings):
    clerk = client_for("clerk")
    assert clerk.get("/api/me").status_code == 200
    with app.state.store.session() as session:
        idle = dt.timedelta(minutes=web_settings.session_idle_minutes + 1)
        stale = dt.datetime.now(dt.UTC).replace(tzinfo=None) - idle
        session.execute(update(WebSession).values(last_seen=stale))
        session.commit()
    assert clerk.get("/api/me").status_code == 401
    with app.state.store.session() as session:
        assert "idle" in session.scalars(select(WebSession.ended_why)).all()


def test_wrong_passwords_lock_the_account_even_against_the_right_one_and_the_lock_is_audited(app, client_for):
    client = client_for(None)
    answers = [login(client, "clerk", "wrong password").status_code for _ in range(6)]
    assert answers == [401, 401, 401, 401, 429, 429]  # the 5th failure locks
    right = login(client, "clerk")
    assert right.status_code == 429 and "锁定" in right.json()["detail"]
    assert login(client, "reviewer").status_code == 200  # another account is not locked
    with app.state.store.session() as session:
        events = session.scalars(select(SecurityEvent)).all()
        assert [(e.kind, e.who) for e in events] == [("account_locked", "clerk")]
        assert events[0].chain_hash and verify_chain(session) == []


def test_the_login_form_says_the_account_is_locked(app, client_for):
    client = client_for(None)
    for _ in range(5):
        client.post("/login", data={"name": "officer", "password": "nope nope", "csrf_token": client.csrf})
    page = client.post("/login", data={"name": "officer", "password": PASSWORD, "csrf_token": client.csrf})
    assert page.status_code == 429 and "锁定" in page.text


def test_one_address_trying_many_names_is_locked(app, client_for, web_settings):
    client = client_for(None)
    statuses = [login(client, f"guess{i}", "wrong password").status_code
                for i in range(web_settings.login_ip_max_failures + 1)]
    assert statuses[-1] == 429 and statuses.count(401) == web_settings.login_ip_max_failures - 1
    assert login(client, "archivist").status_code == 429
    with app.state.store.session() as session:
        kinds = [e.kind for e in session.scalars(select(SecurityEvent))]
        assert "address_locked" in kinds
        keys = [k for (k,) in session.execute(select(LoginFailure.key))]
        assert not any("testclient" in k for k in keys)  # the address is kept as a keyed hash


def test_cookie_flags(client_for, web_settings, tmp_path):
    client = client_for(None)
    answer = login(client, "clerk")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    settings = web_settings.with_(https=True, data_dir=web_settings.data_dir)
    app = create_app(settings, queue=JobQueue(settings, immediate=True))
    secure = Client(app, base_url="https://testserver")
    secure.refresh_csrf()
    answer = login(secure, "clerk")
    assert answer.status_code == 200 and "secure" in answer.headers["set-cookie"].lower()
    assert "max-age=31536000" in secure.get("/login").headers["strict-transport-security"]
    secure.close()
    app.state.store.close()


def test_security_headers_and_no_inline_script_or_style_in_any_template(client_for):
    page = client_for(None).get("/login")
    assert page.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["cache-control"] == "no-store"
    for template in sorted(Path(HERE / "templates").glob("*.html")):
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{template.name}: inline script"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{template.name}: inline event handler"
        assert not re.search(r"<style|\sstyle\s*=", html), f"{template.name}: inline style"


@pytest.mark.parametrize("role", ["clerk", "officer", "admin"])
def test_a_full_id_is_refused_to_roles_that_may_not_see_it(client_for, seeded, role):
    client = client_for(role)
    answer = client.post(f"/api/trainees/{seeded['trainee_id']}/reveal", headers={"X-CSRF-Token": client.csrf})
    assert answer.status_code == 403


def test_each_reveal_is_in_the_audit_chain(app, client_for, seeded):
    reviewer = client_for("reviewer")
    for _ in range(2):
        shown = reviewer.post(f"/api/trainees/{seeded['trainee_id']}/reveal",
                              headers={"X-CSRF-Token": reviewer.csrf})
        assert shown.status_code == 200 and shown.json()["trainee"]["revealed"]
    with app.state.store.session() as session:
        views = session.scalars(select(AccessLog).where(AccessLog.who == "reviewer")).all()
        assert len(views) >= 2 and all(v.chain_hash for v in views)
        assert verify_chain(session) == []
        session.execute(text("UPDATE access_log SET purpose = 'edited' WHERE id = :i"), {"i": views[0].id})
        session.commit()
        assert [p.table for p in verify_chain(session)] == ["access_log"]
