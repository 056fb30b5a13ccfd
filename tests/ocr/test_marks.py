"""Mark detectors on drawn cells and pages: what counts as signed, where the seal is."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.marks.seal import find_seals
from ocr.marks.signature import SignatureDetector
from ocr.types import Box

KAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CELL = Box(100, 100, 420, 190)


def page_with(draw_in_cell) -> np.ndarray:
    img = Image.new("RGB", (600, 300), (246, 244, 240))
    d = ImageDraw.Draw(img)
    d.rectangle([CELL.x0, CELL.y0, CELL.x1, CELL.y1], outline=(20, 20, 20), width=3)
    d.rectangle([CELL.x0, CELL.y0 - 90, CELL.x1, CELL.y0], outline=(20, 20, 20), width=3)
    draw_in_cell(img, d)
    arr = np.array(img)[:, :, ::-1].copy()
    rng = np.random.default_rng(3)
    noisy = arr.astype(np.int16) + rng.normal(0, 6, arr.shape).astype(np.int16)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def signature(colour):
    def draw(img, d):
        d.text((150, 110), "张伟", font=ImageFont.truetype(KAI, 56), fill=colour)
    return draw


def fingerprint(colour):
    def draw(img, d):
        for k in range(12):
            d.ellipse([230 + 2 * k, 112 + 3 * k, 290 - 2 * k, 182 - 3 * k], outline=colour, width=2)
    return draw


def signed_under_the_unit_seal(img, d):
    """The unit's seal stamped over the last rows: its ring and lettering fill the cell with red, over a small
    signature (the old rule called it a fingerprint, and it was never compared as a hand)."""
    d.text((330, 112), "冯俊", font=ImageFont.truetype(KAI, 30), fill=(20, 20, 30))
    d.ellipse([120, 120, 420, 420], outline=(215, 45, 45), width=9)
    for k in range(6):
        d.text((170 + 38 * k, 150 + 6 * abs(k - 2.5)), "安全培训中心"[k], font=ImageFont.truetype(SANS, 34, index=2),
               fill=(215, 45, 45))


def personal_seal(img, d):
    d.rectangle([220, 115, 285, 180], fill=(215, 40, 40))
    d.text((228, 122), "张伟", font=ImageFont.truetype(SANS, 24, index=2), fill=(246, 244, 240))


def specks(img, d):
    for x, y in ((150, 130), (300, 160), (380, 120)):
        d.ellipse([x, y, x + 3, y + 3], fill=(40, 40, 40))


def neighbours_fingerprint(img, d):
    for k in range(10):  # a fingerprint of the row above, reaching 15 px into this cell
        d.ellipse([230 + 2 * k, 45 + 3 * k, 290 - 2 * k, 115 - 3 * k], outline=(200, 60, 60), width=2)


@pytest.mark.parametrize("draw,kind", [
    (signature((20, 20, 20)), "ink"),
    (signature((30, 40, 160)), "ink"),
    (signature((170, 170, 170)), "ink"),  # pencil grey
    (fingerprint((200, 50, 50)), "fingerprint"),
    (fingerprint((205, 190, 190)), "fingerprint"),  # pale: 15 levels redder than the paper, not 40
    (fingerprint((228, 205, 210)), "fingerprint"),  # washed out nearly to the paper, still pink
    (fingerprint((190, 190, 190)), "ink"),  # a grey copy keeps no colour to tell a print by
    (personal_seal, "seal"),
    (signed_under_the_unit_seal, "ink"),
])
def test_signed(draw, kind):
    verdict = SignatureDetector().detect(page_with(draw), CELL)
    assert verdict.present, verdict.measures
    assert verdict.kind == kind


@pytest.mark.parametrize("draw", [lambda img, d: None, specks, neighbours_fingerprint])
def test_not_signed(draw):
    verdict = SignatureDetector().detect(page_with(draw), CELL)
    assert not verdict.present, verdict.measures
    assert verdict.confidence > 0.5


def draw_seal(d: ImageDraw.ImageDraw, cx: int, cy: int, colour) -> None:
    r = 160
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=9)
    font = ImageFont.truetype(SANS, 34, index=2)
    for k, ch in enumerate("滨州市宏达机械有限公司"):
        a = np.deg2rad(200 + k * 14)
        d.text((cx + 118 * np.cos(a) - 17, cy + 118 * np.sin(a) - 17), ch, font=font, fill=colour)
    d.regular_polygon((cx, cy, 45), 5, fill=colour)


def seal_page(colour=(225, 40, 40), with_seal=True) -> np.ndarray:
    img = Image.new("RGB", (1654, 1200), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(SANS, 28, index=2)
    for i in range(12):
        line = "单位名称（盖章）：滨州市宏达机械有限公司  培训机构：某某学校"
        d.text((100, 80 + 80 * i), line, font=font, fill="black")
    d.rectangle([100, 900, 1500, 1150], outline="black", width=3)
    if with_seal:
        draw_seal(d, 600, 420, colour)
    return np.array(img)[:, :, ::-1].copy()


def test_red_seal_found_where_it_is():
    seals = find_seals(seal_page())
    assert len(seals) == 1
    assert seals[0].colour == "red" and seals[0].box.contains(600, 420)


def test_grey_copy_seal_is_a_ring():
    grey = cv2.cvtColor(cv2.cvtColor(seal_page(colour=(90, 90, 90)), cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    seals = find_seals(grey)
    assert len(seals) == 1 and seals[0].box.contains(600, 420)


def test_page_without_seal():
    assert find_seals(seal_page(with_seal=False)) == []


def test_a_small_light_grey_fingerprint_on_a_grey_copy_counts():
    def draw(img, d):
        # Narrower than a tenth of the cell, as a fingertip is in a wide signature column.
        d.ellipse([242, 118, 268, 170], fill=(175, 175, 175))
        for k in range(4):
            d.ellipse([245 + 2 * k, 122 + 3 * k, 265 - 2 * k, 166 - 3 * k], outline=(150, 150, 150), width=1)
    verdict = SignatureDetector().detect(page_with(draw), CELL)
    assert verdict.present, verdict.measures


@pytest.fixture(scope="module")
def unsealed_and_sealed(tmp_path_factory):
    from ocr.sources import load_pages
    from tests.bundlegen import BundleSpec, generate_bundle

    pages = {}
    for problems in ((), ("missing_stamp",)):
        out = tmp_path_factory.mktemp("bundle")
        truth = generate_bundle(BundleSpec(seed=3, trainees=6, profile="scan", problems=problems), out).as_json()
        first_roster = next(p["page"] for p in truth["pages"] if p["kind"] == "roster")
        pages[problems] = next(p.image for p in load_pages(out / truth["files"][0]) if p.number == first_roster)
    return pages


def test_an_unsealed_colour_roster_shows_no_seal_and_a_sealed_one_does(unsealed_and_sealed):
    assert find_seals(unsealed_and_sealed[("missing_stamp",)]) == []
    assert find_seals(unsealed_and_sealed[()])
