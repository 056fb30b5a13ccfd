"""The ink survey that tells the detector where to look and at what scale."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engines.base import rotate_clockwise
from ocr.engines.rapid import quads_turned_clockwise
from ocr.engines.regions import detection_scale, survey

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


def _card_on_a_page(char_px: int = 32) -> np.ndarray:
    """An A4 page at 200 dpi, blank but for a card of text, with a scanner's dark edge."""
    page = Image.new("RGB", (1654, 2339), (236, 236, 232))
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, char_px, index=2)
    lines = ["中华人民共和国特种作业操作证", "姓名 李䶮", "证号 T37160219900307123X", "签发机关 山东省应急管理厅"]
    for i, line in enumerate(lines):
        draw.text((400, 300 + i * 70), line, font=font, fill=(30, 30, 30))
    draw.rectangle((0, 0, 1653, 14), fill=(60, 60, 60))  # the lid's shadow along the top edge
    return np.asarray(page)[:, :, ::-1].copy()


def test_the_region_holds_the_text_and_leaves_the_blank_paper_out():
    found = survey(_card_on_a_page())
    r = found.region
    assert r is not None
    assert r.x0 <= 400 and r.y0 <= 300 and r.x1 >= 400 + 14 * 32 and r.y1 >= 300 + 3 * 70 + 32
    assert r.area < 0.25 * 1654 * 2339  # the card, not the page (nor the shadowed edge)


def test_character_height_is_measured_whatever_the_resolution():
    for px in (24, 40):
        height = survey(_card_on_a_page(px)).text_height
        assert height is not None and 0.6 * px <= height <= 1.3 * px


def test_a_blank_page_needs_no_detection():
    assert survey(np.full((2339, 1654, 3), 240, np.uint8)).region is None


def test_detection_scale_brings_text_to_the_wanted_height_and_never_enlarges():
    assert detection_scale(32.0, 16, (1000, 1000), 1600) == 0.5
    assert detection_scale(8.0, 16, (1000, 1000), 1600) == 1.0
    assert detection_scale(None, 16, (3200, 2000), 1600) == 0.5


def test_quads_follow_the_image_when_it_is_turned():
    image = np.zeros((100, 300, 3), np.uint8)
    image[10:30, 50:250] = 255  # a wide line
    quad = np.array([[[50, 10], [250, 10], [250, 30], [50, 30]]], np.float32)
    turned = rotate_clockwise(image, 90)
    (q,) = quads_turned_clockwise(quad, image.shape[0])
    xs, ys = q[:, 0], q[:, 1]
    assert turned[int(ys.min()) + 1:int(ys.max()) - 1, int(xs.min()) + 1:int(xs.max()) - 1].min() == 255
    # Still top-left first and clockwise: the first edge runs along the (now vertical) line's short side.
    assert q[0][0] == xs.min() and q[0][1] == ys.min()
