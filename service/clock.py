"""Beijing time for what people read: the store keeps naive UTC (intake.store.models.utcnow); pages, messages
and date gates speak Asia/Shanghai, and say so."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
LABEL = "北京时间"


def beijing(moment: dt.datetime) -> dt.datetime:
    """A stored moment (naive = UTC) in Beijing time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BEIJING)


def beijing_text(moment: dt.datetime | None, seconds: bool = False) -> str:
    """"2026-12-03 18:13（北京时间）"; "" for no moment."""
    if moment is None:
        return ""
    return f"{beijing(moment):%Y-%m-%d %H:%M{':%S' if seconds else ''}}（{LABEL}）"


def today() -> dt.date:
    """The bureau's calendar day (a publicity period ends at midnight in Binzhou, not in Greenwich)."""
    return dt.datetime.now(BEIJING).date()
