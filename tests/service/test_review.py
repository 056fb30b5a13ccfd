"""The review queue and correction form through the web (TestClient): queue, corrections with history,
the checks re-run, stale forms, concurrent saves, ID check characters, seals, decisions, roles, CSRF."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.store.models import AccessLog, Claim, Correction, Decision, Trainee
from service.models import ReviewClaim
from tests.service.review_batch import generate

VERSION = re.compile(r'action="/review/claims/\d+/fields/(\w+)".*?name="version" value="(\d+)"', re.S)
REVISION = re.compile(r'name="revision" value="(\d+)"')


@pytest.fixture
def batch(app, tmp_path: Path):
    settings = app.state.settings
    with app.state.store.session() as session:
        return generate(session, settings.data_dir, tmp_path / "pages", "审核批次", trainees=8, doubtful=4)


def _claim(batch, kind: str) -> tuple[int, object]:
    plant = next(p for p in batch.planted if p.field == kind)
    return batch.claim_ids[plant.index], plant


def _versions(html: str) -> dict[str, int]:
    return {f: int(v) for f, v in VERSION.findall(html)}


def _flags(app, claim_id: int) -> tuple[list[str], bool | None]:
    with app.state.store.session() as session:
        claim = session.get(Claim, claim_id)
        return list(claim.flags), claim.eligible


def test_queue_shows_batches_doubts_and_how_much_is_left(client_for, batch):
    reviewer = client_for("reviewer")
    page = reviewer.get("/review")
    assert page.status_code == 200 and "审核批次" in page.text
    assert "审核中，还剩 8 条" in page.text
    page = reviewer.get(f"/review/batches/{_batch_id(page.text)}")
    assert page.status_code == 200
    assert "sev-error" in page.text and "sev-warning" in page.text     # a missing signature red, doubts yellow
    assert "接受全部 4 条无疑点申请" in page.text
    assert 'href="/review/batches/' in page.text and "/verify/id_number" in page.text
    for p in batch.planted:
        if p.field == "id_number":
            assert p.truth not in page.text and p.read not in page.text   # the queue shows IDs masked


def _batch_id(html: str) -> int:
    return int(re.search(r'href="/review/batches/(\d+)"', html).group(1))


def test_correcting_a_misread_id_clears_the_flag_and_is_in_the_history(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id, plant = _claim(batch, "id_number")
    assert "invalid_id_number" in _flags(app, claim_id)[0]
    form = reviewer.get(f"/review/claims/{claim_id}")
    assert form.status_code == 200
    assert plant.read in form.text and "身份证号无效" in form.text
    assert f"/review/claims/{claim_id}/witness/" in form.text
    version = _versions(form.text)["id_number"]
    saved = reviewer.form(f"/review/claims/{claim_id}/fields/id_number", {"value": plant.truth, "version": version})
    assert saved.status_code == 303, saved.text
    flags, eligible = _flags(app, claim_id)
    assert "invalid_id_number" not in flags and "field_mismatch" not in flags
    assert eligible is True
    with app.state.store.session() as session:
        correction = session.scalars(select(Correction).where(Correction.claim_id == claim_id,
                                                              Correction.field == "id_number")).one()
        assert correction.who == "reviewer" and correction.when is not None and correction.sealed
        assert plant.truth not in (correction.new_value or "") and plant.read not in (correction.old_value or "")
        assert session.scalar(select(AccessLog).where(AccessLog.who == "reviewer")) is not None
    form = reviewer.get(f"/review/claims/{claim_id}")
    history = form.text[form.text.index('id="history"'):]
    assert plant.read in history and plant.truth in history and "reviewer" in history and "更正" in history
    batch_page = reviewer.get(f"/review/batches/{_batch_of(app, claim_id)}")
    history = batch_page.text[batch_page.text.index('id="history"'):]
    assert "身份证号" in history and plant.truth not in history      # masked on the batch page


def _batch_of(app, claim_id: int) -> int:
    with app.state.store.session() as session:
        return session.get(Claim, claim_id).batch_id


def test_an_id_with_a_wrong_check_character_is_refused(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id, plant = _claim(batch, "id_number")
    wrong = plant.truth[:17] + ("0" if plant.truth[17] != "0" else "1")
    response = reviewer.form(f"/review/claims/{claim_id}/fields/id_number", {"value": wrong, "version": 0})
    assert response.status_code == 422
    assert "校验码不符" in response.text
    assert f'value="{wrong}"' in response.text                      # what was typed stays for fixing
    with app.state.store.session() as session:
        assert session.scalar(select(Correction).where(Correction.claim_id == claim_id)) is None
    assert "invalid_id_number" in _flags(app, claim_id)[0]


def test_a_stale_form_is_told_so_and_nothing_is_overwritten(app, client_for, batch):
    first, second = client_for("reviewer"), client_for("reviewer")   # two windows of the same desk
    claim_id, plant = _claim(batch, "phone")
    opened = _versions(first.get(f"/review/claims/{claim_id}").text)["phone"]
    assert second.form(f"/review/claims/{claim_id}/fields/phone",
                       {"value": plant.truth, "version": opened}).status_code == 303
    stale = first.form(f"/review/claims/{claim_id}/fields/phone", {"value": "13900000000", "version": opened})
    assert stale.status_code == 409
    assert "已由 reviewer" in stale.text and "旧值" in stale.text
    assert plant.truth in stale.text                                 # the form now shows what is there
    with app.state.store.session() as session:
        from intake.store.registry import phone_of
        claim = session.get(Claim, claim_id)
        assert phone_of(session, claim.trainee) == plant.truth


def test_a_decision_on_a_stale_form_is_refused(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id = next(c for c in batch.claim_ids if c not in {batch.claim_ids[p.index] for p in batch.planted})
    form = reviewer.get(f"/review/claims/{claim_id}").text
    revision = int(REVISION.search(form).group(1))
    versions = _versions(form)
    assert reviewer.form(f"/review/claims/{claim_id}/fields/name",
                         {"value": batch.trainees[batch.claim_ids.index(claim_id)]["name"],
                          "version": versions["name"]}).status_code == 303
    late = reviewer.form(f"/review/claims/{claim_id}/decision", {"outcome": "accept", "revision": revision})
    assert late.status_code == 409 and "已被其他审核员修改" in late.text
    fresh = int(REVISION.search(reviewer.get(f"/review/claims/{claim_id}").text).group(1))
    assert reviewer.form(f"/review/claims/{claim_id}/decision",
                         {"outcome": "accept", "revision": fresh}).status_code == 303


def test_two_reviewers_saving_the_same_batch_at_once_lose_nothing(app, client_for, tmp_path):
    settings = app.state.settings
    with app.state.store.session() as session:
        big = generate(session, settings.data_dir, tmp_path / "big", "并发批次", trainees=12, doubtful=8,
                       kinds=("name", "phone"))
    clients = [client_for("reviewer"), client_for("reviewer")]
    # Both reviewers work the same claims at the same time, each on a different field.
    jobs = []
    for plant in big.planted:
        claim_id = big.claim_ids[plant.index]
        person = big.trainees[plant.index]
        jobs.append((0, claim_id, "name", person["name"]))
        jobs.append((1, claim_id, "phone", person["phone"]))
        jobs.append((0, claim_id, "profession", person["profession"]))
        jobs.append((1, claim_id, "gender", person["gender"]))
    barrier = threading.Barrier(2)
    failures: list[str] = []

    def work(who: int) -> None:
        barrier.wait()
        for owner, claim_id, field, value in jobs:
            if owner != who:
                continue
            response = clients[who].form(f"/review/claims/{claim_id}/fields/{field}", {"value": value, "version": 0})
            if response.status_code != 303:
                failures.append(f"{who} {claim_id} {field}: {response.status_code}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    with app.state.store.session() as session:
        for plant in big.planted:
            claim_id = big.claim_ids[plant.index]
            fields = set(session.scalars(select(Correction.field).where(Correction.claim_id == claim_id)))
            assert fields == {"name", "phone", "profession", "gender"}, (claim_id, fields)
            claim = session.get(Claim, claim_id)
            assert "low_confidence" not in claim.flags and claim.eligible is True, (claim_id, claim.flags)
            from intake.store.registry import phone_of
            assert phone_of(session, claim.trainee) == big.trainees[plant.index]["phone"]


def test_signature_verdict_overridden_after_looking_clears_missing_signature(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id, _plant = _claim(batch, "signature")
    assert _flags(app, claim_id) == (["missing_signature"], False)
    form = reviewer.get(f"/review/claims/{claim_id}")
    assert 'id="signature-no"' in form.text and 'id="signature-yes"' in form.text
    crop = re.search(rf'src="(/review/claims/{claim_id}/witness/\d+\.png)"', form.text[form.text.index(
        'id="field-signature"'):]).group(1)
    image = reviewer.get(crop)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert reviewer.get(crop.replace(".png", "/page.png")).status_code == 200
    saved = reviewer.form(f"/review/claims/{claim_id}/fields/signature", {"value": "yes", "version": 0})
    assert saved.status_code == 303
    assert _flags(app, claim_id) == ([], True)
    with app.state.store.session() as session:
        c = session.scalars(select(Correction).where(Correction.claim_id == claim_id)).one()
        assert (c.field, c.old_value, c.new_value, c.who) == ("signature", "未签字", "已签字", "reviewer")


def test_seal_marked_missing_raises_the_flag_on_every_claim_of_the_bundle(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id = batch.claim_ids[0]
    form = reviewer.get(f"/review/claims/{claim_id}").text
    assert 'id="seal-0-yes"' in form
    saved = reviewer.form(f"/review/claims/{claim_id}/seals/0", {"present": "no", "version": 0})
    assert saved.status_code == 303
    for cid in batch.claim_ids:
        assert "missing_stamp" in _flags(app, cid)[0]
    assert reviewer.form(f"/review/claims/{claim_id}/seals/0", {"present": "yes", "version": 0}).status_code == 409
    assert reviewer.form(f"/review/claims/{claim_id}/seals/0", {"present": "yes", "version": 1}).status_code == 303
    assert all("missing_stamp" not in _flags(app, cid)[0] for cid in batch.claim_ids)


def test_batch_goes_from_review_to_ready(app, client_for, batch):
    reviewer = client_for("reviewer")
    batch_id = _batch_of(app, batch.claim_ids[0])
    page = reviewer.get(f"/review/batches/{batch_id}").text
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    asked = reviewer.form(f"/review/batches/{batch_id}/accept-clean", {"seen": seen})
    assert asked.status_code == 200 and "确认接受以下 4 条申请" in asked.text  # listed, nothing accepted yet
    assert reviewer.get(f"/review/batches/{batch_id}/status").json()["decided"] == 0
    assert 'id="cancel" autofocus' in asked.text and "autofocus" not in asked.text.split('id="confirm-accept"')[1][:5]
    assert reviewer.form(f"/review/batches/{batch_id}/accept-clean", {"seen": seen, "confirmed": "1"}).status_code \
        == 303
    status = reviewer.get(f"/review/batches/{batch_id}/status").json()
    assert status["decided"] == 4 and not status["ready"]
    for plant in batch.planted:
        claim_id = batch.claim_ids[plant.index]
        form = reviewer.get(f"/review/claims/{claim_id}").text
        field = {"name": "name", "id_number": "id_number", "phone": "phone", "signature": "signature"}[plant.field]
        truth = plant.truth
        assert reviewer.form(f"/review/claims/{claim_id}/fields/{field}",
                             {"value": truth, "version": _versions(form).get(field, 0)}).status_code == 303
        form = reviewer.get(f"/review/claims/{claim_id}").text
        revision = int(REVISION.search(form).group(1))
        decided = reviewer.form(f"/review/claims/{claim_id}/decision", {"outcome": "accept", "revision": revision})
        assert decided.status_code == 303, decided.text
    status = reviewer.get(f"/review/batches/{batch_id}/status").json()
    assert status["ready"] and status["decided"] == 8
    assert "本批次已就绪" in reviewer.get(f"/review/batches/{batch_id}").text
    assert "已就绪，可交经办人" in reviewer.get("/review").text
    with app.state.store.session() as session:
        assert session.scalars(select(Claim.eligible).where(Claim.batch_id == batch_id)).all() == [True] * 8
        assert len(session.scalars(select(Decision).where(Decision.rule == "review")).all()) == 8


def test_accept_is_refused_while_doubts_are_open_and_reject_needs_a_reason(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id, _ = _claim(batch, "id_number")
    revision = int(REVISION.search(reviewer.get(f"/review/claims/{claim_id}").text).group(1))
    refused = reviewer.form(f"/review/claims/{claim_id}/decision", {"outcome": "accept", "revision": revision})
    assert refused.status_code == 422 and "待核对" in refused.text
    empty = reviewer.form(f"/review/claims/{claim_id}/decision", {"outcome": "reject", "reason": " ",
                                                                  "revision": revision})
    assert empty.status_code == 422 and "理由" in empty.text
    done = reviewer.form(f"/review/claims/{claim_id}/decision", {"outcome": "reject", "reason": "身份证号与原件不符",
                                                                 "revision": revision})
    assert done.status_code == 303
    assert _flags(app, claim_id)[1] is False


def test_a_rejection_needs_a_second_reviewer_when_the_setting_asks(app, client_for, batch):
    from service.users import add_user
    app.state.settings = app.state.settings.with_(review_second_reviewer=True)
    with app.state.store.session() as session:
        add_user(session, "reviewer2", "reviewer", "correct horse battery")
    first, second = client_for("reviewer"), client_for("reviewer2")
    claim_id, _ = _claim(batch, "signature")
    revision = int(REVISION.search(first.get(f"/review/claims/{claim_id}").text).group(1))
    assert first.form(f"/review/claims/{claim_id}/decision", {"outcome": "reject", "reason": "协议书未签字",
                                                              "revision": revision}).status_code == 303
    with app.state.store.session() as session:
        assert session.get(ReviewClaim, claim_id).status == "awaiting_second"
    form = first.get(f"/review/claims/{claim_id}").text
    revision = int(REVISION.search(form).group(1)) if REVISION.search(form) else 0
    own = first.form(f"/review/claims/{claim_id}/second", {"agree": "yes", "revision": revision})
    assert own.status_code == 403
    form = second.get(f"/review/claims/{claim_id}").text
    assert "提议驳回" in form
    revision = int(REVISION.search(form).group(1))
    assert second.form(f"/review/claims/{claim_id}/second", {"agree": "yes", "revision": revision}).status_code == 303
    with app.state.store.session() as session:
        assert session.get(ReviewClaim, claim_id).status == "rejected"
        assert session.get(Claim, claim_id).eligible is False
        last = session.scalars(select(Decision).where(Decision.claim_id == claim_id, Decision.rule == "review")
                               .order_by(Decision.id.desc())).first()
        assert last.outcome == "fail" and "reviewer2" in last.reason and last.decided_by == "reviewer2"


def test_verify_one_kind_across_the_batch(app, client_for, tmp_path):
    settings = app.state.settings
    with app.state.store.session() as session:
        big = generate(session, settings.data_dir, tmp_path / "v", "逐类批次", trainees=10, doubtful=6,
                       kinds=("id_number",))
    reviewer = client_for("reviewer")
    batch_id = _batch_of(app, big.claim_ids[0])
    page = reviewer.get(f"/review/batches/{batch_id}/verify/id_number")
    assert page.status_code == 200
    assert page.text.count('data-kind="id_number"') == 6 and page.text.count('class="crop"') >= 12
    data = {}
    for plant in big.planted:
        cid = big.claim_ids[plant.index]
        data[f"value_{cid}"] = plant.truth
        data[f"version_{cid}"] = "0"
    last = big.claim_ids[big.planted[-1].index]
    data[f"later_{last}"] = "1"
    saved = reviewer.form(f"/review/batches/{batch_id}/verify/id_number", data)
    assert saved.status_code == 303, saved.text
    for plant in big.planted:
        flags = _flags(app, big.claim_ids[plant.index])[0]
        assert ("invalid_id_number" in flags) == (big.claim_ids[plant.index] == last)
    with app.state.store.session() as session:
        assert session.scalar(select(Trainee).where(Trainee.name == "")) is None


@pytest.mark.parametrize("role", ["clerk", "officer", "archivist", "admin"])
def test_only_reviewers_may_see_correct_or_decide(app, client_for, batch, role):
    client = client_for(role)
    claim_id, plant = _claim(batch, "id_number")
    batch_id = _batch_of(app, claim_id)
    for path in ("/review", f"/review/batches/{batch_id}", f"/review/claims/{claim_id}",
                 f"/review/batches/{batch_id}/verify/id_number", f"/review/claims/{claim_id}/pages/1.png",
                 f"/review/batches/{batch_id}/status"):
        assert client.get(path).status_code == 403, path
    for path, data in ((f"/review/claims/{claim_id}/fields/id_number", {"value": plant.truth, "version": 0}),
                       (f"/review/claims/{claim_id}/decision", {"outcome": "reject", "reason": "x", "revision": 0}),
                       (f"/review/claims/{claim_id}/seals/0", {"present": "no", "version": 0}),
                       (f"/review/claims/{claim_id}/postpone", {}),
                       (f"/review/batches/{batch_id}/accept-clean", {"seen": ""})):
        response = client.form(path, data)
        assert response.status_code == 403, path
        assert plant.truth not in response.text
    assert "invalid_id_number" in _flags(app, claim_id)[0]


def test_saves_without_the_csrf_token_are_refused(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id, plant = _claim(batch, "id_number")
    response = reviewer.post(f"/review/claims/{claim_id}/fields/id_number",
                             data={"value": plant.truth, "version": 0, "csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403 and "CSRF" in response.text
    response = reviewer.post(f"/review/claims/{claim_id}/decision", data={"outcome": "accept", "revision": 0},
                             follow_redirects=False)
    assert response.status_code == 403
    assert "invalid_id_number" in _flags(app, claim_id)[0]


def test_anonymous_is_sent_to_login(client_for, batch):
    anon = client_for(None)
    assert anon.get("/review", follow_redirects=False).status_code == 303
    assert anon.get(f"/review/claims/{batch.claim_ids[0]}/pages/1.png", follow_redirects=False).status_code == 303


def test_postpone_moves_the_claim_to_the_end(app, client_for, batch):
    reviewer = client_for("reviewer")
    batch_id = _batch_of(app, batch.claim_ids[0])
    first = batch.claim_ids[0]
    response = reviewer.form(f"/review/claims/{first}/postpone")
    assert response.status_code == 303 and response.headers["location"].endswith(f"next?after={first}")
    nxt = reviewer.get(response.headers["location"], follow_redirects=False)
    assert nxt.headers["location"] == f"/review/claims/{batch.claim_ids[1]}"
    start = reviewer.get(f"/review/batches/{batch_id}/next", follow_redirects=False)
    assert start.headers["location"] == f"/review/claims/{batch.claim_ids[1]}"


def test_the_certificate_date_is_on_the_form_and_an_early_one_fails_the_rule(app, client_for, batch):
    reviewer = client_for("reviewer")
    claim_id = batch.claim_ids[0]
    form = reviewer.get(f"/review/claims/{claim_id}").text
    assert f'action="/review/claims/{claim_id}/fields/certificate_date"' in form
    assert "未读出（规则按培训结束日期推断，未经核对）" in form and 'id="inferred-date"' in form
    version = _versions(form).get("certificate_date", 0)
    bad = reviewer.form(f"/review/claims/{claim_id}/fields/certificate_date", {"value": "去年", "version": version})
    assert bad.status_code == 422 and "取证日期应写成" in bad.text
    saved = reviewer.form(f"/review/claims/{claim_id}/fields/certificate_date",
                          {"value": "2019年6月1日", "version": version})
    assert saved.status_code == 303
    form = reviewer.get(f"/review/claims/{claim_id}").text
    assert "取证日期 2019-06-01" in form and 'id="inferred-date"' not in form
    flags, eligible = _flags(app, claim_id)
    assert eligible is False and "certificate_before_policy_start" in flags
    with app.state.store.session() as session:
        reasons = [d.reason for d in session.scalars(select(Decision).where(Decision.claim_id == claim_id,
                                                                            Decision.rule == "certificate_date"))]
        assert reasons[-1] == "证书取得日期2019-06-01早于2020-01-01"
