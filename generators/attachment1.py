"""Attachment 1, the roster (花名册) of the trainees who qualify, with full ID numbers, for the bureau; also
as .xlsx with the form's title, header lines and footer.

Full ID and certificate numbers are needed here (the bureau checks them against its systems), so they are
opened through the store's logged path, for the listed trainees only; the row checks run first on what
will be printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import QUARTER_NAMES, DateBlank, DocumentGenerator, fill_template, safe_file_part
from generators.data import BatchData, check_rows, load_batch, require
from generators.spreadsheets import roster_xlsx
from intake.fields import dates


def roster_context(data: BatchData, fill_date: DateBlank) -> dict[str, Any]:
    listed = data.require_listed()
    return {"batch": data.name, "year": data.year, "quarter_cn": QUARTER_NAMES[data.quarter_no - 1],
            "unit_name": data.unit_name, "institution": data.institution, "total": len(listed),
            "trainees": list(listed), "filled_by": data.filled_by, "contact_phone": data.contact_phone,
            "fill_date": fill_date, "notes": data.left_out_notes + fill_date.notes(dates.FILL_DATE_TITLE)}


class Attachment1(DocumentGenerator):
    kind = "attachment1"
    template = "attachment1_roster.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, policy=self.options.policy, full_ids=True, who=self.options.who,
                          purpose=f"附件1 花名册 {subject}")
        require(f"批次 {subject}", check_rows(data.listed, font=self.options.settings.render_font))
        return roster_context(data, self.batch_date(data))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        stem = f"附件1_花名册_{safe_file_part(context['batch'])}"
        docx = fill_template(self.template, context, out_dir / f"{stem}.docx", self.options.data_dir)
        return [docx, roster_xlsx(context, docx, out_dir / f"{stem}.xlsx")]
