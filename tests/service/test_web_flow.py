"""The vertical slice through TestClient: log in, upload, job done, batch, search, trainee, page image."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from intake.store.models import AccessLog, Upload
from service.cli import main
from service.models import Job
from tests.service.conftest import PASSWORD
from tests.service.fakes import FAKE_CERT, FAKE_ID, FAKE_NAME, FAKE_PHONE


def test_login_page_and_wrong_password(client_for):
    anon = client_for(None)
    page = anon.get("/login")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text and "登录" in page.text
    token = anon.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = anon.post("/login", data={"csrf_token": token, "name": "clerk", "password": "wrong password"})
    assert refused.status_code == 401 and "用户名或密码不正确" in refused.text
    ok = anon.post("/login", data={"csrf_token": token, "name": "clerk", "password": PASSWORD},
                   follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/upload"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_upload_runs_a_job_to_the_end(app, client_for, seeded):
    clerk = client_for("clerk")
    page = clerk.get(f"/jobs/{seeded['job_id']}")
    assert page.status_code == 200 and "已完成" in page.text
    job = clerk.get(f"/api/jobs/{seeded['job_id']}").json()
    assert job["status"] == "done" and job["pages_done"] == job["pages_total"] == 1 and job["trainees"] == 1
    # Another clerk does not follow someone else's upload.
    assert client_for("clerk2").get(f"/api/jobs/{seeded['job_id']}").status_code == 404
    with app.state.store.session() as session:
        row = session.get(Job, seeded["job_id"])
        assert row.upload_ids and all(isinstance(i, int) for i in row.upload_ids)


def test_officer_sees_the_batch_masked_and_moves_it_on(client_for, seeded):
    officer = client_for("officer")
    page = officer.get(f"/batches/{seeded['batch_id']}")
    assert page.status_code == 200 and FAKE_NAME in page.text
    assert FAKE_ID not in page.text and FAKE_ID[:6] + "********" + FAKE_ID[-4:] in page.text
    assert FAKE_PHONE not in page.text and "138****5678" in page.text
    asked = officer.form(f"/batches/{seeded['batch_id']}/status", {"status": "submitted"})
    assert asked.status_code == 200 and "确认改为“审核中”" in asked.text  # asked first, nothing changed
    assert officer.get(f"/api/batches/{seeded['batch_id']}").json()["batch"]["status"] == "draft"
    moved = officer.form(f"/batches/{seeded['batch_id']}/status", {"status": "submitted", "confirmed": "1"})
    assert moved.status_code == 303
    assert "已完成：" in officer.get(moved.headers["location"]).text
    skipped = officer.form(f"/batches/{seeded['batch_id']}/status", {"status": "paid", "confirmed": "1"})
    assert skipped.status_code == 409 and "不能改为" in skipped.text
    too_early = officer.form(f"/batches/{seeded['batch_id']}/status", {"status": "reviewed", "confirmed": "1"})
    assert "还有 1 条申请没有审核结论" in too_early.text
    set_period = officer.form(f"/batches/{seeded['batch_id']}/publicity", {"start": "2020-09-30"})
    assert set_period.status_code == 303
    # 2020-09-30 + 5 working days over National Day (Oct 1-8 off): Oct 9, 10 (a make-up Saturday), 12, 13, 14.
    assert officer.get(f"/api/batches/{seeded['batch_id']}").json()["batch"]["publicity_end"] == "2020-10-14"


def test_archivist_finds_by_certificate_and_id_and_opens_the_page(app, client_for, seeded):
    archivist = client_for("archivist")
    found = archivist.form("/archive", {"certificate_no": FAKE_CERT})
    assert found.status_code == 200 and FAKE_NAME in found.text and FAKE_ID not in found.text
    by_id = archivist.post("/api/search", json={"id_number": FAKE_ID}, headers={"X-CSRF-Token": archivist.csrf})
    assert [r["trainee"]["name"] for r in by_id.json()] == [FAKE_NAME]
    assert FAKE_ID not in by_id.text
    for field, value in [("institution", "滨州测试"), ("batch", "测试"), ("quarter", "2020Q2"), ("name", "张"),
                         ("class_period", "2020第1期")]:
        rows = archivist.post("/api/search", json={field: value}, headers={"X-CSRF-Token": archivist.csrf}).json()
        assert len(rows) == 1, field
    record = archivist.get(f"/trainees/{seeded['trainee_id']}")
    assert record.status_code == 200 and FAKE_ID not in record.text and "显示完整身份证号" in record.text
    shown = archivist.form(f"/trainees/{seeded['trainee_id']}/reveal")
    assert shown.status_code == 200 and FAKE_ID in shown.text and FAKE_PHONE in shown.text
    with app.state.store.session() as session:
        log = session.scalars(select(AccessLog)).all()
        assert [(entry.who, entry.trainee_id) for entry in log] == [("archivist", seeded["trainee_id"])]
    image = archivist.get(f"/pages/{seeded['page_id']}/image")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    with app.state.store.session() as session:  # the original shows IDs in full: that view is logged too
        assert session.scalars(select(AccessLog.purpose)).all()[-1].startswith("查看原始扫描页")
    viewer = archivist.get(f"/pages/{seeded['page_id']}")
    assert f"/pages/{seeded['page_id']}/image" in viewer.text


def test_users_add_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    data = tmp_path / "d"
    runner = CliRunner()
    ok = runner.invoke(main, ["--data", str(data), "users", "add", "王档案", "--role", "archivist",
                              "--password-stdin"], input="a long password\n")
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(main, ["--data", str(data), "users", "add", "王档案", "--role", "archivist",
                                 "--password-stdin"], input="a long password\n")
    assert again.exit_code == 2 and "已存在" in again.output
    short = runner.invoke(main, ["--data", str(data), "users", "add", "李四", "--role", "clerk", "--password-stdin"],
                          input="short\n")
    assert short.exit_code == 2 and "至少" in short.output
    listed = runner.invoke(main, ["--data", str(data), "users", "list"])
    assert "王档案\tarchivist\t启用" in listed.output


def test_admin_creates_a_user_in_the_page(client_for):
    admin = client_for("admin")
    made = admin.form("/admin/users", {"name": "赵经办", "role": "officer", "password": "another password"})
    assert made.status_code == 303
    assert "赵经办" in admin.get("/admin/users").text
    bad = admin.form("/admin/users", {"name": "x", "role": "officer", "password": "another password"})
    assert bad.status_code == 400 and "用户名" in bad.text


def test_nothing_stored_for_a_refused_upload(app, client_for, tmp_path):
    files = [("files", ("empty.pdf", b"", "application/pdf"))]
    response = client_for("clerk").form("/upload", {"batch": "B"}, files=files)
    assert response.status_code == 400 and "文件是空的" in response.text
    with app.state.store.session() as session:
        assert session.scalars(select(Upload)).all() == [] and session.scalars(select(Job)).all() == []


def test_the_clerks_finished_job_lists_each_trainee_with_flags_and_what_to_fix(app, client_for, seeded):
    from intake.store.models import Claim

    with app.state.store.session() as session:
        claim = session.scalar(select(Claim))
        claim.flags = ["missing_signature"]
        session.commit()
    page = client_for("clerk").get(f"/jobs/{seeded['job_id']}").text
    table = page[page.index('id="job-trainees"'):]
    assert FAKE_NAME in table and "代领协议书未签字（手印或盖章）" in table and "重新扫描该页" in table
    assert "<td>1</td>" in table and FAKE_ID not in page and 'http-equiv="refresh"' not in page
    assert 'id="to-batch"' not in page  # the clerk cannot open the batch page: no link to a 403
    reviewer_page = client_for("reviewer").get(f"/jobs/{seeded['job_id']}").text
    assert f'href="/review/batches/{_batch_id(app)}"' in reviewer_page and 'id="to-batch"' in reviewer_page


def _batch_id(app) -> int:
    from intake.store.models import Batch

    with app.state.store.session() as session:
        return session.scalar(select(Batch.id))


def test_a_running_job_page_refreshes_itself_without_javascript(app, client_for, seeded):
    with app.state.store.session() as session:
        job = Job(batch_id=_batch_id(app), upload_ids=[], created_by="clerk", status="running", pages_total=3)
        session.add(job)
        session.commit()
        job_id = job.id
    page = client_for("clerk").get(f"/jobs/{job_id}").text
    assert '<meta http-equiv="refresh" content="5">' in page and "自动刷新" in page


def test_a_quarter_that_contradicts_the_training_dates_is_questioned(app, client_for, png_file):
    clerk = client_for("clerk")
    with png_file.open("rb") as fh:
        fields = {"batch": "季度不符批次", "quarter": "2020Q3", "institution": "滨州测试培训学校"}
        response = clerk.form("/upload", fields, files=[("files", ("page1.png", fh, "image/png"))])
    job_page = clerk.get(response.headers["location"]).text
    assert "批次季度填写为 2020Q3，但材料上的培训结束日期在 2020Q2 1 人" in job_page
    batch_page = client_for("officer").get(f"/batches/{_batch_id(app)}").text
    assert 'id="quarter-warning"' in batch_page
