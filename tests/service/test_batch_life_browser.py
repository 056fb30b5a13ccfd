"""A batch's whole life in a real browser (Debian's chromium driven by Playwright; nothing downloads a browser),
each role on its own pages: a stray Enter on the review page accepts nothing; the reviewer works the queue with
the keyboard and marks the batch 已审核; the officer is refused 公示中 without a publicity list, publicises,
ends the publicity, records the approval; a save in the approved batch changes nothing; 已拨付 is refused with
an amount other than Attachment 3's, then taken. Then every page of every role at 390 px wide (a phone): no
sideways scrolling, menu items whole; and screenshots of each role's main page at 1366 px and 390 px.

The store is prepared directly (generated page images stored as uploads, a bundle-result/1 with evidence boxes),
so no OCR runs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.service.live import LiveServer, add_users
from tests.service.pages import pages_of
from tests.service.review_batch import clear_queue, generate, truth_of

CHROMIUM = Path("/usr/bin/chromium")
# The pictures kept in the repository are remade on request only (SUBSIDY_EXAMPLES=docs/examples/issue-18):
# a plain test run writes them to its temporary folder and leaves the source tree as it was.
EXAMPLES_ENV = "SUBSIDY_EXAMPLES"
PASSWORD = "browser test password"
ROLES = ("clerk", "reviewer", "officer", "archivist", "admin")
BATCH = "浏览器生命周期批次"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A data folder with one account per role, a batch of 3 trainees (one doubt), and the clerk's finished job."""
    from intake.store.models import Batch, Claim, Page
    from service.db import open_service_store
    from service.models import Job
    from service.settings import Settings

    root = tmp_path_factory.mktemp("life-web")
    data = root / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("SUBSIDY_DATABASE_URL", "SUBSIDY_QUEUE_URL", "SUBSIDY_KEY")}
    saved = {k: os.environ.pop(k) for k in ("SUBSIDY_DATABASE_URL", "SUBSIDY_KEY") if k in os.environ}
    try:
        add_users(data, {role: role for role in ROLES}, PASSWORD)
        store = open_service_store(Settings.from_env(data))
        with store.session() as session:
            made = generate(session, data, root / "pages", BATCH, trainees=3, doubtful=1, seed=11,
                            kinds=("name",), certificates=True)
            batch = session.scalar(select(Batch).where(Batch.name == BATCH))
            batch.quarter = "2020Q2"
            claim = session.get(Claim, made.claim_ids[0])
            job = Job(batch_id=batch.id, upload_ids=[], bundle_id=claim.bundle_id, created_by="clerk", status="done",
                      pages_total=2, pages_done=2, trainees=3, message="完成：3 名学员")
            session.add(job)
            session.commit()
            ids = {"batch": batch.id, "claim": claim.id, "trainee": claim.trainee_id, "job": job.id,
                   "page": session.scalar(select(Page.id).where(Page.bundle_id == claim.bundle_id)),
                   "review_batch": batch.id, "review_claim": claim.id, "name": claim.trainee.name}
        store.close()
    finally:
        os.environ.update(saved)
    return data, env, made, ids


@pytest.fixture(scope="module")
def server(prepared):
    data, env, _made, _ids = prepared
    with LiveServer(data, env=env, args=("--no-worker",)) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def login(browser, server, name: str, width: int = 1366):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def status(server, page, batch_id: int) -> str:
    return page.request.get(f"{server.url}/api/batches/{batch_id}").json()["batch"]["status"]


def take_step(page, server, batch_id: int, **inputs: str) -> None:
    """From the batch page: the step's button, its confirmation page, the inputs, the confirm button."""
    page.goto(f"{server.url}/batches/{batch_id}")
    page.click("#advance")
    page.wait_for_load_state()
    for name, value in inputs.items():
        page.fill(f"#confirm-form [name={name}]", value)
    page.click("#confirm")
    page.wait_for_load_state()


def test_a_stray_enter_on_the_review_page_accepts_nothing(browser, server, prepared):
    _data, _env, _made, ids = prepared
    page = login(browser, server, "reviewer")
    page.goto(f"{server.url}/review/batches/{ids['batch']}")
    assert page.evaluate("document.activeElement.id") == "start"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/review/claims/" in page.url          # one claim opened, nothing decided
    decided = page.request.get(f"{server.url}/review/batches/{ids['batch']}/status").json()["decided"]
    assert decided == 0
    # The bulk accept asks first, listing the claims, and its page starts on "不接受，返回".
    page.goto(f"{server.url}/review/batches/{ids['batch']}")
    page.click("#accept-clean")
    page.wait_for_load_state()
    assert page.locator("#to-accept tbody tr").count() == 2
    assert page.evaluate("document.activeElement.id") == "cancel"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.request.get(f"{server.url}/review/batches/{ids['batch']}/status").json()["decided"] == 0
    page.context.close()


