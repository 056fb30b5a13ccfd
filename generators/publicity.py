"""The publicity list (公示名单): the trainees whose claims passed, with masked ID numbers and phones, and
the period over at least N working days (policy) from a start date; as .docx and .xlsx.

Only claims the rules passed are publicised; the others are named (masked) in `notes` so the officer
knows who is missing and why. Full numbers are never opened here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import (
    QUARTER_NAMES,
    DocumentGenerator,
    GenerationError,
    chinese_date,
    fill_template,
    safe_file_part,
)
from generators.data import BatchData, check_rows, load_batch, require
from generators.money import plain_figures
from generators.spreadsheets import publicity_xlsx
from generators.workdays import PublicityPeriod, WorkCalendar, publicity_period
from intake.policy.policy import default_policy


def publicity_context(data: BatchData, period: PublicityPeriod, bureau: str, contact: str,
                      fill_date: str) -> dict[str, Any]:
    passed = [t for t in data.trainees if t.eligible]
    notes = [f"{t.who}: 未列入公示（审核{'未通过' if t.eligible is False else '未完成'}"
             f"{'：' + '、'.join(t.flags) if t.flags else ''}）" for t in data.trainees if not t.eligible]
    if not passed:
        raise GenerationError(f"批次 {data.name}", ["没有审核通过的学员，无可公示 (no claim has passed)"] + notes)
    rows = [replace(t, number=i) for i, t in enumerate(passed, start=1)]
    total = sum((t.amount for t in rows), Decimal(0))
    return {
        "batch": data.name, "year": data.year, "quarter_cn": QUARTER_NAMES[data.quarter_no - 1],
        "institution": data.institution, "bureau": bureau, "count": len(rows),
        "period_start": chinese_date(period.start), "period_end": chinese_date(period.end),
        "period_start_iso": period.start.isoformat(), "period_end_iso": period.end.isoformat(),
        "working_days": period.working_days, "contact": f"联系电话：{contact}。" if contact else "",
        "trainees": [{"number": t.number, "name": t.name, "id_number": t.id_number, "phone": t.phone,
                      "profession": t.profession, "certificate_no": t.certificate_no,
                      "amount_text": plain_figures(t.amount)} for t in rows],
        "amount_plain": plain_figures(total), "fill_date": fill_date, "notes": notes,
    }


class Publicity(DocumentGenerator):
    kind = "publicity"
    title = "公示名单"
    template = "publicity_list.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, full_ids=False)
        passed = tuple(t for t in data.trainees if t.eligible)
        require(f"批次 {subject}", check_rows(passed, font=self.options.settings.render_font))
        start = self.options.publicity_start or self.options.fill_date
        period = publicity_period(start, default_policy().publicity_working_days, WorkCalendar(self.options.data_dir))
        s = self.options.settings
        return publicity_context(data, period, s.bureau, s.publicity_contact, chinese_date(self.options.fill_date))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        stem = f"公示名单_{safe_file_part(context['batch'])}"
        docx = fill_template(self.template, context, out_dir / f"{stem}.docx", self.options.data_dir)
        return [docx, publicity_xlsx(context, out_dir / f"{stem}.xlsx")]
