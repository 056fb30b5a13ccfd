"""The clerk's journey through the command line: a scanned bundle in, bundle-result/1 out."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bundlegen import BundleSpec, generate_bundle

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
    return tmp_path_factory.mktemp("data")


def take_in(folder: Path, truth: dict, data: Path, out: Path) -> subprocess.CompletedProcess:
    """The clerk's command: the scans, the class's records, into a batch."""
    return subsidy("intake", *(str(folder / f) for f in truth["files"]), "--records", str(folder / "records.xlsx"),
                   "--batch", "2020第二季度", "--json", str(out), data=data)


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


def test_the_batch_is_stored_once_however_often_it_is_taken_in(intake_result, scanned_bundle, data_dir, tmp_path):
    result, truth, _ = intake_result
    first = store_counts(data_dir)
    assert first == {"uploads": 1, "bundles": 1, "pages": len(truth["pages"]), "trainees": len(truth["trainees"]),
                     "claims": len(truth["trainees"])}
    again = take_in(*scanned_bundle, data_dir, tmp_path / "again.json")
    assert again.returncode == 0, again.stderr
    assert store_counts(data_dir) == first


def test_every_trainee_has_a_decision(intake_result):
    result, _, _ = intake_result
    assert all(t["eligible"] in (True, False, None) for t in result["trainees"])
    assert any(t["eligible"] is True for t in result["trainees"])
    assert not any("not_in_records" in t["flags"] for t in result["trainees"])
