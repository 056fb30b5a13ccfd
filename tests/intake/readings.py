"""Hand-built page readings for the intake tests that need no OCR."""

from __future__ import annotations

from intake.page_reader import PageReading
from intake.tables import PageTable
from ocr.cells import CellText
from ocr.grid import Grid
from ocr.types import Box, Word

ROSTER_HEADER = ["序号", "姓名", "性别", "身份证号", "手机", "专业（工种）", "证书编号", "培训日期", "班期"]
AGREEMENT_HEADER = ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"]


def words(*lines: str, top: int = 50) -> list[Word]:
    return [Word(text, Box(100, top + 60 * i, 100 + 30 * len(text), top + 60 * i + 40), 0.99)
            for i, text in enumerate(lines)]


def table(rows: list[list[str]], header: list[str] | None = None) -> PageTable:
    n_cols = len(header or rows[0])
    grid = Grid(tuple(100 + 150 * c for c in range(n_cols + 1)),
                tuple(400 + 60 * r for r in range(len(rows) + 2)))
    start = 1 if header else 0
    cells = [[CellText(text, 0.99, grid.cell(r + start, c)) for c, text in enumerate(row)]
             for r, row in enumerate(rows)]
    from intake.columns import map_columns

    return PageTable(grid, header or [], map_columns(header) if header else {}, cells)


def reading(number: int, lines: list[Word], tbl: PageTable | None = None) -> PageReading:
    return PageReading("bundle.pdf", number, 0, 0.0, 2339, 1654, lines, tbl)
