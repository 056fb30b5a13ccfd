"""The publicity period: working days with Chinese holidays and make-up days, the first day not counted."""

import datetime as dt

import pytest

from generators.workdays import CalendarUnknown, GenerationError, WorkCalendar, calendar_template, publicity_period

D = dt.date


def test_a_plain_week():
    # Monday 2020-06-01: Tuesday..Friday and the next Monday are the five days (Civil Code §201).
    period = publicity_period(D(2020, 6, 1), 5, WorkCalendar())
    assert period.end == D(2020, 6, 8)
    assert period.counted == (D(2020, 6, 2), D(2020, 6, 3), D(2020, 6, 4), D(2020, 6, 5), D(2020, 6, 8))


def test_over_national_day_2020():
    # 2020: Oct 1-8 off; Sunday Sep 27 and Saturday Oct 10 are make-up working days.
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2020, 9, 27)) and calendar.is_workday(D(2020, 10, 10))
    assert not any(calendar.is_workday(D(2020, 10, d)) for d in range(1, 9))
    period = publicity_period(D(2020, 9, 29), 5, calendar)
    assert period.counted == (D(2020, 9, 30), D(2020, 10, 9), D(2020, 10, 10), D(2020, 10, 12), D(2020, 10, 13))
    assert publicity_period(D(2020, 9, 25), 5, calendar).counted[0] == D(2020, 9, 27)


def test_2027_refused_without_data(tmp_path):
    with pytest.raises(CalendarUnknown) as caught:
        publicity_period(D(2027, 3, 1), 5, WorkCalendar(tmp_path))
    assert "2027" in str(caught.value) and "calendar/2027.toml" in str(caught.value)
    # A period that only runs into the unknown year is refused too.
    with pytest.raises(CalendarUnknown):
        publicity_period(D(2026, 12, 28), 5, WorkCalendar(tmp_path))


def test_2027_accepted_with_an_entered_year(tmp_path):
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "2027.toml").write_text(
        "year = 2027\n"
        "holidays = [2027-01-01, {from = 2027-10-01, to = 2027-10-07}]\n"
        "workdays = [2027-09-26, 2027-10-09]\n", encoding="utf-8")
    calendar = WorkCalendar(tmp_path)
    period = publicity_period(D(2027, 9, 29), 5, calendar)
    assert period.counted == (D(2027, 9, 30), D(2027, 10, 8), D(2027, 10, 9), D(2027, 10, 11), D(2027, 10, 12))
    assert publicity_period(D(2026, 12, 30), 3, calendar).counted == (D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 5))


def test_an_entered_year_is_checked(tmp_path):
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "2027.toml").write_text("year = 2027\nholidays = [2028-01-01]\n", encoding="utf-8")
    with pytest.raises(GenerationError, match="2028-01-01"):
        WorkCalendar(tmp_path).is_workday(D(2027, 1, 4))


def test_the_template_is_a_valid_empty_year(tmp_path):
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "2030.toml").write_text(calendar_template(2030), encoding="utf-8")
    assert WorkCalendar(tmp_path).is_workday(D(2030, 1, 7))
