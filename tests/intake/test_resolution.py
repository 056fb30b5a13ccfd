"""The page's resolution does not change its reading: the same bundle scanned at 200 and at 300 dpi reads the
same (every page brought to A4 at 200 dpi first; every pixel constant follows from the page's own size)."""

from __future__ import annotations

import pytest

from intake.bundle import read_bundle
from intake.workers import PageReaderPool
from tests.bundlegen import BundleSpec, generate_bundle
from tests.policy import POLICY

pytestmark = pytest.mark.slow

TRAINEE_KEYS = ("name", "gender", "id_number", "phone", "profession", "certificate_no", "training_date",
                "class_period", "signed", "certificate_copy", "flags")


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    """The same seed at two resolutions, each read once with the default engine. A clean capture: a scanner's
    noise is drawn per pixel, so at two resolutions it would not be the same noise, and the test is about the
    resolution alone."""
    out = {}
    with PageReaderPool("rapidocr", workers=1) as pool:
        for dpi in (200, 300):
            folder = tmp_path_factory.mktemp(f"dpi{dpi}")
            truth = generate_bundle(BundleSpec(seed=31, trainees=4, profile="clean", dpi=dpi), folder)
            result = read_bundle([folder / f for f in truth.files], pool, policy=POLICY).to_json()
            out[dpi] = (truth, result)
    return out


def _trainees(result: dict) -> list[tuple]:
    return sorted(tuple(str(t.get(k)) for k in TRAINEE_KEYS) for t in result["trainees"])


def test_the_bundles_differ_only_in_resolution(readings):
    (low, _), (high, _) = readings[200], readings[300]
    assert [p["dpi"] for p in low.pages] == [200] * len(low.pages)
    assert [p["dpi"] for p in high.pages] == [300] * len(high.pages)
    assert [p["kind"] for p in low.pages] == [p["kind"] for p in high.pages]


def test_300_and_200_dpi_give_the_same_reading(readings):
    (_, low), (_, high) = readings[200], readings[300]
    assert [(p["kind"], p["rotation"]) for p in low["pages"]] == [(p["kind"], p["rotation"]) for p in high["pages"]]
    assert [(d["kind"], d["pages"], d["stamp_present"]) for d in low["documents"]] == \
        [(d["kind"], d["pages"], d["stamp_present"]) for d in high["documents"]]
    assert _trainees(low) == _trainees(high)


def test_both_readings_are_right(readings):
    for dpi, (truth, result) in readings.items():
        read = {t["id_number"]: t for t in result["trainees"]}
        for person in truth.trainees:
            got = read.get(person["id_number"])
            assert got is not None, (dpi, person["name"])
            assert (got["name"], got["profession"]) == (person["name"], person["profession"]), dpi
