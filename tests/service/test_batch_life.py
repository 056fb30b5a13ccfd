"""A batch's life through the web (TestClient): every state in order, each gate refusing with its reason,
the lock past 已审核 (a save changes nothing, a change is refused until a 退回 with a reason), the audit chain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.store.audit import verify_chain
from intake.store.models import Batch, BatchEvent, Correction
from service.models import ReviewClaim
from tests.service.review_batch import generate

VERSION = re.compile(r'action="/review/claims/\d+/fields/(\w+)".*?name="version" value="(\d+)"', re.S)
PUBLICITY_START = "2020-09-30"   # + 5 working days over National Day: ends 2020-10-14
APPROVED_ON = "2020-10-20"


@pytest.fixture
def batch(app, tmp_path: Path):
    settings = app.state.settings
    with app.state.store.session() as session:
        made = generate(session, settings.data_dir, tmp_path / "pages", "生命周期批次", trainees=3, doubtful=0,
                        certificates=True)
        batch_id = session.scalar(select(Batch.id).where(Batch.name == made.name))
    return made, batch_id


def step(client, batch_id: int, status: str, **inputs: str):
    return client.form(f"/batches/{batch_id}/status", {"status": status, "confirmed": "1", **inputs})


def status_of(app, batch_id: int) -> str:
    with app.state.store.session() as session:
        return session.get(Batch, batch_id).status


def accept_all(reviewer, batch_id: int) -> None:
    page = reviewer.get(f"/review/batches/{batch_id}").text
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    assert reviewer.form(f"/review/batches/{batch_id}/accept-clean", {"seen": seen, "confirmed": "1"}).status_code \
        == 303


def generate_documents(officer, batch_id: int, *kinds: str) -> None:
    for kind in kinds:
        made = officer.form(f"/batches/{batch_id}/documents", {"kind": kind, "fill_date": "2020-10-15"})
        assert made.status_code == 303, made.text


def to_approved(app, client_for, batch_id: int):
    reviewer, officer = client_for("reviewer"), client_for("officer")
    assert step(reviewer, batch_id, "submitted").status_code == 303
    accept_all(reviewer, batch_id)
    assert step(reviewer, batch_id, "reviewed").status_code == 303
    assert officer.form(f"/batches/{batch_id}/publicity", {"start": PUBLICITY_START}).status_code == 303
    generate_documents(officer, batch_id, "publicity", "attachment1", "attachment2", "attachment3")
    for status, inputs in (("publicised", {}), ("publicity_ended", {}),
                           ("approved", {"number": "滨财社指〔2020〕12号", "date": APPROVED_ON})):
        moved = step(officer, batch_id, status, **inputs)
        assert moved.status_code == 303, moved.text
    assert status_of(app, batch_id) == "approved"
    return reviewer, officer


def test_one_batch_through_every_state_each_gate_saying_why(app, client_for, batch):
    _made, batch_id = batch
    reviewer, officer = client_for("reviewer"), client_for("officer")
    assert step(reviewer, batch_id, "submitted").status_code == 303
    refused = step(reviewer, batch_id, "reviewed")
    assert refused.status_code == 409 and "还有 3 条申请没有审核结论" in refused.text
    accept_all(reviewer, batch_id)
    assert step(reviewer, batch_id, "reviewed").status_code == 303

    # Publicity: only by the officer, only with a period set and its list made after the review.
    assert "此步须由经办人进行" in step(reviewer, batch_id, "publicised").text
    assert "请先设定公示期" in step(officer, batch_id, "publicised").text
    assert officer.form(f"/batches/{batch_id}/publicity", {"start": PUBLICITY_START}).status_code == 303
    no_list = step(officer, batch_id, "publicised")
    assert no_list.status_code == 409 and "请先生成公示名单" in no_list.text
    generate_documents(officer, batch_id, "publicity")
    assert step(officer, batch_id, "publicised").status_code == 303
    # The period cannot move once publicity has started.
    moved = officer.form(f"/batches/{batch_id}/publicity", {"start": "2020-11-02"})
    assert moved.status_code == 400 and "公示期不能再改" in moved.text
    assert step(officer, batch_id, "publicity_ended").status_code == 303

    # Approval: Attachments 1-3 made, a number and a date after the period.
    no_documents = step(officer, batch_id, "approved", number="滨财社指〔2020〕12号", date=APPROVED_ON)
    assert "请先生成附件1 安全技能培训人员花名册" in no_documents.text and "请先生成附件3" in no_documents.text
    generate_documents(officer, batch_id, "attachment1", "attachment2", "attachment3")
    no_number = step(officer, batch_id, "approved", date=APPROVED_ON)
    assert "请填写批复文号" in no_number.text
    during = step(officer, batch_id, "approved", number="滨财社指〔2020〕12号", date="2020-10-12")
    assert "不能早于公示期满（2020-10-14）" in during.text
    assert step(officer, batch_id, "approved", number="滨财社指〔2020〕12号", date=APPROVED_ON).status_code == 303

    # Payment: Attachment 3's amount, not another.
    wrong = step(officer, batch_id, "paid", amount="2000", date="2020-10-28")
    assert wrong.status_code == 409 and "与附件3申请金额 3,000.00 元 不一致" in wrong.text
    paid = step(officer, batch_id, "paid", amount="3000", date="2020-10-28")
    assert paid.status_code == 303
    page = officer.get(paid.headers["location"]).text
    assert "已完成：" in page and "改为“已拨付”（金额 3,000.00 元，日期 2020-10-28）" in page
    assert "北京时间" in page and "本批次已走完全部流程" in page

    with app.state.store.session() as session:
        steps = session.scalars(select(BatchEvent).where(BatchEvent.batch_id == batch_id,
                                                         BatchEvent.action == "advance").order_by(BatchEvent.id))
        assert [(e.from_status, e.to_status) for e in steps] == [
            ("draft", "submitted"), ("submitted", "reviewed"), ("reviewed", "publicised"),
            ("publicised", "publicity_ended"), ("publicity_ended", "approved"), ("approved", "paid")]
        assert verify_chain(session) == []


def test_a_step_is_asked_before_it_is_taken(app, client_for, batch):
    _made, batch_id = batch
    reviewer = client_for("reviewer")
    link = reviewer.get(f"/batches/{batch_id}").text
    assert f'href="/batches/{batch_id}/steps/submitted"' in link
    asked = reviewer.get(f"/batches/{batch_id}/steps/submitted")
    assert asked.status_code == 200 and "确认改为“审核中”" in asked.text and 'name="confirmed" value="1"' in asked.text
    unconfirmed = reviewer.form(f"/batches/{batch_id}/status", {"status": "submitted"})
    assert unconfirmed.status_code == 200 and status_of(app, batch_id) == "draft"
    # A step whose gates are not met shows why and offers no confirmation.
    blocked = reviewer.get(f"/batches/{batch_id}/steps/reviewed")
    assert "现在还不能进行这一步" in blocked.text and 'id="confirm"' not in blocked.text
    assert client_for("archivist").get(f"/batches/{batch_id}/steps/submitted").status_code == 403


def test_paid_is_refused_on_a_batch_that_is_not_approved(app, client_for, batch):
    _made, batch_id = batch
    officer = client_for("officer")
    for status in ("paid", "approved", "publicised"):
        refused = step(officer, batch_id, status, amount="3000", number="x", date="2020-10-28")
        assert refused.status_code == 409 and "批次当前为“已上传”" in refused.text and "不能改为" in refused.text
    assert status_of(app, batch_id) == "draft"
    api = officer.post(f"/api/batches/{batch_id}/status", json={"status": "paid", "amount": "3000"},
                       headers={"X-CSRF-Token": officer.csrf})
    assert api.status_code == 409 and "不能改为“已拨付”" in api.json()["detail"]


def _field_form(reviewer, claim_id: int, field: str) -> int:
    html = reviewer.get(f"/review/claims/{claim_id}").text
    return dict((f, int(v)) for f, v in VERSION.findall(html)).get(field, 0)


def test_an_approved_batch_is_not_changed_by_a_save_and_a_change_needs_a_return(app, client_for, batch):
    made, batch_id = batch
    reviewer, officer = to_approved(app, client_for, batch_id)
    claim_id, person = made.claim_ids[0], made.trainees[0]
    with app.state.store.session() as session:
        corrections = len(session.scalars(select(Correction)).all())

    form = reviewer.get(f"/review/claims/{claim_id}").text
    assert "已审批，已锁定" in form and f'href="/batches/{batch_id}/return"' in form
    same = reviewer.form(f"/review/claims/{claim_id}/fields/name",
                         {"value": person["name"], "version": _field_form(reviewer, claim_id, "name")})
    assert same.status_code == 303
    changed = reviewer.form(f"/review/claims/{claim_id}/fields/name",
                            {"value": person["name"] + "明", "version": _field_form(reviewer, claim_id, "name")})
    assert changed.status_code == 409 and "已锁定" in changed.text and "退回" in changed.text
    with app.state.store.session() as session:
        assert session.get(ReviewClaim, claim_id).status == "accepted"
        assert len(session.scalars(select(Correction)).all()) == corrections  # nothing written
    assert status_of(app, batch_id) == "approved"

    # 退回 needs a reason; then every role reads it, and the change reopens that claim only.
    no_reason = reviewer.form(f"/batches/{batch_id}/return", {"confirmed": "1", "reason": " "})
    assert no_reason.status_code == 409 and "退回必须写明理由" in no_reason.text
    back = reviewer.form(f"/batches/{batch_id}/return", {"confirmed": "1", "reason": "姓名少写一字，须更正"})
    assert back.status_code == 303 and status_of(app, batch_id) == "submitted"
    for role in ("officer", "archivist", "reviewer"):
        page = client_for(role).get(f"/batches/{batch_id}").text
        assert "本批次已被退回“审核中”" in page and "姓名少写一字，须更正" in page, role
    fixed = reviewer.form(f"/review/claims/{claim_id}/fields/name",
                          {"value": person["name"] + "明", "version": _field_form(reviewer, claim_id, "name")})
    assert fixed.status_code == 303
    with app.state.store.session() as session:
        states = {c: session.get(ReviewClaim, c).status for c in made.claim_ids}
        assert states == {made.claim_ids[0]: "open", made.claim_ids[1]: "accepted", made.claim_ids[2]: "accepted"}
    # Documents made before the return no longer count.
    accept_all(reviewer, batch_id)
    assert step(reviewer, batch_id, "reviewed").status_code == 303
    stale = step(officer, batch_id, "publicised")
    assert "公示名单生成于本批次审核完成之前" in stale.text


def test_a_confirmation_does_not_withdraw_a_decision_in_an_open_batch(app, client_for, batch):
    made, batch_id = batch
    reviewer = client_for("reviewer")
    accept_all(reviewer, batch_id)
    claim_id, person = made.claim_ids[1], made.trainees[1]
    same = reviewer.form(f"/review/claims/{claim_id}/fields/name",
                         {"value": person["name"], "version": _field_form(reviewer, claim_id, "name")})
    assert same.status_code == 303
    with app.state.store.session() as session:
        assert session.get(ReviewClaim, claim_id).status == "accepted"


def test_the_command_line_shows_and_takes_the_steps(app, client_for, batch, web_settings):
    from click.testing import CliRunner

    from service.cli import main

    _made, batch_id = batch
    runner = CliRunner()
    data = ["--data", str(web_settings.data_dir)]
    shown = runner.invoke(main, [*data, "batch", "show", "生命周期批次"])
    assert shown.exit_code == 0, shown.output
    assert "状态：已上传" in shown.output and "下一步：审核中" in shown.output
    refused = runner.invoke(main, [*data, "batch", "advance", "生命周期批次", "已审核"])
    assert refused.exit_code == 1 and "不能改为“已审核”" in refused.output
    moved = runner.invoke(main, [*data, "batch", "advance", "生命周期批次", "submitted", "--by", "张经办"])
    assert moved.exit_code == 0 and "改为“审核中”" in moved.output
    undecided = runner.invoke(main, [*data, "batch", "advance", "生命周期批次", "reviewed"])
    assert undecided.exit_code == 1 and "还有 3 条申请没有审核结论" in undecided.output
    assert runner.invoke(main, [*data, "batch", "show", "没有的批次"]).exit_code == 1
    assert status_of(app, batch_id) == "submitted"


def test_the_officer_reads_the_reviewers_rejection_and_its_reason(app, client_for, batch):
    made, batch_id = batch
    reviewer = client_for("reviewer")
    claim_id = made.claim_ids[2]
    form = reviewer.get(f"/review/claims/{claim_id}").text
    revision = re.search(r'name="revision" value="(\d+)"', form).group(1)
    rejected = reviewer.form(f"/review/claims/{claim_id}/decision",
                             {"outcome": "reject", "reason": "缺少公章", "revision": revision})
    assert rejected.status_code == 303, rejected.text
    page = client_for("officer").get(f"/batches/{batch_id}").text
    row = page[page.index(f'data-claim="{claim_id}"'):]
    row = row[:row.index("</tr>")]
    assert "驳回" in row and "缺少公章" in row and "reviewer" in row
    view = client_for("officer").get(f"/batches/{batch_id}/claims/{claim_id}").text
    assert "缺少公章" in view and "北京时间" in view


def to_publicised(client_for, batch_id: int):
    reviewer, officer = client_for("reviewer"), client_for("officer")
    assert step(reviewer, batch_id, "submitted").status_code == 303
    accept_all(reviewer, batch_id)
    assert step(reviewer, batch_id, "reviewed").status_code == 303
    assert officer.form(f"/batches/{batch_id}/publicity", {"start": PUBLICITY_START}).status_code == 303
    generate_documents(officer, batch_id, "publicity")
    assert step(officer, batch_id, "publicised").status_code == 303
    return reviewer, officer


def _objection_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-objection="(\d+)"', page)]


def test_an_open_objection_holds_the_publicity_and_a_groundless_one_is_closed(app, client_for, batch):
    made, batch_id = batch
    _reviewer, officer = to_publicised(client_for, batch_id)
    empty = officer.form(f"/batches/{batch_id}/objections", {"objector": "匿名", "content": " "})
    assert empty.status_code == 400 and "请填写异议内容" in empty.text
    taken = officer.form(f"/batches/{batch_id}/objections", {"claim_id": str(made.claim_ids[0]), "objector": "匿名电话",
                                                            "content": "该学员未实际参加培训"})
    assert taken.status_code == 303
    page = officer.get(taken.headers["location"]).text
    assert "受理异议（异议人：匿名电话）：该学员未实际参加培训" in page
    held = step(officer, batch_id, "publicity_ended")
    assert held.status_code == 409 and "还有 1 条异议未处理" in held.text
    (objection_id,) = _objection_ids(page)
    asked = officer.form(f"/batches/{batch_id}/objections/{objection_id}", {"decision": "dismissed",
                                                                           "reason": "核对签到表，本人参加了培训"})
    assert asked.status_code == 200 and "确认：异议不成立" in asked.text
    closed = officer.form(f"/batches/{batch_id}/objections/{objection_id}",
                          {"decision": "dismissed", "reason": "核对签到表，本人参加了培训", "confirmed": "1"})
    assert closed.status_code == 303
    assert step(officer, batch_id, "publicity_ended").status_code == 303
    archivist_page = client_for("archivist").get(f"/batches/{batch_id}").text
    assert "不成立" in archivist_page and "核对签到表，本人参加了培训" in archivist_page


def test_an_upheld_objection_reopens_that_claim_only_and_the_documents_get_a_new_version(app, client_for, batch):
    made, batch_id = batch
    reviewer, officer = to_publicised(client_for, batch_id)
    target = made.claim_ids[1]
    officer.form(f"/batches/{batch_id}/objections", {"claim_id": str(target), "objector": "李某",
                                                    "content": "证书为他人代考"})
    (objection_id,) = _objection_ids(officer.get(f"/batches/{batch_id}").text)
    upheld = officer.form(f"/batches/{batch_id}/objections/{objection_id}",
                          {"decision": "upheld", "reason": "发证机关核实代考属实", "confirmed": "1"})
    assert upheld.status_code == 303 and status_of(app, batch_id) == "submitted"
    with app.state.store.session() as session:
        states = {c: session.get(ReviewClaim, c).status for c in made.claim_ids}
    assert states == {made.claim_ids[0]: "accepted", target: "open", made.claim_ids[2]: "accepted"}
    page = reviewer.get(f"/batches/{batch_id}").text
    assert "本批次已被退回“审核中”" in page and "发证机关核实代考属实" in page
    form = reviewer.get(f"/review/claims/{target}").text
    revision = re.search(r'name="revision" value="(\d+)"', form).group(1)
    assert reviewer.form(f"/review/claims/{target}/decision", {"outcome": "reject", "reason": "代考，异议成立",
                                                              "revision": revision}).status_code == 303
    assert step(reviewer, batch_id, "reviewed").status_code == 303
    assert "公示名单生成于本批次审核完成之前" in step(officer, batch_id, "publicised").text
    generate_documents(officer, batch_id, "publicity")
    page = officer.get(f"/batches/{batch_id}").text
    assert "第 2 版" in page and "生成公示名单（第 2 版）" in page
    assert step(officer, batch_id, "publicised").status_code == 303
