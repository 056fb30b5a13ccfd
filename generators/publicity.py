"""The publicity list (公示名单): the trainees who qualify, with masked ID numbers and phones, and the period
over at least N working days (policy) from the day the officer starts it; as .docx and .xlsx.

The same trainees as Attachments 1 and 3 (intake.policy.listing); the others are named (masked) in
`notes` so the officer knows who is missing and why. Full numbers are never opened here. The start day is
the officer's (the batch page, or --publicity-start): without one nothing is made, since a period counted
from the machine's clock would put a wrong date on a legal notice.
"""

from __future__ import annotations

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

NO_START = "未设定公示开始日期：请在批次页面“设定公示期”，或用 --publicity-start 指定"


def publicity_context(data: BatchData, period: PublicityPeriod, bureau: str, contact: str) -> dict[str, Any]:
    rows = data.require_listed()
    return {
        "batch": data.name, "year": data.year, "quarter_cn": QUARTER_NAMES[data.quarter_no - 1],
        "institution": data.institution, "bureau": bureau, "count": len(rows),
        "period_start": chinese_date(period.start), "period_end": chinese_date(period.end),
        "period_start_iso": period.start.isoformat(), "period_end_iso": period.end.isoformat(),
        "working_days": period.working_days, "contact": f"联系电话：{contact}。" if contact else "",
        "trainees": [{"number": t.number, "name": t.name, "id_number": t.id_number, "phone": t.phone,
                      "profession": t.profession, "certificate_no": t.certificate_no, "amount": t.amount,
                      "amount_text": plain_figures(t.amount)} for t in rows],
        "amount": data.amount, "amount_plain": plain_figures(data.amount),
        # Published on the day the period starts.
        "fill_date": chinese_date(period.start), "notes": data.left_out_notes,
    }


class Publicity(DocumentGenerator):
    kind = "publicity"
    template = "publicity_list.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, policy=self.options.policy, full_ids=False)
        require(f"批次 {subject}", check_rows(data.listed, font=self.options.settings.render_font))
        start = self.options.publicity_start
        if start is None:
            raise GenerationError(f"批次 {subject}", [NO_START])
        days = self.options.policy.publicity_working_days
        period = publicity_period(start, days, WorkCalendar(self.options.data_dir))
        s = self.options.settings
        return publicity_context(data, period, s.bureau, s.publicity_contact)

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        stem = f"公示名单_{safe_file_part(context['batch'])}"
        docx = fill_template(self.template, context, out_dir / f"{stem}.docx", self.options.data_dir)
        return [docx, publicity_xlsx(context, docx, out_dir / f"{stem}.xlsx")]
