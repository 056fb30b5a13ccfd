"""A copy sheet with one card laid in turned: both cards read, each in its own frame (real OCR)."""

from __future__ import annotations

import pytest

from intake.certificates import read_certificates
from intake.documents import Document
from intake.page_reader import read_page
from ocr.engines import create_engine
from ocr.settings import read_settings
from ocr.types import PageImage
from tests.ocr.test_frames import sheet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine():
    return create_engine("rapidocr")


@pytest.mark.parametrize("turn", [90, 180])
def test_a_turned_card_is_read_the_right_way_up(engine, turn):
    image, boxes = sheet(turn)
    reading = read_page(PageImage("sheet.png", 1, image, 200.0), engine, read_settings("rapidocr"))
    cards = {c.name: c for c in read_certificates(Document("certificate", [reading]))}
    assert reading.rotation == 0  # the sheet lies as most of its cards do
    assert set(cards) == {"张三", "李四", "王五"}
    assert cards["李四"].certificate_no == "T371602199003071213" and cards["李四"].issue_date == "2020-05-30"
    name_box = cards["李四"].boxes["name"]
    assert boxes[1].contains((name_box[0] + name_box[2]) / 2, (name_box[1] + name_box[3]) / 2)
