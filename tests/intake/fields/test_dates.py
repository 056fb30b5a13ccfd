import pytest

from intake.fields.dates import parse_date, parse_date_range, year_hint


@pytest.mark.parametrize("text, year, want", [
    ("2020年8月8日-2020年8月23日", None, "2020-08-08/2020-08-23"),
    ("2020.8.8-8.23", None, "2020-08-08/2020-08-23"),
    ("2020/08/08至2020/08/23", None, "2020-08-08/2020-08-23"),
    ("20200808-20200823", None, "2020-08-08/2020-08-23"),
    ("2020-08-08—2020-08-23", None, "2020-08-08/2020-08-23"),
    ("2020年8月8日至23日", None, "2020-08-08/2020-08-23"),
    ("8月8日-8月23日", 2020, "2020-08-08/2020-08-23"),
    ("8月8日－23日", 2020, "2020-08-08/2020-08-23"),
    ("2020.12.20～1.5", None, "2020-12-20/2021-01-05"),
    ("二〇二〇年八月八日至八月二十三日", None, "2020-08-08/2020-08-23"),
    ("2020年8月 8日\n- 2020年8月23日", None, "2020-08-08/2020-08-23"),
])
def test_ranges(text, year, want):
    assert parse_date_range(text, default_year=year) == want


@pytest.mark.parametrize("text", ["8月8日-8月23日", "2020年8月23日-2020年8月8日", "2020年8月8日", "", "无"])
def test_no_complete_range(text):
    assert parse_date_range(text) is None


@pytest.mark.parametrize("text, want", [
    ("2020年9月1日", "2020-09-01"), ("2020.9.1", "2020-09-01"), ("填表日期：2020-09-01", "2020-09-01"),
    ("二〇二〇年九月一日", "2020-09-01"), ("2020年2月30日", None),
])
def test_single_dates(text, want):
    assert parse_date(text) == want


def test_year_without_year_needs_a_default():
    assert parse_date("9月1日") is None
    assert parse_date("9月1日", default_year=2021) == "2021-09-01"


@pytest.mark.parametrize("text, want", [("2020年第3期", 2020), ("202008期", 2020), ("BZ-2021-07", 2021),
                                        ("二〇二〇年", 2020), ("第3期", None)])
def test_year_hints(text, want):
    assert year_hint(text) == want
