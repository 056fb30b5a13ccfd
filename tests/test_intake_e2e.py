"""The clerk's journey through the command line: a scanned bundle in, bundle-result/1 out."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bundlegen import BundleSpec, generate_bundle

# The slow tier: real OCR of a whole bundle through the command line.
pytestmark = pytest.mark.slow

TRAINEE_FIELDS = ("name", "gender", "id_number", "phone", "profession", "certificate_no", "training_date",
                  "class_period")


def subsidy(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "--data", str(data), *args],
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def scanned_bundle(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bundle")
    generate_bundle(BundleSpec(seed=11, trainees=7, profile="scan", with_report=True, records=True), out)
    return out, json.loads((out / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("data")
    # Full numbers in the result file only for a role that may see them (the result is compared in full).
    subprocess.run([sys.executable, "-m", "service.cli", "--data", str(data), "users", "add", REVIEWER,
                    "--role", "reviewer", "--password-stdin"], input="a long password\n", text=True, check=True,
                   capture_output=True)
    return data


REVIEWER = "e2e-reviewer"


def take_in(folder: Path, truth: dict, data: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """The clerk's command: the scans, the class's records, into a batch."""
    return subsidy("intake", *(str(folder / f) for f in truth["files"]), "--records", str(folder / "records.xlsx"),
                   "--batch", "2020第二季度", "--json", str(out), *(extra or ("--full", "--by", REVIEWER)), data=data)


@pytest.fixture(scope="module")
def intake_result(scanned_bundle, data_dir, tmp_path_factory) -> tuple[dict, dict, subprocess.CompletedProcess]:
    folder, truth = scanned_bundle
    out = tmp_path_factory.mktemp("out") / "result.json"
    done = take_in(folder, truth, data_dir, out)
    return json.loads(out.read_text(encoding="utf-8")), truth, done


def test_intake_exits_cleanly(intake_result):
    _, _, done = intake_result
    assert done.returncode == 0, done.stderr


def test_result_follows_the_contract(intake_result):
    result, _, _ = intake_result
    assert result["schema"] == "bundle-result/1"
    assert {"source", "pages", "documents", "trainees"} <= result.keys()
    for page in result["pages"]:
        assert page["kind"] in ("roster", "agreement", "certificate", "report", "unknown")
        assert page["rotation"] in (0, 90, 180, 270)
    for trainee in result["trainees"]:
        assert {*TRAINEE_FIELDS, "signed", "certificate_copy", "flags", "eligible"} <= trainee.keys()


def test_page_kinds_and_rotations_match_the_truth(intake_result):
    result, truth, _ = intake_result
    got = [(p["page"], p["kind"], p["rotation"]) for p in result["pages"]]
    want = [(p["page"], p["kind"], p["rotation"]) for p in truth["pages"]]
    assert got == want


def test_every_trainee_field_matches_the_truth(intake_result):
    result, truth, _ = intake_result
    got = {t["id_number"]: t for t in result["trainees"]}
    wrong = []
    for t in truth["trainees"]:
        g = got.get(t["id_number"])
        if g is None:
            wrong.append(f"missing {t['name']} {t['id_number']}")
            continue
        wrong += [f"{t['name']}.{f}: {g[f]!r} != {t[f]!r}" for f in TRAINEE_FIELDS if g[f] != t[f]]
    assert not wrong
    assert len(result["trainees"]) == len(truth["trainees"])


def test_roster_header_fields(intake_result):
    result, truth, _ = intake_result
    want = next(d for d in truth["documents"] if d["kind"] == "roster")["fields"]
    got = next(d for d in result["documents"] if d["kind"] == "roster")["fields"]
    for key in ("unit_name", "institution", "quarter", "declared_total"):
        assert got.get(key) == want[key], key


def store_counts(data: Path) -> dict[str, int]:
    with sqlite3.connect(data / "subsidy.db") as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("uploads", "bundles", "pages", "trainees", "claims")}


@pytest.fixture(scope="module")
def taken_in_again(intake_result, scanned_bundle, data_dir, tmp_path_factory):
    """The same bundle taken in a second time, without --full: the store's counts before it, the run, the
    masked result file. One more OCR run serves both tests below."""
    first = store_counts(data_dir)
    out = tmp_path_factory.mktemp("again") / "masked.json"
    return first, take_in(*scanned_bundle, data_dir, out, "--quiet"), out


def test_the_batch_is_stored_once_however_often_it_is_taken_in(intake_result, taken_in_again, data_dir):
    _, truth, _ = intake_result
    first, again, _ = taken_in_again
    assert first == {"uploads": 1, "bundles": 1, "pages": len(truth["pages"]), "trainees": len(truth["trainees"]),
                     "claims": len(truth["trainees"])}
    assert again.returncode == 0, again.stderr
    assert store_counts(data_dir) == first


def test_without_full_the_result_file_is_masked_and_the_data_folder_holds_none(intake_result, taken_in_again,
                                                                              data_dir):
    _, truth, _ = intake_result
    _, again, out = taken_in_again
    assert again.returncode == 0, again.stderr
    text = out.read_text(encoding="utf-8")
    for t in truth["trainees"]:
        assert t["id_number"] not in text and t["phone"] not in text
        assert t["id_number"][:6] + "********" + t["id_number"][-4:] in text
    assert not (data_dir / "results").exists()
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_full_is_refused_to_a_role_that_may_not_see_numbers(scanned_bundle, data_dir, tmp_path):
    folder, truth = scanned_bundle
    done = subsidy("intake", str(folder / truth["files"][0]), "--json", str(tmp_path / "x.json"), "--full",
                   "--by", "nobody", data=data_dir)
    assert done.returncode == 2 and "--full" in done.stderr
    assert not (tmp_path / "x.json").exists()


def test_every_trainee_has_a_decision(intake_result):
    result, _, _ = intake_result
    assert all(t["eligible"] in (True, False, None) for t in result["trainees"])
    assert any(t["eligible"] is True for t in result["trainees"])
    assert not any("not_in_records" in t["flags"] for t in result["trainees"])
