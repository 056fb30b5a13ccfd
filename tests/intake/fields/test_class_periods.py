"""Class periods as rosters, agreements and records write them, and as the recogniser misreads them."""

from __future__ import annotations

import pytest

from intake.fields.class_periods import normalize_class_period, read, same_period


@pytest.mark.parametrize("raw, year, canonical", [
    ("9期", 2020, "2020年第9期"),
    ("第9期", None, "第9期"),
    ("2020年第9期", None, "2020年第9期"),
    ("2020第九期", None, "2020年第9期"),
    ("2020-09", None, "2020年第9期"),
    ("（2020年第十二期）", None, "2020年第12期"),
    ("bz 2020 0804", None, "BZ20200804"),
])
def test_every_way_of_writing_a_period_is_one_form(raw, year, canonical):
    assert normalize_class_period(raw, year) == canonical


def test_a_small_period_sign_read_without_its_moon_is_still_the_period():
    # Bundle seed 1029's roster: every trainee's "2020年第43期" came back "202043其", which counted as a
    # well-formed code against the records' period: ten false field_mismatch.
    assert normalize_class_period("202043其") == "2020年第43期"
    assert normalize_class_period("43其", 2020) == "2020年第43期"


def test_chinese_text_that_is_no_period_is_not_a_well_formed_code():
    assert not read("培训中心").valid
    assert read("BZ20200804").valid and read("2020年第9期").valid


def test_a_period_without_its_year_is_the_same_as_one_with_it():
    assert same_period("第9期", "2020年第9期") and not same_period("第9期", "2020年第19期")
