"""No page shows a raw code (rule, flag, field, state, page kind, detector verdict, job operator) or a UTC
time: every word a user reads is Chinese, every time Beijing time and labelled so, rows counted from 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake.labels import BATCH_STATUSES, FIELDS, FLAGS, PAGE_KINDS, REVIEW_STATUSES, RULES
from tests.service.pages import pages_of, seed_ids, visible_text
from tests.service.review_batch import generate

CODES = set(FLAGS) | set(RULES) | set(BATCH_STATUSES) | set(REVIEW_STATUSES) | set(PAGE_KINDS) | {
    code for code in FIELDS if code not in ("name",)} | {"ink", "fingerprint", "none", "None", "True", "False",
                                                         "pass", "fail", "needs_review", "records"}
WORD = re.compile(r"[A-Za-z_][A-Za-z_.]*[A-Za-z]")
UTC = re.compile(r"UTC|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|job-\d+")
ACCOUNTS = {"clerk", "clerk2", "reviewer", "officer", "archivist", "admin"}  # the test accounts' names (data)


@pytest.fixture
def store_with_everything(app, client_for, seeded, tmp_path: Path) -> dict[str, int]:
    settings = app.state.settings
    with app.state.store.session() as session:
        review = generate(session, settings.data_dir, tmp_path / "pages", "审核批次", trainees=4, doubtful=4)
    ids = seed_ids(app, seeded, review)
    reviewer = client_for("reviewer")
    form = reviewer.get(f"/review/claims/{review.claim_ids[1]}").text
    revision = re.search(r'name="revision" value="(\d+)"', form).group(1)
    reviewer.form(f"/review/claims/{review.claim_ids[1]}/decision",
                  {"outcome": "reject", "reason": "缺少公章", "revision": revision})
    version = re.search(r'fields/phone".*?name="version" value="(\d+)"', form, re.S).group(1)
    reviewer.form(f"/review/claims/{review.claim_ids[1]}/fields/phone", {"value": "13900001111", "version": version})
    officer = client_for("officer")
    officer.form(f"/batches/{ids['batch']}/status", {"status": "submitted", "confirmed": "1"})
    client_for("archivist").form(f"/archive/batches/{ids['batch']}/archive", {"confirmed": "1"})
    return ids


def test_no_page_shows_a_raw_code_or_a_utc_time(client_for, store_with_everything):
    problems = []
    for role, paths in pages_of(store_with_everything).items():
        client = client_for(None if role == "anonymous" else role)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (role, path, response.status_code)
            text = visible_text(response.text)
            codes = {w for w in WORD.findall(text) if w in CODES and w not in ACCOUNTS}
            if codes:
                problems.append(f"{role} {path}: {sorted(codes)}")
            if UTC.search(text):
                problems.append(f"{role} {path}: {UTC.search(text).group(0)}")
            if re.search(r"第\s*0\s*行", text):
                problems.append(f"{role} {path}: 第 0 行")
    assert not problems, "\n".join(problems)
