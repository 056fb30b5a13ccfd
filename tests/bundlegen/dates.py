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
    try:
        return _RANGES[style](start, end)
    except KeyError:
        raise ValueError(style) from None


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


_RANGES = {
    "dotted": lambda s, e: f"{s:%Y.%m.%d}-{e:%Y.%m.%d}",
    "chinese_short_end": lambda s, e: f"{format_date(s, 'chinese')}-{_md(e)}",
    "md": lambda s, e: f"{_md(s)}-{_md(e)}",
    "slashed": lambda s, e: f"{format_date(s, 'slashed')}—{format_date(e, 'slashed')}",
    "iso_to": lambda s, e: f"{s.isoformat()}至{e.isoformat()}",
    "dotted_short_end": lambda s, e: f"{format_date(s, 'dotted')}-{e.month}.{e.day}",
    "chinese_full": lambda s, e: f"{format_date(s, 'chinese')}-{format_date(e, 'chinese')}",
    "chinese_to_short_end": lambda s, e: f"{format_date(s, 'chinese')}至{_md(e)}",
    "md_to": lambda s, e: f"{_md(s)}至{_md(e)}",
    "dotted_padded": lambda s, e: f"{s:%Y.%m.%d}—{e:%Y.%m.%d}",
    "slashed_short_end": lambda s, e: f"{format_date(s, 'slashed')}-{e.month}/{e.day}",
    "iso_tilde": lambda s, e: f"{s.isoformat()}~{e.isoformat()}",
}


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
