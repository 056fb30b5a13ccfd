"""The bundle generator itself: reproducible by seed, truthful about what it printed, every output readable."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from tests.bundlegen import BundleSpec, generate_bundle
from tests.bundlegen.idnumber import gender_of, is_valid
from tests.bundlegen.problems import PROBLEMS
from tests.bundlegen.scan import Degradation, degrade, plan

# The slow tier: the fixture generator renders whole bundles (the product's tests use few of them).
pytestmark = pytest.mark.slow


def _truth(folder: Path) -> dict:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


def _pdf_pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_same_seed_same_truth_and_pixels(tmp_path):
    spec = BundleSpec(seed=5, trainees=3, profile="clean", output="png")
    generate_bundle(spec, tmp_path / "a")
    generate_bundle(spec, tmp_path / "b")
    assert (tmp_path / "a" / "truth.json").read_bytes() == (tmp_path / "b" / "truth.json").read_bytes()
    for name in _truth(tmp_path / "a")["files"]:
        a = np.asarray(Image.open(tmp_path / "a" / name))
        b = np.asarray(Image.open(tmp_path / "b" / name))
        assert np.array_equal(a, b), name


@pytest.mark.parametrize("output", ["pdf", "text_pdf"])
def test_same_seed_same_pdf_bytes(tmp_path, output):
    spec = BundleSpec(seed=5, trainees=2, profile="clean", output=output)
    generate_bundle(spec, tmp_path / "a")
    generate_bundle(spec, tmp_path / "b")
    assert (tmp_path / "a" / "bundle.pdf").read_bytes() == (tmp_path / "b" / "bundle.pdf").read_bytes()


def test_scan_degradation_is_deterministic():
    page = Image.new("RGB", (400, 300), "white")
    how = Degradation(90, 1.5)
    a, b = degrade(page, "scan", how, 7), degrade(page, "scan", how, 7)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert a.size == (300, 400)   # a quarter turn swaps the sides


def test_other_seed_other_bundle(tmp_path):
    generate_bundle(BundleSpec(seed=5, trainees=3, profile="clean", output="png"), tmp_path / "a")
    generate_bundle(BundleSpec(seed=6, trainees=3, profile="clean", output="png"), tmp_path / "b")
    assert _truth(tmp_path / "a")["trainees"] != _truth(tmp_path / "b")["trainees"]


def test_truth_follows_the_schema_and_ids_are_valid(tmp_path):
    truth = generate_bundle(BundleSpec(seed=3, trainees=3, profile="clean", with_report=True), tmp_path)
    data = _truth(tmp_path)
    assert data == json.loads(json.dumps(truth.as_json(), ensure_ascii=False))
    assert data["schema"] == "bundle-truth/1" and data["seed"] == 3
    assert [d["kind"] for d in data["documents"]][:2] == ["roster", "agreement"]
    assert data["documents"][-1]["kind"] == "report"
    roster = data["documents"][0]["fields"]
    assert roster["declared_total"] == 3 and 1 <= roster["quarter"] <= 4 and roster["year"] == 2020
    assert len(data["trainees"]) == 3
    for t in data["trainees"]:
        assert is_valid(t["id_number"]) and gender_of(t["id_number"]) == t["gender"]
        assert len(t["phone"]) == 11 and t["phone"].isdigit() or t["phone"].startswith("0")
        start, end = t["training_date"].split("/")
        assert start <= end
        assert t["signed"] and t["certificate_copy"] and t["flags"] == []
        assert " " not in t["class_period"]
    covered = sorted(p for d in data["documents"] for p in d["pages"])
    assert covered == [p["page"] for p in data["pages"]] == list(range(1, len(data["pages"]) + 1))
    for d in data["documents"]:
        assert all(data["pages"][p - 1]["kind"] == d["kind"] for p in d["pages"])


@pytest.mark.parametrize("output", ["pdf", "text_pdf", "tiff", "jpeg", "png"])
def test_every_output_opens_with_one_page_per_truth_page(tmp_path, output):
    truth = generate_bundle(BundleSpec(seed=2, trainees=3, profile="clean", output=output), tmp_path)
    for name in truth.files:
        assert (tmp_path / name).is_file()
    if output in ("pdf", "text_pdf"):
        assert truth.files == ["bundle.pdf"]
        assert _pdf_pages(tmp_path / "bundle.pdf") == len(truth.pages)
    elif output == "tiff":
        with Image.open(tmp_path / "bundle.tiff") as im:
            assert im.n_frames == len(truth.pages)
    else:
        assert len(truth.files) == len(truth.pages)
        with Image.open(tmp_path / truth.files[0]) as im:
            assert im.size in ((1654, 2339), (2339, 1654))


def test_text_pdf_has_a_text_layer(tmp_path):
    truth = generate_bundle(BundleSpec(seed=2, trainees=3, profile="clean", output="text_pdf"), tmp_path)
    pdf = pdfium.PdfDocument(str(tmp_path / "bundle.pdf"))
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert truth.trainees[0]["id_number"] in text


def test_scanned_bundle_records_rotations_and_skews(tmp_path):
    truth = generate_bundle(BundleSpec(seed=4, trainees=3, profile="scan"), tmp_path)
    pages = truth.pages
    assert len(pages) >= 4
    assert any(p["rotation"] for p in pages)
    assert all(p["rotation"] in (0, 90, 180, 270) and abs(p["skew"]) <= 2.5 for p in pages)
    pdf = pdfium.PdfDocument(str(tmp_path / "bundle.pdf"))
    try:
        for p in pages:
            if p["kind"] != "roster":   # the other forms are upright portrait: a quarter turn makes them wide
                w, h = pdf[p["page"] - 1].get_size()
                assert (w > h) == (p["rotation"] in (90, 270)), p
    finally:
        pdf.close()


def test_rotation_plan_turns_a_page_of_every_scanned_bundle():
    import random
    for seed in range(30):
        assert any(d.rotation for d in plan("scan", 4, random.Random(seed)))
    assert not any(d.rotation or d.skew for d in plan("clean", 6, random.Random(1)))


def test_forced_pagination_and_shuffle(tmp_path):
    spec = BundleSpec(seed=8, trainees=5, profile="clean", rows_per_page=2, shuffle_pages=True)
    data = generate_bundle(spec, tmp_path).as_json()
    roster = next(d for d in data["documents"] if d["kind"] == "roster")
    agreement = next(d for d in data["documents"] if d["kind"] == "agreement")
    assert len(roster["pages"]) == 3 and len(agreement["pages"]) == 3
    first = data["pages"][roster["pages"][0] - 1]
    assert first["has_header_row"]


def test_planted_problems_show_in_the_truth(tmp_path):
    problems = ("missing_signature", "missing_stamp", "missing_certificate_copy", "gender_mismatch")
    data = generate_bundle(BundleSpec(seed=9, trainees=6, profile="clean", problems=problems), tmp_path).as_json()
    flags = {f for t in data["trainees"] for f in t["flags"]}
    assert {"missing_signature", "missing_certificate_copy", "gender_id_mismatch"} <= flags
    assert not next(d for d in data["documents"] if d["kind"] == "roster")["stamp_present"]
    unsigned = [t for t in data["trainees"] if not t["signed"]]
    assert unsigned and all(t["signature_kind"] == "none" for t in unsigned)
    copies = [d for d in data["documents"] if d["kind"] == "certificate"]
    assert len(copies) == sum(t["certificate_copy"] for t in data["trainees"]) == 5
    mismatched = [t for t in data["trainees"] if "gender_id_mismatch" in t["flags"]]
    # The roster prints the other gender; the trainee keeps the ID's, which the other papers print.
    assert mismatched and all(gender_of(t["id_number"]) == t["gender"] != t["written"]["gender"] for t in mismatched)


def test_every_problem_can_be_planted(tmp_path):
    data = generate_bundle(BundleSpec(seed=10, trainees=len(PROBLEMS) + 1, profile="clean", output="png",
                                      problems=PROBLEMS, records=True), tmp_path).as_json()
    assert {p["problem"] for p in data["problems"]} == set(PROBLEMS)
    assert (tmp_path / "records.xlsx").is_file()


def test_unknown_names_are_refused(tmp_path):
    with pytest.raises(ValueError):
        generate_bundle(BundleSpec(seed=1, profile="fax"), tmp_path)
    with pytest.raises(ValueError):
        generate_bundle(BundleSpec(seed=1, problems=("coffee_stain",)), tmp_path)
