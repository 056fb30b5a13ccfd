"""The registry in the web app: admins and officers import and edit, every other role is refused, each
change is in the audit chain under the account that made it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.store.audit import verify_chain
from intake.store.models import Institution, InstitutionEvent
from service.settings import ROLES
from tests.intake.institutions.registry_files import code, write_xlsx

LUBEI = "滨州市鲁北职业培训学校"


def _import(client, path):
    with path.open("rb") as fh:
        return client.form("/institutions/import", files=[("file", (path.name, fh, "application/octet-stream"))])


@pytest.fixture
def registry_file(tmp_path):
    return write_xlsx(tmp_path / "名录.xlsx", [
        (LUBEI, code(1), "电工作业", "滨州市应急管理局", "滨应急字〔2019〕12号", "2019-06-01", None, None, None),
        ("坏机构", "123", None, None, None, None, None, None, None),
    ])


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_and_officers_see_and_change_the_registry(client_for, role, registry_file):
    client = client_for(role)
    allowed = role in ("admin", "officer")
    assert (client.get("/institutions", follow_redirects=False).status_code == 200) == allowed
    response = _import(client, registry_file)
    assert (response.status_code == 200) == allowed, response.status_code
    if not allowed:
        assert response.status_code == 403
        for path in ("/institutions", "/institutions/1/recognitions", "/institutions/1/disqualifications"):
            assert client.form(path, {"name": "x", "credit_code": code(9)}).status_code == 403


def test_import_in_the_browser_names_bad_rows_and_the_page_edits_with_history(app, client_for, registry_file):
    officer = client_for("officer")
    response = _import(officer, registry_file)
    assert "导入 1 行，拒绝 1 行" in response.text and "第4行：统一社会信用代码“123”无效" in response.text
    with app.state.store.session() as session:
        institution_id = session.scalar(select(Institution.id).where(Institution.credit_code == code(1)))
    page = officer.get(f"/institutions/{institution_id}")
    assert LUBEI in page.text and "电工作业" in page.text
    done = officer.form(f"/institutions/{institution_id}/disqualifications",
                        {"day": "2020-08-15", "reason": "弄虚作假"})
    assert done.status_code == 303
    bad = officer.form(f"/institutions/{institution_id}/recognitions", {"category": "烹饪", "department": "某局"})
    assert bad.status_code == 400 and "烹饪" in bad.text and "请填写认定文号" in bad.text
    officer.form(f"/institutions/{institution_id}/names", {"name": LUBEI, "aliases": "鲁北职校、 鲁北培训"})
    page = officer.get(f"/institutions/{institution_id}")
    assert "2020-08-15 起取消培训资格" in page.text and "鲁北职校、鲁北培训" in page.text
    admin = client_for("admin")
    assert admin.form(f"/institutions/{institution_id}/recognitions/999/remove", {"why": "x"}).status_code == 404
    with app.state.store.session() as session:
        events = session.scalars(select(InstitutionEvent).order_by(InstitutionEvent.id)).all()
        assert [(e.action, e.who) for e in events] == [("registered", "officer"), ("recognised", "officer"),
                                                       ("disqualified", "officer"), ("aliases", "officer")]
        assert verify_chain(session) == []


def test_without_csrf_token_nothing_changes(app, client_for):
    officer = client_for("officer")
    officer.form("/institutions", {"name": LUBEI, "credit_code": code(1)})
    response = officer.post("/institutions/1/disqualifications", data={"day": "2020-01-01", "reason": "x"},
                            follow_redirects=False)
    assert response.status_code == 403
    with app.state.store.session() as session:
        assert session.scalar(select(InstitutionEvent.action).order_by(InstitutionEvent.id.desc())) == "registered"
