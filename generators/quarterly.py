"""The quarterly report (季报) for the supervising department: per institution and profession, people
trained, certified, claimed, approved and paid, and the amounts; counts only, no personal data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import QUARTER_NAMES, DocumentGenerator, chinese_date, fill_template, quarter_parts
from generators.data import QuarterRow, load_quarter
from generators.money import plain_figures
from generators.spreadsheets import quarterly_xlsx

COUNTS = ("trained", "certified", "claimed", "approved", "paid")
AMOUNTS = ("claimed_amount", "approved_amount", "paid_amount")


def _as_cells(row: QuarterRow | dict[str, Any], number: int | str) -> dict[str, Any]:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    cells: dict[str, Any] = {"number": number, "institution": get("institution"), "profession": get("profession")}
    cells.update({k: get(k) for k in COUNTS})
    cells.update({k: plain_figures(get(k)) for k in AMOUNTS})
    return cells


def quarterly_context(quarter: str, batches: list[str], rows: list[QuarterRow], bureau: str,
                      fill_date: str) -> dict[str, Any]:
    year, number = quarter_parts(quarter)
    total: dict[str, Any] = {"institution": "", "profession": ""}
    total.update({k: sum(getattr(r, k) for r in rows) for k in COUNTS})
    total.update({k: sum((getattr(r, k) for r in rows), Decimal(0)) for k in AMOUNTS})
    return {"quarter": f"{year}Q{number}", "year": year, "quarter_cn": QUARTER_NAMES[number - 1],
            "bureau": bureau, "batches": "、".join(batches),
            "rows": [_as_cells(r, i) for i, r in enumerate(rows, start=1)], "total": _as_cells(total, "合计"),
            "fill_date": fill_date}


class Quarterly(DocumentGenerator):
    kind = "quarterly"
    title = "季报"
    template = "quarterly_report.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        batches, rows = load_quarter(session, subject)
        return quarterly_context(subject, batches, rows, self.options.settings.bureau,
                                 chinese_date(self.options.fill_date))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        stem = f"季报_{context['quarter']}"
        docx = fill_template(self.template, context, out_dir / f"{stem}.docx", self.options.data_dir)
        return [docx, quarterly_xlsx(context, out_dir / f"{stem}.xlsx")]
