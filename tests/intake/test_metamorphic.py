"""Metamorphic tests of the reader: what a bundle says does not change when its pages are shuffled, one
page is turned, the scan is made at 150 DPI, or the images are re-compressed — so the trainees read
(names and ID numbers) must not change either. The original must be read right, or nothing is shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from intake.bundle import read_bundle
from intake.workers import PageReaderPool
from tests.bundlegen import BundleSpec, generate_bundle
from tests.policy import POLICY

SPEC = BundleSpec(seed=21, trainees=2, profile="scan", output="png")


def _people(result) -> list[tuple[str, str]]:
    return sorted((t.name, t.id_number) for t in result.trainees)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("original")
    generate_bundle(SPEC, folder)
    return folder, json.loads((folder / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pool():
    with PageReaderPool("rapidocr") as readers:
        yield readers


@pytest.fixture(scope="module")
def original(bundle, pool) -> list[tuple[str, str]]:
    folder, truth = bundle
    people = _people(read_bundle([folder / f for f in truth["files"]], pool, policy=POLICY))
    assert people == sorted((t["name"], t["id_number"]) for t in truth["trainees"])
    return people


def _pages(bundle: tuple[Path, dict]) -> list[Path]:
    folder, truth = bundle
    return [folder / f for f in truth["files"]]


def _kind_page(bundle: tuple[Path, dict], kind: str) -> int:
    return next(i for i, p in enumerate(bundle[1]["pages"]) if p["kind"] == kind)


def test_shuffled_pages_give_the_same_trainees(bundle, pool, original):
    pages = _pages(bundle)
    shuffled = pages[1::2] + pages[0::2]   # a fixed order other than the original's
    assert shuffled != pages
    assert _people(read_bundle(shuffled, pool, policy=POLICY)) == original


@pytest.mark.parametrize(("kind", "degrees"), [("roster", 90), ("agreement", 180)])
def test_a_turned_page_gives_the_same_trainees(bundle, pool, original, tmp_path, kind, degrees):
    pages = _pages(bundle)
    turned = _kind_page(bundle, kind)
    with Image.open(pages[turned]) as im:
        dpi = im.info.get("dpi", (200, 200))
        im.rotate(degrees, expand=True).save(tmp_path / "turned.png", dpi=dpi)
    pages[turned] = tmp_path / "turned.png"
    assert _people(read_bundle(pages, pool, policy=POLICY)) == original


def test_a_150_dpi_scan_gives_the_same_trainees(bundle, pool, original, tmp_path):
    smaller = []
    for path in _pages(bundle):
        with Image.open(path) as im:
            dpi = im.info.get("dpi", (200, 200))[0]
            size = (round(im.width * 150 / dpi), round(im.height * 150 / dpi))
            im.resize(size, Image.LANCZOS).save(tmp_path / path.name, dpi=(150, 150))
        smaller.append(tmp_path / path.name)
    assert _people(read_bundle(smaller, pool, policy=POLICY)) == original


def test_recompressed_pages_give_the_same_trainees(bundle, pool, original, tmp_path):
    recompressed = []
    for path in _pages(bundle):
        with Image.open(path) as im:
            target = tmp_path / (path.stem + ".jpg")
            im.convert("RGB").save(target, "JPEG", quality=40, dpi=im.info.get("dpi", (200, 200)))
        recompressed.append(target)
    assert _people(read_bundle(recompressed, pool, policy=POLICY)) == original
