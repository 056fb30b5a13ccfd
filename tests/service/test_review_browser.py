"""The review form in a real browser (Debian's chromium driven by Playwright; nothing downloads a browser):
a misread ID corrected with the keyboard alone, a missing signature marked signed after looking at the
crop, a batch worked from review to ready, and the history of every change with who and when.

The store is prepared directly (generated page images stored as uploads, a hand-made bundle-result/1 with
evidence boxes), so no OCR runs and the tests take seconds.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.service.live import LiveServer, add_users
from tests.service.review_batch import clear_queue, generate, truth_of

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).with_name("screenshots")
PASSWORD = "browser test password"

pytestmark = [pytest.mark.slow,  # the slow tier: a real browser
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="Debian's chromium is not installed (apt-get install chromium)")]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A data folder with a reviewer and two generated batches (one for single steps, one to clear)."""
    from service.db import open_service_store
    from service.settings import Settings

    root = tmp_path_factory.mktemp("review-web")
    data = root / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("SUBSIDY_DATABASE_URL", "SUBSIDY_QUEUE_URL", "SUBSIDY_KEY")}
    saved = {k: os.environ.pop(k) for k in ("SUBSIDY_DATABASE_URL", "SUBSIDY_KEY") if k in os.environ}
    try:
        add_users(data, {"reviewer": "reviewer"}, PASSWORD)
        store = open_service_store(Settings.from_env(data))
        with store.session() as session:
            steps = generate(session, data, root / "pages-a", "浏览器审核批次", trainees=8, doubtful=4, seed=3)
            whole = generate(session, data, root / "pages-b", "待清空批次", trainees=10, doubtful=4, seed=5)
        store.close()
    finally:
        os.environ.update(saved)
    return data, env, steps, whole


@pytest.fixture(scope="module")
def server(prepared):
    data, env, _steps, _whole = prepared
    with LiveServer(data, env=env, args=("--no-worker",)) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=name]", "reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/review")
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _focused(page) -> dict:
    return page.evaluate("() => ({id: document.activeElement.id, kind: document.activeElement.dataset.kind || '',"
                         " value: document.activeElement.value || ''})")


def _crops_loaded(page) -> None:
    page.wait_for_function("() => [...document.querySelectorAll('img.crop')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")


def _enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")


def test_reviewer_corrects_a_misread_id_with_the_keyboard_alone(page, server, prepared):
    _data, _env, steps, _whole = prepared
    plant = next(p for p in steps.planted if p.field == "id_number")
    claim_id = steps.claim_ids[plant.index]
    page.goto(f"{server.url}/review/claims/{claim_id}")
    _crops_loaded(page)
    assert page.locator('#flags [data-flag="invalid_id_number"]').count() == 1
    focus = _focused(page)
    assert focus["kind"] == "id_number" and focus["value"] == plant.read       # the doubt has the focus
    _shot(page, "review-form-misread-id.png")
    # A wrong check character is refused while typing: Enter does not even send the form.
    wrong = plant.truth[:17] + ("1" if plant.truth[17] != "1" else "2")
    page.keyboard.type(wrong)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert f"/review/claims/{claim_id}" in page.url
    assert "校验码不符" in page.locator("#field-id_number .check").text_content()
    page.keyboard.press("Control+A")
    page.keyboard.type(plant.truth)
    assert page.locator("#field-id_number .check").text_content() == ""
    _enter(page)
    assert page.locator('#flags [data-flag="invalid_id_number"]').count() == 0
    assert page.locator("#no-flags").count() == 1
    assert _focused(page)["id"] == "accept"                                     # next: Enter accepts
    history = page.locator("#history").text_content()
    assert plant.read in history and plant.truth in history and "reviewer" in history
    _enter(page)
    assert f"/review/claims/{claim_id}" not in page.url


def test_reviewer_marks_a_missing_signature_as_signed_after_looking_at_the_crop(page, server, prepared):
    _data, _env, steps, _whole = prepared
    plant = next(p for p in steps.planted if p.field == "signature")
    claim_id = steps.claim_ids[plant.index]
    page.goto(f"{server.url}/review/claims/{claim_id}")
    _crops_loaded(page)
    assert page.locator('#flags [data-flag="missing_signature"]').count() == 1
    assert _focused(page)["id"] == "signature-no"             # Enter would confirm the detector's verdict
    crop = page.locator("#field-signature img.crop").first
    assert crop.evaluate("i => i.naturalWidth") > 100
    # Look closer: zoom in, then the whole page one key away, and back.
    page.keyboard.press("Alt+Equal")
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--crop-zoom').trim()") == "1.5"
    page.keyboard.press("Alt+p")
    page.wait_for_function("() => !document.getElementById('pageview').hidden"
                           " && document.getElementById('pageview-img').naturalWidth > 500")
    _shot(page, "review-whole-page.png")
    page.keyboard.press("Escape")
    assert page.locator("#pageview").is_hidden()
    page.keyboard.press("Alt+Minus")
    assert _focused(page)["id"] == "signature-no"
    _shot(page, "review-form.png")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "signature-yes"
    _enter(page)
    assert page.locator('#flags [data-flag="missing_signature"]').count() == 0
    assert "已签字" in page.locator("#history").text_content()
    assert _focused(page)["id"] == "accept"


def test_a_batch_goes_from_review_to_ready_and_the_history_shows_every_change(page, server, prepared):
    _data, _env, _steps, whole = prepared
    page.goto(f"{server.url}/review")
    row = page.locator("#queue tr", has_text="待清空批次")
    assert "审核中" in row.text_content()
    batch_id = int(row.get_attribute("data-batch"))
    tally = clear_queue(page, server.url, batch_id, truth_of(whole))
    assert page.locator("#ready").count() == 1
    assert tally.corrected == 3 and tally.decided_one_by_one == 4       # ID and phone typed, signature flipped
    _shot(page, "review-batch-ready.png")
    rows = page.locator("#history tbody tr")
    texts = [rows.nth(i).text_content() for i in range(rows.count())]
    stamp = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
    assert all("reviewer" in t and stamp.search(t) for t in texts)
    kinds = [rows.nth(i).locator("td").nth(2).text_content() for i in range(rows.count())]
    # every field settled (4 doubts), every claim decided (10): nothing missing from the history
    assert kinds.count("判定") == 10 and kinds.count("更正") + kinds.count("核对") == 4
    page.goto(f"{server.url}/review")
    assert "已就绪，可交经办人" in page.locator("#queue tr", has_text="待清空批次").text_content()
