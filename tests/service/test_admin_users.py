"""The admin's account changes in the web app: each asks first and then says what it did; a new password
works and ends the old sessions; a role change changes what the person may open; a disabled account is told
so at login (only with the right password); every change is a chained security event."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.store.audit import verify_chain
from service.models import SecurityEvent, User
from tests.service.conftest import PASSWORD


def _id(app, name: str) -> int:
    with app.state.store.session() as session:
        return session.scalar(select(User.id).where(User.name == name))


def _login(client_for, name: str, password: str):
    anon = client_for(None)
    token = re.search(r'name="csrf_token" value="([^"]+)"', anon.get("/login").text).group(1)
    return anon.post("/login", data={"csrf_token": token, "name": name, "password": password}, follow_redirects=False)


def test_a_disabled_account_is_told_so_and_enabled_again(app, client_for):
    admin, officer = client_for("admin"), client_for("officer")
    officer_id = _id(app, "officer")
    asked = admin.form(f"/admin/users/{officer_id}/active", {"active": "0"})
    assert asked.status_code == 200 and "确认：停用用户“officer”" in asked.text
    assert _login(client_for, "officer", PASSWORD).status_code == 303  # nothing changed yet
    done = admin.form(f"/admin/users/{officer_id}/active", {"active": "0", "confirmed": "1"})
    assert done.status_code == 303
    assert "已完成：admin 停用了账号“officer”" in admin.get(done.headers["location"]).text
    assert officer.get("/batches", follow_redirects=False).status_code == 303  # the open session ended
    refused = _login(client_for, "officer", PASSWORD)
    assert refused.status_code == 403 and "您的账号已停用，请联系管理员" in refused.text
    wrong = _login(client_for, "officer", "not the password")
    assert wrong.status_code == 401 and "已停用" not in wrong.text  # only the right password learns it
    admin.form(f"/admin/users/{officer_id}/active", {"active": "1", "confirmed": "1"})
    assert _login(client_for, "officer", PASSWORD).status_code == 303
    self_off = admin.form(f"/admin/users/{_id(app, 'admin')}/active", {"active": "0", "confirmed": "1"})
    assert self_off.status_code == 400 and "不能停用自己的账号" in self_off.text


def test_an_admin_sets_a_new_password_and_the_old_sessions_end(app, client_for):
    admin, clerk = client_for("admin"), client_for("clerk")
    clerk_id = _id(app, "clerk")
    asked = admin.form(f"/admin/users/{clerk_id}/password")
    assert asked.status_code == 200 and 'type="password"' in asked.text
    short = admin.form(f"/admin/users/{clerk_id}/password", {"password": "short", "confirmed": "1"})
    assert short.status_code == 400
    done = admin.form(f"/admin/users/{clerk_id}/password", {"password": "a brand new secret", "confirmed": "1"})
    assert done.status_code == 303 and "重设了密码“clerk”" in admin.get(done.headers["location"]).text
    assert clerk.get("/upload", follow_redirects=False).status_code == 303
    assert _login(client_for, "clerk", PASSWORD).status_code == 401
    assert _login(client_for, "clerk", "a brand new secret").status_code == 303


def test_an_admin_changes_a_role_and_every_change_is_in_the_security_chain(app, client_for):
    admin = client_for("admin")
    archivist_id = _id(app, "archivist")
    asked = admin.form(f"/admin/users/{archivist_id}/role", {"role": "reviewer"})
    assert "把用户“archivist”的角色改为“审核员”" in asked.text
    done = admin.form(f"/admin/users/{archivist_id}/role", {"role": "reviewer", "confirmed": "1"})
    assert done.status_code == 303 and "档案员 → 审核员" in admin.get(done.headers["location"]).text
    assert client_for("archivist").get("/review").status_code == 200
    own = admin.form(f"/admin/users/{_id(app, 'admin')}/role", {"role": "clerk", "confirmed": "1"})
    assert own.status_code == 400 and "不能更改自己的角色" in own.text
    admin.form(f"/admin/users/{_id(app, 'clerk')}/active", {"active": "0", "confirmed": "1"})
    with app.state.store.session() as session:
        kinds = [e.kind for e in session.scalars(select(SecurityEvent).order_by(SecurityEvent.id))]
        assert kinds == ["role_changed", "account_disabled"] and verify_chain(session) == []
