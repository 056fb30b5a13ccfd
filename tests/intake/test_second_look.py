from collections.abc import Sequence

import numpy as np

from intake.second_look import second_look
from ocr.cells import CellText
from ocr.engines.base import OcrEngine, Orientation
from ocr.types import Box, Reading

ID = "11010519491231002X"
COLUMNS = {"name": 0, "id_number": 1, "phone": 2}


class ScriptedEngine(OcrEngine):
    """Answers every re-read from a script, and counts what it was asked."""

    name = "scripted"

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.asked = 0

    def read_page(self, image):
        return []

    def read_lines(self, crops: Sequence[np.ndarray], charset="any") -> list[Reading]:
        self.asked += len(crops)
        return [Reading(self.answers[i % len(self.answers)], 0.9) for i in range(len(crops))]

    def detect_orientation(self, image):
        return Orientation(0, 1.0)


def row(id_text: str, phone: str = "13812345678") -> list[CellText]:
    return [CellText("张三", 0.99, Box(0, 0, 100, 40)), CellText(id_text, 0.99, Box(100, 0, 400, 40)),
            CellText(phone, 0.99, Box(400, 0, 600, 40))]


PAGE = np.full((100, 700, 3), 255, np.uint8)


def test_cells_that_pass_their_check_are_not_read_again():
    engine = ScriptedEngine(["never"])
    rows = [row(ID)]
    assert second_look(PAGE, rows, COLUMNS, engine) == 0 and engine.asked == 0


def test_a_failing_id_is_replaced_by_a_second_reading_that_passes():
    rows = [row("S1010519491231002X")]
    assert second_look(PAGE, rows, COLUMNS, ScriptedEngine([ID])) == 1
    assert rows[0][1].text == ID and rows[0][1].box == Box(100, 0, 400, 40)


def test_second_readings_that_disagree_or_fail_change_nothing():
    wrong = "81010519491231002X"
    rows = [row(wrong)]
    other_valid = "11010519491231001" + "1"  # a different number, also passing its check
    assert second_look(PAGE, rows, COLUMNS, ScriptedEngine([ID, other_valid, "garbage"])) == 0
    assert rows[0][1].text == wrong
    assert second_look(PAGE, rows, COLUMNS, ScriptedEngine(["1101051949"])) == 0


def test_a_short_phone_is_read_again():
    rows = [row(ID, phone="1381234567")]
    assert second_look(PAGE, rows, COLUMNS, ScriptedEngine(["13812345678"])) == 1
    assert rows[0][2].text == "13812345678"
