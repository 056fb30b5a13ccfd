"""Attachment 3, the application report (安全技能培训补贴申请报告) in the notice's words: the period, the
trainees who qualify per profession, and the amount at the policy's rate in capitals and in figures.
No personal data is printed, so none is opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import BLANK, DateBlank, DocumentGenerator, fill_template, safe_file_part
from generators.data import BatchData, check_rows, load_batch, require
from generators.money import in_capitals, plain_figures
from intake.fields import dates


@dataclass(frozen=True)
class Period:
    """The form's "在 xx 年 xx 月至 xx 月期间": one year, two months (a later year goes before its month)."""

    year: str = BLANK
    first_month: str = BLANK
    last_month: str = BLANK

    @classmethod
    def of(cls, start: dt.date | None, end: dt.date | None) -> Period:
        if start is None or end is None:
            return cls()
        last = f"{end.year}年{end.month}" if end.year != start.year else str(end.month)
        return cls(str(start.year), str(start.month), last)


def rate_text(rate: Decimal) -> str:
    """1000 for the form's "按照 1000 元/人"; fen only where the policy has them."""
    return f"{rate:f}" if rate != rate.to_integral_value() else str(int(rate))


def report_context(data: BatchData, date: DateBlank) -> dict[str, Any]:
    listed = data.require_listed()
    amount = data.amount
    return {
        "batch": data.name, "institution": data.institution or BLANK,
        "period": Period.of(data.start, data.end), "trained": len(listed),
        "certified": sum(1 for t in listed if t.certificate_no),
        "per_profession": "，".join(f"{p}{n}人" for p, n in data.per_profession()),
        "rate": rate_text(data.amount_per_person), "amount_capitals": in_capitals(amount),
        "amount_figures": plain_figures(amount), "amount": amount, "date": date,
        "notes": data.left_out_notes + date.notes(dates.APPLICATION_DATE_TITLE),
    }


class Attachment3(DocumentGenerator):
    kind = "attachment3"
    template = "attachment3_report.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, policy=self.options.policy, full_ids=False)
        # The same rows as Attachment 1 or none: the report never asks for trainees the roster cannot list.
        require(f"批次 {subject}", check_rows(data.listed, font=None))
        return report_context(data, self.batch_date(data))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        out = out_dir / f"附件3_申请报告_{safe_file_part(context['batch'])}.docx"
        return [fill_template(self.template, context, out, self.options.data_dir)]
