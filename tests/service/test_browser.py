"""End to end in a real browser (Debian's chromium driven by Playwright from PyPI; nothing downloads a
browser): a clerk uploads a generated bundle and watches it to the end, an officer downloads Attachment 3,
an archivist finds a trainee by certificate number and opens the original page. Real OCR, real queue."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.service.live import LiveServer, add_users

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).with_name("screenshots")
PASSWORD = "browser test password"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    from tests.bundlegen import BundleSpec, generate_bundle

    out = tmp_path_factory.mktemp("bundle")
    truth = generate_bundle(BundleSpec(seed=1, trainees=2, profile="clean"), out)
    return out / truth.files[0], truth


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("web") / "data"
    # The server's own data folder, database, key and queue: nothing inherited from the caller's setup.
    env = {k: v for k, v in os.environ.items() if k not in ("SUBSIDY_DATABASE_URL", "SUBSIDY_QUEUE_URL", "SUBSIDY_KEY")}
    add_users(data, {"clerk": "clerk", "officer": "officer", "archivist": "archivist"}, PASSWORD)
    with LiveServer(data, env=env) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def _login(browser, server, name: str):
    context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_clerk_uploads_and_sees_progress_to_the_end(browser, server, bundle):
    path, truth = bundle
    page = _login(browser, server, "clerk")
    assert page.url.endswith("/upload")
    page.fill("input[name=batch]", "浏览器测试批次")
    page.fill("input[name=quarter]", "2020Q2")
    page.fill("input[name=institution]", "滨州市安全技术培训学校")
    page.set_input_files("input[name=files]", str(path))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/jobs/" not in page.url:
        _shot(page, "clerk-upload-refused.png")
        pytest.fail(f"upload not accepted: {page.locator('.error').all_text_contents()}")
    seen = set()
    for _ in range(600):  # real OCR of a few pages on a busy machine: up to ten minutes
        seen.add(page.text_content("#job-pages"))
        if page.get_attribute("#job", "data-status") in ("done", "failed"):
            break
        page.wait_for_timeout(1000)
    _shot(page, "clerk-job-done.png")
    assert page.text_content("#job-status") == "已完成", page.text_content("#job-message")
    total = len(truth.pages)
    assert page.text_content("#job-pages") == f"{total}/{total} 页"
    assert page.evaluate("document.getElementById('job-progress').value") == total
    assert len(seen) >= 2  # the page moved while it watched (queued/partial, then whole)


def test_officer_downloads_attachment3(browser, server, bundle, tmp_path):
    page = _login(browser, server, "officer")
    page.click("text=浏览器测试批次")
    page.wait_for_url("**/batches/*")
    button = page.locator("button", has_text="生成附件3")
    if button.is_disabled():
        pytest.skip("generators.attachment3 is not available")
    button.click()
    page.wait_for_load_state()
    error = page.locator(".error")
    assert error.count() == 0, error.first.text_content()
    with page.expect_download() as info:
        page.locator("ul.files a", has_text="附件3").first.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.stat().st_size > 1000
    _shot(page, "officer-batch.png")


def test_archivist_finds_by_certificate_number_and_opens_the_original_page(browser, server, bundle):
    _path, truth = bundle
    trainee = truth.trainees[0]
    page = _login(browser, server, "archivist")
    assert page.url.endswith("/archive")
    page.fill("input[name=certificate_no]", trainee["certificate_no"])
    page.click("#number-form button[type=submit]")
    page.wait_for_load_state()
    results = page.locator("#results tbody tr")
    assert results.count() == 1 and trainee["name"] in results.first.text_content()
    assert trainee["id_number"] not in page.content()
    _shot(page, "archivist-search.png")
    results.first.locator("a").first.click()
    page.wait_for_url("**/trainees/*")
    page.locator("#pages a").first.click()
    page.wait_for_url("**/pages/*")
    page.wait_for_function("(() => { const s = document.getElementById('scan');"
                           " return s.complete && s.naturalWidth > 0; })()")
    assert page.evaluate("document.getElementById('scan').naturalWidth") > 500
    _shot(page, "archivist-original-page.png")