def test_one_batch_through_every_state_with_each_guard(browser, server, prepared):
    _data, _env, made, ids = prepared
    batch_id = ids["batch"]
    reviewer = login(browser, server, "reviewer")
    take_step(reviewer, server, batch_id)
    assert "已完成：" in reviewer.text_content("#done") and status(server, reviewer, batch_id) == "submitted"
    clear_queue(reviewer, server.url, batch_id, truth_of(made))
    take_step(reviewer, server, batch_id)
    assert status(server, reviewer, batch_id) == "reviewed"

    officer = login(browser, server, "officer")
    officer.goto(f"{server.url}/batches/{batch_id}/steps/publicised")
    assert "请先设定公示期" in officer.text_content("#missing") and officer.locator("#confirm").count() == 0
    officer.goto(f"{server.url}/batches/{batch_id}")
    officer.fill("input[name=start]", "2020-09-30")
    officer.click("#publicity button[type=submit]")
    officer.wait_for_load_state()
    assert "2020-10-14" in officer.text_content("#done")
    officer.goto(f"{server.url}/batches/{batch_id}/steps/publicised")
    assert "请先生成公示名单" in officer.text_content("#missing")   # 公示中 refused without a publicity list
    officer.goto(f"{server.url}/batches/{batch_id}")
    officer.click("button[name=kind][value=publicity]")
    officer.wait_for_load_state()
    take_step(officer, server, batch_id)
    take_step(officer, server, batch_id)
    assert status(server, officer, batch_id) == "publicity_ended"
    for kind in ("attachment1", "attachment2", "attachment3"):
        officer.goto(f"{server.url}/batches/{batch_id}")
        officer.fill("input[name=fill_date]", "2020-10-15")
        officer.click(f"button[name=kind][value={kind}]")
        officer.wait_for_load_state()
        assert "已完成：" in officer.text_content("#done")
    take_step(officer, server, batch_id, number="滨财社指〔2020〕12号", date="2020-10-20")
    assert status(server, officer, batch_id) == "approved"

    # An approved batch is not changed by a save: the same value changes nothing, another is refused.
    claim_id = made.claim_ids[1]
    reviewer.goto(f"{server.url}/review/claims/{claim_id}")
    assert "已锁定" in reviewer.text_content("#locked")
    reviewer.fill("#field-name input.value", made.trainees[1]["name"] + "明")
    with reviewer.expect_navigation():
        reviewer.press("#field-name input.value", "Enter")
    assert "已锁定" in reviewer.text_content("#form-error")
    claim = reviewer.request.get(f"{server.url}/review/batches/{batch_id}/status").json()["status"]
    assert claim[str(claim_id)] == "accepted"

    take_step(officer, server, batch_id, amount="2000", date="2020-10-28")
    assert "与附件3申请金额 3,000.00 元 不一致" in officer.text_content(".error")
    assert status(server, officer, batch_id) == "approved"
    officer.fill("#confirm-form [name=amount]", "3000")
    officer.fill("#confirm-form [name=date]", "2020-10-28")
    officer.click("#confirm")
    officer.wait_for_load_state()
    assert status(server, officer, batch_id) == "paid"
    history = officer.text_content("ol.history")
    assert history.count("北京时间") >= 10 and "改为“已拨付”（金额 3,000.00 元" in history
    for page in (reviewer, officer):
        page.context.close()


def _overflow(page) -> dict:
    return page.evaluate("""() => {
        const d = document.documentElement;
        const broken = [...document.querySelectorAll('header nav a')].filter(a => a.getClientRects().length > 1
            || a.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(a).fontSize));
        const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
            (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
        const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > d.clientWidth && !e.closest('.scroll')).slice(-3).map(name);
        return {scroll: d.scrollWidth, client: d.clientWidth, broken: broken.map(a => a.textContent), wide};
    }""")


def test_every_page_fits_a_phone_and_the_menus_wrap_whole(browser, server, prepared):
    _data, _env, _made, ids = prepared
    problems = []
    for role, paths in pages_of(ids).items():
        if role == "anonymous":
            context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
            page = context.new_page()
        else:
            page = login(browser, server, role, width=390)
        for path in paths:
            response = page.goto(f"{server.url}{path}")
            assert response.status == 200, (role, path, response.status)
            found = _overflow(page)
            if found["scroll"] > found["client"] or found["broken"]:
                problems.append(f"{role} {path}: {found}")
        page.context.close()
    assert not problems, "\n".join(problems)


MAIN_PAGES = {"clerk": "/jobs/{job}", "reviewer": "/review", "officer": "/batches/{batch}",
              "archivist": "/archive/batches", "admin": "/admin/users"}


def test_screenshots_of_each_roles_main_page(browser, server, prepared, tmp_path):
    _data, _env, _made, ids = prepared
    examples = Path(os.environ.get(EXAMPLES_ENV) or tmp_path)
    examples.mkdir(parents=True, exist_ok=True)
    for role, template in MAIN_PAGES.items():
        path = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), template)
        for width in (1366, 390):
            page = login(browser, server, role, width=width)
            page.goto(f"{server.url}{path}")
            page.screenshot(path=str(examples / f"{role}-{width}.png"), full_page=True)
            page.context.close()
    assert len(list(examples.glob("*.png"))) >= 10
