"""Real table images from other projects' test sets, read by the product's reader: what it gets right today
stays right. The figures per image are in benchmarks/real_tables_benchmark.py; this guards regressions.

The images are not in this repository (tests/data/real_tables/README.md says where they are looked for);
without them the image tests are skipped with that reason, the scoring tests still run.
"""

from __future__ import annotations

import pytest

from benchmarks.real_tables import (
    TRUTH_ROOT,
    TruthTable,
    align,
    image_roots,
    load_page,
    load_samples,
    parse_table,
    reader_rows,
    score_table,
)
from intake.page_reader import read_page
from ocr.engines import create_engine
from ocr.settings import read_settings

SAMPLES = {s.key: s for s in load_samples()}

# image -> (table found, columns found) as the reader reads it today.
TODAY = {
    "rapidtable/table_without_txt.jpg": (True, 4),
    "tablestructurerec/row_span.png": (True, 4),
    "tablestructurerec/lineless_table_recognition.jpg": (True, 6),
    "tablestructurerec/no_table.jpg": (False, 0),
}


@pytest.fixture(scope="module")
def engine():
    return create_engine()


@pytest.mark.slow  # real OCR of each image
@pytest.mark.parametrize("key", sorted(TODAY))
def test_the_reader_still_finds_the_table_and_its_columns(key, engine):
    sample = SAMPLES[key]
    if sample.image_path is None:
        pytest.skip(f"{key} not installed (looked under {', '.join(map(str, image_roots()))})")
    reading = read_page(load_page(sample), engine, read_settings(engine.name))
    found, columns = TODAY[key]
    assert (reading.table is not None) == found
    rows = reader_rows(reading)
    assert max((len(r) for r in rows), default=0) == columns


# --- the scoring itself (no images needed) ----------------------------------------------------------------

def test_every_truth_file_parses_and_names_its_source():
    assert len(SAMPLES) >= 15
    for sample in SAMPLES.values():
        assert (TRUTH_ROOT / sample.source / "SOURCE.md").read_text(encoding="utf-8").count(sample.name)
        for table in sample.tables:
            assert all(len(row) == table.shape[1] for row in table.rows)


def test_spans_are_written_once_and_cover_their_positions():
    table = parse_table([["项目", "<", "通航"], ["甲", "1", "2"], ["^", "3", "4"]], "t")
    assert table.rows[0] == ("项目", "项目", "通航")
    assert table.rows[2][0] == "甲"
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in table.cells}
    assert spans[0, 0] == (1, 2) and spans[1, 0] == (2, 1) and len(table.cells) == 7


def test_a_cell_that_is_not_a_rectangle_is_refused():
    with pytest.raises(ValueError, match="rectangle"):
        parse_table([["a", "<"], ["^", "b"]], "t")


def _table(rows: list[list[str]]) -> TruthTable:
    return parse_table(rows, "t")


def test_a_table_read_exactly_scores_every_cell():
    truth = _table([["姓名", "性别"], ["张三", "男"], ["李四", ""]])
    score = score_table(truth, [["姓名", "性别"], ["张 三", "男"], ["李四", ""]])
    assert (score.right, score.cells, score.filled_right, score.filled) == (6, 6, 5, 5)


def test_one_merged_row_does_not_shift_the_rows_after_it():
    truth = _table([["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]])
    score = score_table(truth, [["a", "1"], ["bc", "23"], ["d", "4"]])
    assert score.right == 4 and score.found_shape == (3, 2)


def test_a_spanning_cell_split_across_columns_is_counted_as_split():
    truth = _table([["注：此表为方案。", "<", "<"], ["1", "2", "3"]])
    score = score_table(truth, [["注：", "此表为", "方案。"], ["1", "2", "3"]])
    assert score.split == 1 and score.right == 3


def test_a_spanning_cell_repeated_in_each_row_is_whole():
    truth = _table([["甲", "1"], ["^", "2"]])
    assert score_table(truth, [["甲", "1"], ["甲", "2"]]).right == 3


def test_width_and_dashes_only_matter_to_the_strict_score():
    truth = _table([["（5人）", "—"]])
    score = score_table(truth, [["(5人)", "-"]])
    assert score.right == 0 and score.loose_right == 2


def test_alignment_keeps_order_and_skips_what_matches_nothing():
    sim = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert align(sim, 2, 3) == [(0, 0), (1, 2)]


def test_a_cell_left_empty_with_full_confidence_is_counted():
    truth = _table([["一", "乙"]])
    assert score_table(truth, [["", "乙"]], [[1.0, 0.9]]).unread_certain == 1
    assert score_table(truth, [["", "乙"]], [[0.0, 0.9]]).unread_certain == 0
