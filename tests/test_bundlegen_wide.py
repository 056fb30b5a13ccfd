"""The wide variety of the bundle generator: reproducible by seed, every axis drawn more than one way
across seeds, and truth.json consistent with what was drawn (page sizes at the drawn resolution, the
cards found on each sheet where truth puts them, written values that say the canonical ones)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from PIL import Image

from tests.bundlegen import BundleSpec, generate_bundle, render_pages
from tests.bundlegen.draft import A4_PORTRAIT
from tests.bundlegen.idnumber import is_valid

# The slow tier: the fixture generator renders whole bundles (the product's tests use few of them).
pytestmark = pytest.mark.slow

SEEDS = range(20)
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _truth(folder: Path) -> dict:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def drawn() -> list[tuple]:
    """What 20 wide bundles drew, without rasterising them."""
    return [render_pages(BundleSpec(seed=s, trainees=5, variety="wide")) for s in SEEDS]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[tuple[Path, dict]]:
    """A few clean wide bundles as PNG pages, with records."""
    out = []
    for seed in (2, 3, 9, 14):
        folder = tmp_path_factory.mktemp(f"wide{seed}")
        generate_bundle(BundleSpec(seed=seed, trainees=6, profile="clean", output="png", records=True,
                                   variety="wide", with_report=seed % 2 == 0), folder)
        out.append((folder, _truth(folder)))
    return out


def test_same_seed_same_wide_bundle(tmp_path):
    spec = BundleSpec(seed=8, trainees=3, profile="scan", output="pdf", variety="wide", records=True)
    generate_bundle(spec, tmp_path / "a")
    generate_bundle(spec, tmp_path / "b")
    for name in ("truth.json", "bundle.pdf"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    rows = [[c.value for c in row] for row in load_workbook(tmp_path / "a" / "records.xlsx").active.iter_rows()]
    again = [[c.value for c in row] for row in load_workbook(tmp_path / "b" / "records.xlsx").active.iter_rows()]
    assert rows == again


def test_other_seed_other_look(drawn):
    looks = {(style.body_face, style.roster_table().columns, style.roster_table().ruling, look.dpi)
             for _, style, look, _, _ in drawn[:6]}
    assert len(looks) == 6


def test_every_axis_takes_more_than_one_value_across_seeds(drawn):
    axes: dict[str, set] = {}

    def saw(axis: str, value: object) -> None:
        axes.setdefault(axis, set()).add(value)

    for _, style, look, docs, _ in drawn:
        roster_look, agreement_look = style.roster_table(), style.agreement_table()
        saw("body face", style.body_face)
        saw("title face", style.title_face)
        saw("agreement face", style.agreement_face or style.body_face)
        saw("roster size", style.roster_size)
        saw("roster column order", roster_look.columns)
        saw("agreement column order", agreement_look.columns)
        saw("extra columns", bool(set(roster_look.columns) & {"employer", "education", "remark", "nation"}))
        saw("id label", roster_look.labels["id_number"])
        saw("two-line header", any("\n" in v for v in roster_look.labels.values()))
        saw("grouped header", roster_look.group is not None or agreement_look.group is not None)
        saw("cells merged down", bool(roster_look.spans))
        saw("roster ruling", roster_look.ruling)
        saw("agreement ruling", agreement_look.ruling)
        saw("hand-filled", bool(roster_look.hand or agreement_look.hand))
        saw("hand-filled header", style.hand_header)
        saw("gender glued", roster_look.glue_gender or agreement_look.glue_gender)
        saw("alignment", roster_look.align)
        saw("unit label", style.form_labels["unit"])
        saw("filled-by label", style.form_labels["filled_by"])
        for writer, habits in style.habits.items():
            saw(f"{writer} profession", habits.profession)
            saw(f"{writer} dates", habits.range_format)
            saw(f"{writer} period", habits.period)
            saw(f"{writer} padded names", habits.pad_names)
        saw("repeated header", style.repeat_header)
        saw("seal on first page only", style.seal_first_only)
        saw("notice wording", style.notice_wording)
        saw("roster pages", len(docs[0].drafts) > 1)
        saw("agreement pages", len(docs[1].drafts) > 1)
        saw("dpi", look.dpi)
        saw("photographed pages", look.photo_share > 0)
        saw("sheet mode", look.sheet_mode)
        saw("stray pages", bool(look.strays))
        for doc in docs:
            for draft in doc.drafts:
                if draft.kind == "certificate":
                    saw("cards per sheet", len(draft.meta["cards"]))
                    saw("sheet orientation", draft.landscape)
                    for card in draft.meta["cards"]:
                        saw("card side", card["side"])
                        saw("card turn", card["turn"])
    single = {axis: values for axis, values in axes.items() if len(values) < 2}
    assert not single, f"axes that never varied over {len(SEEDS)} seeds: {single}"
    assert axes["cards per sheet"] >= {1, 2, 3, 4}
    assert axes["card turn"] >= {0, 90, 180, 270} - {180} and len(axes["roster ruling"]) >= 5


def test_pages_have_the_drawn_resolution(rendered):
    for folder, truth in rendered:
        for page, name in zip(truth["pages"], truth["files"], strict=True):
            scale = page["dpi"] / 200
            with Image.open(folder / name) as im:
                assert round(im.info["dpi"][0]) == page["dpi"]
                portrait = (round(A4_PORTRAIT[0] * scale), round(A4_PORTRAIT[1] * scale))
                assert im.size in (portrait, portrait[::-1]), (name, im.size, page["dpi"])


def test_every_page_belongs_to_its_documents(rendered):
    for _, truth in rendered:
        docs = truth["documents"]
        for page in truth["pages"]:
            assert page["page"] in docs[page["document"]]["pages"]
            assert page["document"] in page["documents"]
            assert all(docs[d]["kind"] == page["kind"] for d in page["documents"])
        covered = {p for d in docs for p in d["pages"]}
        assert covered == {p["page"] for p in truth["pages"]}
        for d in docs:
            if d["kind"] in ("roster", "agreement"):
                first, *later = [truth["pages"][p - 1] for p in d["pages"]]
                assert first["has_title"] and first["has_header_row"]
                assert not any(p["has_title"] for p in later)


def _card_boxes(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Card-sized dark frames found in a sheet's pixels (each card's outline is one closed dark line)."""
    grey = np.asarray(image.convert("L"))
    h, w = grey.shape
    dark = (grey < 140).astype(np.uint8)
    k = max(3, w // 300)
    blobs = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for c in contours:
        x, y, bw, bh = cv2.boundingRect(c)
        inside = x > 2 and y > 2 and x + bw < w - 2 and y + bh < h - 2   # not the copy's dark margins
        if inside and 0.02 * w * h < bw * bh < 0.9 * w * h:
            boxes.append((x, y, x + bw, y + bh))
    return boxes


def _iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_cards_are_where_truth_says(rendered):
    sheets = 0
    for folder, truth in rendered:
        for page, name in zip(truth["pages"], truth["files"], strict=True):
            if page["kind"] != "certificate":
                continue
            sheets += 1
            with Image.open(folder / name) as im:
                found = _card_boxes(im)
                size = im.size
            assert len(found) == len(page["cards"]), (name, found, page["cards"])
            for card in page["cards"]:
                assert max(_iou(card["box"], f) for f in found) > 0.85, (name, card)
                x0, y0, x1, y1 = card["region"]
                assert abs(x0 * size[0] - card["box"][0]) <= 2 and abs(y1 * size[1] - card["box"][3]) <= 2
                assert truth["documents"][card["document"]]["fields"]["id_number"] == card["id_number"]
    assert sheets >= 8


def _number_in(period: str) -> int | None:
    """The class number a written period names: digits after the year, or Chinese numerals (第二十三期)."""
    digits = [int(x) for x in re.findall(r"\d+", period) if not (len(x) == 4 and x.startswith("20"))]
    if digits:
        return digits[0]
    cn = "".join(ch for ch in period if ch in CN_DIGITS or ch == "十")
    if not cn:
        return None
    tens, _, ones = cn.rpartition("十")
    if "十" not in cn:
        return CN_DIGITS[cn]
    return (CN_DIGITS.get(tens, 1) if tens or cn.startswith("十") else 0) * 10 + CN_DIGITS.get(ones, 0)


def test_written_values_say_the_canonical_ones(rendered):
    differ = set()
    for _, truth in rendered:
        for t in truth["trainees"]:
            assert is_valid(t["id_number"])
            written = t["written"]
            assert written["name"].replace("\u3000", "") == t["name"]
            start, end = (int(part) for part in re.findall(r"-(\d\d)(?:/|$)", t["training_date"]))
            days = [int(d) for d in re.findall(r"\d+", written["training_date"])]
            assert start in days and end in days, (written["training_date"], t["training_date"])
            if number := re.search(r"第(\d+)期$", t["class_period"]):
                assert _number_in(written["class_period"]) == int(number.group(1)), written["class_period"]
            else:   # a period code is written as it is
                assert written["class_period"] == t["class_period"]
            differ |= {k for k in ("profession", "class_period") if written[k] != t[k]}
    assert differ == {"profession", "class_period"}


def test_records_hold_every_trainee(rendered):
    for folder, truth in rendered:
        cells = {str(c.value) for row in load_workbook(folder / "records.xlsx").active.iter_rows() for c in row}
        assert {t["id_number"] for t in truth["trainees"]} <= cells
        assert any(v in cells for v in ("姓名", "学员姓名"))


def test_wide_text_pdf_keeps_a_text_layer(tmp_path):
    truth = generate_bundle(BundleSpec(seed=4, trainees=3, profile="clean", output="text_pdf", variety="wide"),
                            tmp_path)
    pdf = pdfium.PdfDocument(str(tmp_path / "bundle.pdf"))
    try:
        assert len(pdf) == len(truth.pages)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert truth.documents[0]["fields"]["institution"] in text
