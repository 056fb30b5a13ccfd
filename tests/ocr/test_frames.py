"""Cards on a copy sheet: their outlines under uneven light, and a turned card's boxes put back on the page."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engines.base import rotate_clockwise
from ocr.frames import TurnedText, card_outlines
from ocr.types import Box

FONT = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 28, index=2)
CARD = (680, 430)  # an ID-1 card at 200 dpi


def card(name: str) -> Image.Image:
    """A card copied on a grey background: title, labels and values."""
    img = Image.new("RGB", CARD, (214, 214, 214))
    d = ImageDraw.Draw(img)
    d.text((120, 30), "中华人民共和国特种作业操作证", font=FONT, fill=(40, 40, 40))
    for k, line in enumerate([f"姓名  {name}", "性别  男", "证号  T371602199003071213", "初领日期  2020-05-30"]):
        d.text((40, 110 + 70 * k), line, font=FONT, fill=(30, 30, 30))
    return img


def sheet(turn: int) -> tuple[np.ndarray, list[Box]]:
    """A copy sheet of three cards, the middle one turned `turn` degrees clockwise, lit unevenly (a third
    darker at one side); the cards' boxes, the turned one second."""
    page = Image.new("RGB", (1654, 2339), (246, 244, 240))
    cards = [(card("张三"), (200, 150)), (card("李四").rotate(-turn, expand=True), (300, 720)),
             (card("王五"), (200, 1650))]
    for image, at in cards:
        page.paste(image, at)
    light = np.linspace(1.0, 0.72, page.width)[None, :, None]
    pixels = np.clip(np.asarray(page, dtype=np.float32) * light, 0, 255).astype(np.uint8)
    boxes = [Box(x, y, x + image.width, y + image.height) for image, (x, y) in cards]
    return pixels[:, :, ::-1].copy(), [boxes[0], boxes[1], boxes[2]]


@pytest.mark.parametrize("turn", [90, 270, 180])
def test_each_card_is_found_by_its_outline_whatever_the_light(turn):
    image, expected = sheet(turn)
    found = card_outlines(image)
    assert len(found) == 3
    for box in expected:
        assert any(abs(f.x0 - box.x0) <= 6 and abs(f.y0 - box.y0) <= 6 and abs(f.x1 - box.x1) <= 6
                   and abs(f.y1 - box.y1) <= 6 for f in found), (box, found)


def test_cards_are_found_inside_the_shadow_a_scanner_left_round_the_sheet():
    # Bundle seed 1019's page 8: the sheet's dark edges made one ring round the whole page, and only the
    # outermost rings were looked at, so neither card was found and the turned one was read as garbage.
    image, expected = sheet(90)
    image[:30], image[-30:], image[:, :30], image[:, -30:] = 70, 70, 70, 70
    found = card_outlines(image)
    assert len(found) == 3
    for box in expected:
        assert any(abs(f.x0 - box.x0) <= 6 and abs(f.y1 - box.y1) <= 6 for f in found), (box, found)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_box_read_in_a_turned_card_lands_on_the_page_where_its_ink_is(rotation):
    crop = np.zeros((300, 500), np.uint8)
    crop[40:70, 100:220] = 255  # a word, as the card lies on the page
    upright = rotate_clockwise(crop, rotation)
    ys, xs = np.nonzero(upright)
    read = Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    on_page = TurnedText(Box(1000, 2000, 1500, 2300), rotation).to_page(read)
    assert on_page == Box(1100, 2040, 1220, 2070)
