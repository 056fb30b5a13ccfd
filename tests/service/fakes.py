"""Stand-ins for the OCR reader in web tests (settings.intake_reader = "tests.service.fakes:..."): the
web, queue and store are real, only the minutes of OCR are skipped."""

from __future__ import annotations

import os
import time
from pathlib import Path

from intake.fields.id_numbers import check_char
from intake.result import BundleResult, Evidence, PageResult, TraineeResult


def make_id(n: int) -> str:
    first17 = f"37160219900307{n:03d}"
    return first17 + check_char(first17)


FAKE_ID = make_id(7)
FAKE_PHONE = "13812345678"
FAKE_NAME = "张测试"
FAKE_CERT = "TS1234567890123"


def fake_reader(files: list[Path], progress, records, settings) -> BundleResult:
    """One page per file, one trainee, after `SUBSIDY_TEST_PAGE_SECONDS` per page (default none)."""
    delay = float(os.environ.get("SUBSIDY_TEST_PAGE_SECONDS", "0"))
    result = BundleResult(source=files[0].name, engine="fake")
    for number, path in enumerate(files, start=1):
        time.sleep(delay)
        result.pages.append(PageResult(number, "roster", 0, path.name))
        progress(number, f"{path.name} 第 {number} 页")
    trainee = TraineeResult(id_number=FAKE_ID, name=FAKE_NAME, gender="男", phone=FAKE_PHONE,
                            profession="叉车司机", certificate_no=FAKE_CERT, training_date="2020-05-06/2020-05-20",
                            class_period="2020第1期")
    trainee.evidence.append(Evidence("roster", 1, "name", FAKE_NAME, FAKE_NAME, 0.99, [0, 0, 10, 10], row=1))
    result.trainees.append(trainee)
    return result


def slow_reader(files: list[Path], progress, records, settings) -> BundleResult:
    os.environ.setdefault("SUBSIDY_TEST_PAGE_SECONDS", "1")
    return fake_reader(files, progress, records, settings)
