"""Dates and date ranges as people write them on forms, and as ISO 8601 for the truth."""

from __future__ import annotations

import datetime as dt

# Formats of a training-date range in a roster cell; "md" ones carry no year, which must then come
# from the class period or the fill date printed elsewhere on the page.
RANGE_FORMATS = ("dotted", "chinese_short_end", "md", "slashed", "iso_to", "dotted_short_end", "chinese_full")
DATE_FORMATS = ("chinese", "dotted", "iso", "chinese_padded")
# Further ways seen on other institutions' forms and in their spreadsheets ("wide" bundles).
WIDE_RANGE_FORMATS = RANGE_FORMATS + ("chinese_to_short_end", "md_to", "dotted_padded", "slashed_short_end",
                                      "iso_tilde")
WIDE_DATE_FORMATS = DATE_FORMATS + ("slashed", "dotted_padded")


def iso(day: dt.date) -> str:
    return day.isoformat()


def iso_range(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()}/{end.isoformat()}"


def format_date(day: dt.date, style: str) -> str:
    if style == "chinese":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "chinese_padded":
        return f"{day.year}年{day.month:02d}月{day.day:02d}日"
    if style == "dotted":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "iso":
        return day.isoformat()
    if style == "slashed":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "dotted_padded":
        return f"{day:%Y.%m.%d}"
    raise ValueError(style)


def format_range(start: dt.date, end: dt.date, style: str) -> str:
    if style == "dotted":
        return f"{start:%Y.%m.%d}-{end:%Y.%m.%d}"
    if style == "chinese_short_end":
        return f"{start.year}年{start.month}月{start.day}日-{end.month}月{end.day}日"
    if style == "chinese_full":
        return f"{format_date(start, 'chinese')}-{format_date(end, 'chinese')}"
    if style == "md":
        return f"{start.month}月{start.day}日-{end.month}月{end.day}日"
    if style == "slashed":
        return f"{start.year}/{start.month}/{start.day}—{end.year}/{end.month}/{end.day}"
    if style == "iso_to":
        return f"{start.isoformat()}至{end.isoformat()}"
    if style == "dotted_short_end":
        return f"{start.year}.{start.month}.{start.day}-{end.month}.{end.day}"
    return _wide_range(start, end, style)


def _wide_range(start: dt.date, end: dt.date, style: str) -> str:
    if style == "chinese_to_short_end":
        return f"{format_date(start, 'chinese')}至{end.month}月{end.day}日"
    if style == "md_to":
        return f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    if style == "dotted_padded":
        return f"{start:%Y.%m.%d}—{end:%Y.%m.%d}"
    if style == "slashed_short_end":
        return f"{start.year}/{start.month}/{start.day}-{end.month}/{end.day}"
    if style == "iso_tilde":
        return f"{start.isoformat()}~{end.isoformat()}"
    raise ValueError(style)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    next_first = dt.date(year + (month == 12), month % 12 + 1, 1)
    return next_first - dt.timedelta(days=1)


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, quarter * 3 - 2, 1)
