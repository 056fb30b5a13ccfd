"""Dates as printed on the forms, to ISO 8601.

Rosters print training dates many ways: "2020年8月8日-2020年8月23日", "2020.8.8-8.23",
"2020/08/08至2020/08/23", "20200808-20200823", or without the year ("8月8日-8月23日"). A date
without its year takes `default_year`, which the caller finds in the class period, the fill date or
the agreement; a range's end without year or month takes them from its start.
"""

from __future__ import annotations

import datetime as dt
import re

from intake.fields.numerals import parse_int
from intake.fields.text import compact, half_width
from intake.fields.value import FieldValue
from intake.spreadsheets import excel_serial_date

# The training's dates (培训日期): one column, or two in spreadsheet exports (开始/结束), or a spanning
# "培训日期" over sub-columns that say only which end they hold.
TITLE = "培训日期"
TABLE_LABELS = ("培训日期", "培训时间", "培训起止日期", "培训起止时间", "培训期间", "起止日期", "培训起止")
START_LABELS = ("培训开始日期", "开始日期", "培训起始日期", "开班日期", "培训日期开始", "开始时间")
END_LABELS = ("培训结束日期", "结束日期", "培训截止日期", "结业日期", "培训日期结束", "结束时间")
# When the class period was filed in the provincial system (班期备案), as its export heads the column.
FILED_LABELS = ("备案日期", "班期备案日期", "备案时间")
START_SUB_LABELS = ("开始", "起", "起始", "自")
END_SUB_LABELS = ("结束", "止", "截止", "至")
# The certificate's date (取证日期): a special-operation card's 初领日期, a special-equipment card's 批准日期.
CERTIFICATE_DATE_TITLE = "取证日期"
CARD_ISSUE_LABELS = ("初领日期", "批准日期", "发证日期")
CARD_VALIDITY_LABELS = ("有效期限", "有效日期", "有效期至")
# The roster's footer, and the ledger's date of an earlier claim.
FILL_DATE_TITLE = "填表日期"
FILL_DATE_LABELS = (FILL_DATE_TITLE,)
APPLICATION_DATE_TITLE = "申请日期"   # the application report's date
CLAIM_DATE_LABELS = ("申领日期", "补贴日期", APPLICATION_DATE_TITLE, "发放日期")

_CN_NUMBER = re.compile(r"([零〇○一二两三四五六七八九十]+)(?=\s*[年月日号])")
_YEAR_MONTH_DAY = re.compile(r"((?:19|20)\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})(?!\d)\s*[日号]?")
_COMPACT = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月./\-]\s*(\d{1,2})(?!\d)\s*[日号]?")
_DAY = re.compile(r"(\d{1,2})\s*[日号]")
_SEPARATOR = re.compile(r"\s*(?:至|到|~|—+|–|-|_|－)\s*")
_YEAR_WORD = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_ALONE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_LEADING = re.compile(r"(?<!\d)(20[0-4]\d)(?=\d{2,6}(?!\d))")

Piece = tuple[int | None, int | None, int]


def parse_date(text: str, default_year: int | None = None) -> str | None:
    """The first date in `text`, as YYYY-MM-DD."""
    s = _prepare(text)
    for pos in _digit_starts(s):
        found = _full_piece(s, pos)
        if found:
            (y, m, d), _ = found
            day = _date(y or default_year, m, d)
            if day:
                return day.isoformat()
    return None


def parse_date_range(text: str, default_year: int | None = None) -> str | None:
    """The first range in `text` as "start/end"; None when there is no complete range."""
    s = _prepare(text)
    for pos in _digit_starts(s):
        found = _full_piece(s, pos)
        if not found:
            continue
        first, end = found
        sep = _SEPARATOR.match(s, end)
        if not sep:
            continue
        second = _full_piece(s, sep.end()) or _day_piece(s, sep.end())
        if not second:
            continue
        span = _complete(first, second[0], default_year)
        if span:
            return f"{span[0].isoformat()}/{span[1].isoformat()}"
    return None


def year_hint(text: str) -> int | None:
    """A year the text names: "2020年第3期", "2020-08", "202008期" or "二〇二〇年"."""
    s = _prepare(text)
    for pattern in (_YEAR_WORD, _YEAR_ALONE, _YEAR_LEADING):
        if m := pattern.search(s):
            return int(m.group(1))
    return None


def _prepare(text: str) -> str:
    s = half_width(text).replace("～", "~").replace("〜", "~")
    return _CN_NUMBER.sub(lambda m: str(parse_int(m.group(1)) or m.group(1)), s)


def _digit_starts(s: str) -> list[int]:
    return [i for i, ch in enumerate(s) if ch.isdigit() and (i == 0 or not s[i - 1].isdigit())]


def _full_piece(s: str, pos: int) -> tuple[Piece, int] | None:
    if m := _YEAR_MONTH_DAY.match(s, pos):
        return (int(m.group(1)), int(m.group(2)), int(m.group(3))), m.end()
    if m := _COMPACT.match(s, pos):
        return (int(m.group(1)), int(m.group(2)), int(m.group(3))), m.end()
    if m := _MONTH_DAY.match(s, pos):
        return (None, int(m.group(1)), int(m.group(2))), m.end()
    return None


def _day_piece(s: str, pos: int) -> tuple[Piece, int] | None:
    if m := _DAY.match(s, pos):
        return (None, None, int(m.group(1))), m.end()
    if m := re.compile(r"(\d{1,2})\s*$").match(s, pos):
        return (None, None, int(m.group(1))), m.end()
    return None


def _complete(first: Piece, second: Piece, default_year: int | None) -> tuple[dt.date, dt.date] | None:
    y1, m1, d1 = first
    y1 = y1 or default_year
    start = _date(y1, m1, d1)
    if start is None:
        return None
    y2, m2, d2 = second
    m2 = m2 or m1
    if y2 is None:
        # "12月20日-1月5日" runs into the next year.
        y2 = start.year + 1 if m2 is not None and m1 is not None and m2 < m1 else start.year
    end = _date(y2, m2, d2)
    if end is None or end < start:
        return None
    return start, end


def _date(year: int | None, month: int | None, day: int) -> dt.date | None:
    if year is None or month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_training(raw: str, year: int | None = None) -> FieldValue:
    """A training's dates: well formed only as a complete range."""
    span = parse_date_range(raw, default_year=year)
    if span:
        return FieldValue(span, True)
    day = parse_date(raw, default_year=year)
    return FieldValue(day or compact(raw), False)


def parse_typed_date(text: str) -> dt.date | None:
    """A date typed into a spreadsheet as a date, an Excel serial number or text (2020-05-06, 2020年5月6日,
    2020.5.6, 20200506)."""
    text = text.strip()
    if not text:
        return None
    iso = excel_serial_date(text) if re.fullmatch(r"\d{5}(\.\d+)?", text) else parse_date(text)
    return dt.date.fromisoformat(iso) if iso else None
