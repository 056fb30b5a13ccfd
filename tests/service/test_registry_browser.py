"""The registry and the risk view in a real browser (Debian's chromium; the server, browser and login of
test_browser.py): an officer imports the departments' list, disqualifies an institution, and follows the
risk view down to the crops of a pasted fingerprint; the open claims dated after the disqualification are
flagged, and the view exports to Excel."""

from __future__ import annotations

import os

import openpyxl
import pytest

from tests.intake.institutions.registry_files import code, write_xlsx
from tests.intake.signals.marks_pages import pressed, signed_by
from tests.intake.signals.test_images import bundle
from tests.service.live import LiveServer, add_users
from tests.service.test_browser import CHROMIUM, PASSWORD, _login, _shot, browser  # noqa: F401 - fixtures

SCHOOL = "滨州市鲁北职业培训学校"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def registry_server(tmp_path_factory):
    """A server over a store holding one batch of the school (a fingerprint pasted into two rows), before the
    school is in any registry."""
    from intake.store.registry import get_batch
    from service.db import open_service_store
    from service.settings import Settings

    root = tmp_path_factory.mktemp("registry-web")
    data = root / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("SUBSIDY_DATABASE_URL", "SUBSIDY_QUEUE_URL", "SUBSIDY_KEY")}
    add_users(data, {"officer": "officer", "reviewer": "reviewer"}, PASSWORD)
    store = open_service_store(Settings.from_env(data))
    with store.session() as session:
        get_batch(session, "2020Q2-鲁北", institution=SCHOOL)
        session.commit()
        marks = [("ink", signed_by("张三", 1)[0]), ("fingerprint", pressed(5, 1)[0]), ("fingerprint", pressed(5, 2)[0])]
        bundle("2020Q2-鲁北", marks, [1, 2, 3], root, store, session)
    store.close()
    listing = write_xlsx(root / "机构名录.xlsx", [
        (SCHOOL, code(1), "特种作业", "滨州市应急管理局", "滨应急字〔2019〕12号", "2019-01-01", None, None, None),
        ("滨州恒安安全技术培训中心", code(2), "特种设备作业人员", "滨州市行政审批服务局", "滨审批〔2019〕3号",
         "2019-01-01", None, None, None)])
    with LiveServer(data, env=env) as live:
        live.listing = listing
        yield live


def test_import_disqualify_and_follow_the_risk_view_to_the_crops(browser, registry_server, tmp_path):  # noqa: F811
    page = _login(browser, registry_server, "officer")
    page.click("nav >> text=机构名录")
    page.set_input_files("#import-form input[name=file]", str(registry_server.listing))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    assert "导入 2 行，拒绝 0 行" in page.text_content("#import-report")
    assert page.locator("#institutions tbody tr").count() == 2
    _shot(page, "registry-imported.png")

    page.click(f"#institutions >> text={SCHOOL}")
    page.wait_for_url("**/institutions/*")
    page.fill("#disqualify-form input[name=day]", "2020-05-01")
    page.fill("#disqualify-form input[name=reason]", "培训记录弄虚作假")
    page.click("#disqualify-form button[type=submit]")
    page.wait_for_load_state()
    assert "已完成：取消培训资格" in page.text_content("#done")
    assert "2020-05-01 起取消培训资格" in page.text_content("#disqualifications")
    assert "取消培训资格" in page.text_content("#history")

    page.click("nav >> text=机构风险")
    page.click(f"#risk-institutions >> text={SCHOOL}")
    page.wait_for_url("**/risk/*")
    assert "2020-05-01 起取消培训资格" in page.text_content("#disqualified")
    assert page.locator("#quarters tbody tr").first.text_content().startswith("2020Q2")
    rows = {r.get_attribute("data-code"): r for r in page.locator("#signals tbody tr").all()}
    # Claims dated after the disqualification are flagged (their batch is still open); the print pasted twice.
    assert set(rows) == {"institution_disqualified", "fingerprint_same_image"}
    _shot(page, "risk-view.png")
    rows["fingerprint_same_image"].locator("a").click()
    page.wait_for_load_state()
    crops = page.locator("#findings ~ ul img.crop")
    assert crops.count() == 4
    page.wait_for_function("() => Array.from(document.querySelectorAll('img.crop'))"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    _shot(page, "risk-findings.png")
    with page.expect_download() as info:
        page.click("#export")
    saved = tmp_path / "risk.xlsx"
    info.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == ["按季度", "风险信号"]  # no claim dated before 2020-05-01
