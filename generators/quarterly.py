"""The quarterly report (季报) to the competent department (the notice, 三（三）): the quarter's period, and
per institution and profession the people trained, certified, claimed and paid, with the amounts.
Counts only: no personal data and no internal batch names. "Claimed" are the listed claims, the same
trainees Attachments 1 and 3 apply for.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import QUARTER_NAMES, DateBlank, DocumentGenerator, chinese_date, fill_template, quarter_parts
from generators.data import QuarterRow, load_quarter
from generators.money import plain_figures
from generators.spreadsheets import quarterly_xlsx

COUNTS = ("trained", "certified", "claimed", "paid")
AMOUNTS = ("claimed_amount", "paid_amount")


def quarter_period(year: int, number: int) -> tuple[dt.date, dt.date]:
    last_month = number * 3
    return dt.date(year, last_month - 2, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def _as_cells(row: QuarterRow | dict[str, Any], number: int | str) -> dict[str, Any]:
    """Counts as numbers; amounts both as numbers (the spreadsheet) and as text (the document)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    cells: dict[str, Any] = {"number": number, "institution": get("institution"), "profession": get("profession")}
    cells.update({k: get(k) for k in COUNTS})
    cells.update({k: plain_figures(get(k)) for k in AMOUNTS})
    cells.update({f"{k}_value": get(k) for k in AMOUNTS})
    return cells


def quarterly_context(quarter: str, rows: list[QuarterRow], bureau: str, addressee: str,
                      date: DateBlank) -> dict[str, Any]:
    year, number = quarter_parts(quarter)
    start, end = quarter_period(year, number)
    total: dict[str, Any] = {"institution": "", "profession": ""}
    total.update({k: sum(getattr(r, k) for r in rows) for k in COUNTS})
    total.update({k: sum((getattr(r, k) for r in rows), Decimal(0)) for k in AMOUNTS})
    return {"quarter": f"{year}Q{number}", "year": year, "quarter_cn": QUARTER_NAMES[number - 1],
            "bureau": bureau, "addressee": addressee,
            "period_start": chinese_date(start), "period_end": chinese_date(end),
            "institutions": len({r.institution for r in rows}),
            "rows": [_as_cells(r, i) for i, r in enumerate(rows, start=1)], "total": _as_cells(total, "合计"),
            "date": date, "notes": date.notes("季报日期")}


class Quarterly(DocumentGenerator):
    kind = "quarterly"
    template = "quarterly_report.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        s = self.options.settings
        return quarterly_context(subject, load_quarter(session, subject), s.bureau, s.quarterly_addressee,
                                 DateBlank.of(self.options.fill_date))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        stem = f"季报_{context['quarter']}"
        docx = fill_template(self.template, context, out_dir / f"{stem}.docx", self.options.data_dir)
        return [docx, quarterly_xlsx(context, docx, out_dir / f"{stem}.xlsx")]
