"""Working days for the publicity period (公示期): Chinese public holidays and make-up working days.

The `chinesecalendar` package knows 2004–2026. A later year's schedule is published by the State Council
around November; an admin enters it as data in `<data>/calendar/<year>.toml` (see `calendar_template`).
For a year that neither knows, the software refuses: a guessed holiday would put a wrong end date on a
legal notice. An entered file wins over the package, so an admin can also correct a year.

Counting follows the Civil Code (DOMAIN.md): §201, a period in days does not count its first day, so
the period runs over the N working days after the start day; §203, a period that would end on a rest day
runs to the next working day, which counting working days gives by construction.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar

from generators.base import GenerationError

PACKAGE_YEARS = range(2004, 2027)


class CalendarUnknown(GenerationError):
    """Nobody has entered the holidays of this year: no period is computed over it."""


@dataclass(frozen=True)
class YearSchedule:
    """An admin-entered year: holidays (off though a weekday) and make-up working days (on though a weekend)."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str


@dataclass(frozen=True)
class PublicityPeriod:
    start: dt.date
    end: dt.date
    working_days: int
    counted: tuple[dt.date, ...] = field(default=())


def _dates(entries: list, key: str, path: Path, year: int) -> set[dt.date]:
    """Plain dates or {from = ..., to = ...} ranges; every date must lie in the file's year."""
    found: set[dt.date] = set()
    for entry in entries:
        if isinstance(entry, dt.date) and not isinstance(entry, dt.datetime):
            first = last = entry
        elif isinstance(entry, dict) and "from" in entry:
            first, last = entry["from"], entry.get("to", entry["from"])
        else:
            raise GenerationError(str(path), [f"{key} 中的 {entry!r} 不是日期或 {{from=…, to=…}}"])
        if first > last:
            raise GenerationError(str(path), [f"{key}: {first} 晚于 {last}"])
        day = first
        while day <= last:
            if day.year != year:
                raise GenerationError(str(path), [f"{key}: {day} 不在 {year} 年"])
            found.add(day)
            day += dt.timedelta(days=1)
    return found


def load_schedule(path: Path) -> YearSchedule:
    """Read and check one entered year."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GenerationError(str(path), [f"不是有效的 TOML ({exc})"]) from exc
    year = data.get("year")
    if not isinstance(year, int) or path.stem != str(year):
        raise GenerationError(str(path), [f"year = {year!r} 应与文件名一致"])
    holidays = _dates(data.get("holidays", []), "holidays", path, year)
    workdays = _dates(data.get("workdays", []), "workdays", path, year)
    if both := holidays & workdays:
        raise GenerationError(str(path), [f"{sorted(both)[0]} 同时是假日和调休上班日"])
    return YearSchedule(year, frozenset(holidays), frozenset(workdays), str(path))


class WorkCalendar:
    """Is a day a working day? Entered years first, then the package, else a refusal."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.folder = data_dir / "calendar" if data_dir is not None else None
        self._entered: dict[int, YearSchedule | None] = {}

    def entered(self, year: int) -> YearSchedule | None:
        if year not in self._entered:
            path = self.folder / f"{year}.toml" if self.folder is not None else None
            self._entered[year] = load_schedule(path) if path is not None and path.is_file() else None
        return self._entered[year]

    def knows(self, year: int) -> bool:
        return self.entered(year) is not None or year in PACKAGE_YEARS

    def is_workday(self, day: dt.date) -> bool:
        schedule = self.entered(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            return day.weekday() < 5 and day not in schedule.holidays
        if day.year not in PACKAGE_YEARS:
            where = self.folder / f"{day.year}.toml" if self.folder is not None else f"<data>/calendar/{day.year}.toml"
            raise CalendarUnknown(f"{day.year}年", [
                f"不知道 {day.year} 年的法定节假日和调休安排，无法计算公示期；请管理员录入 {where} "
                f"(holidays of {day.year} unknown: enter them, the software will not guess)"])
        return bool(chinese_calendar.is_workday(day))


def publicity_period(start: dt.date, working_days: int, calendar: WorkCalendar) -> PublicityPeriod:
    """The period from `start` over at least `working_days` working days, the start day not counted."""
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    counted: list[dt.date] = []
    day = start
    while len(counted) < working_days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted.append(day)
    return PublicityPeriod(start, counted[-1], working_days, tuple(counted))


def calendar_template(year: int) -> str:
    """The text of an empty `<data>/calendar/<year>.toml` for an admin to fill from the State Council notice."""
    return (f"# {year}年法定节假日安排（国务院办公厅通知），由管理员录入。\n"
            f"# holidays: 放假的日期（可写区间）；workdays: 周末调休上班的日期。\n"
            f"year = {year}\n"
            f"holidays = [\n  # {{from = {year}-10-01, to = {year}-10-07}},  # 国庆节\n]\n"
            f"workdays = [\n  # {year}-09-26,\n]\n")
