"""Attachment 2, the agreement (代领安全技能培训补贴协议书): one per class of the trainees who qualify, in the
notice's words, to be signed on paper.

The signature column stays empty on purpose: each trainee signs, fingerprints or seals it by hand, and
intake later reads an empty cell as a missing signature. The competent department ("由___局所辖") follows
from the class's certificate kind (documents.toml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import BLANK, DateBlank, DocumentGenerator, fill_template, safe_file_part
from generators.data import BatchData, ClassGroup, check_rows, load_batch, require
from generators.spreadsheets import agreement_xlsx
from intake.fields.professions import match_profession


def department_of(profession: str, departments: dict[str, str]) -> str:
    """The blank before the form's "局所辖": the department's name without its final 局."""
    found = match_profession(profession)
    name = departments.get(found.kind, "") if found else ""
    return name.removesuffix("局") or BLANK


def end_blank(start: dt.date | None, end: dt.date | None) -> DateBlank:
    """The form's "至 XX 月 XX 日" has no year: a class running into the next year puts it before the month."""
    if end is None:
        return DateBlank()
    month = f"{end.year}年{end.month}" if start is not None and end.year != start.year else str(end.month)
    return DateBlank(str(end.year), month, str(end.day))


def class_context(data: BatchData, group: ClassGroup, departments: dict[str, str], date: DateBlank) -> dict[str, Any]:
    return {
        "batch": data.name, "institution": data.institution or BLANK,
        "start": DateBlank.of(group.start), "end": end_blank(group.start, group.end),
        "department": department_of(group.profession, departments),
        "class_period": group.class_period.removesuffix("期") or BLANK, "profession": group.profession,
        "trainees": [replace(t, number=i) for i, t in enumerate(group.trainees, start=1)],
        "date": date,
        "file_part": safe_file_part("_".join(p for p in (group.class_period, group.profession) if p)),
    }


def agreement_contexts(data: BatchData, departments: dict[str, str], date: DateBlank) -> dict[str, Any]:
    data.require_listed()
    return {"batch": data.name, "classes": [class_context(data, g, departments, date) for g in data.classes],
            "notes": data.left_out_notes + date.notes("协议书落款日期")}


class Attachment2(DocumentGenerator):
    kind = "attachment2"
    template = "attachment2_agreement.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, policy=self.options.policy, full_ids=True, who=self.options.who,
                          purpose=f"附件2 协议书 {subject}")
        require(f"批次 {subject}", check_rows(data.listed, font=self.options.settings.render_font,
                                             need_certificate=False))
        # The agreement is dated when it is signed: only a date the officer gives, else blank for the pen.
        return agreement_contexts(data, self.options.settings.departments, DateBlank.of(self.options.fill_date))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        batch = safe_file_part(context["batch"])
        written = []
        for klass in context["classes"]:
            out = out_dir / f"附件2_代领协议书_{batch}_{klass['file_part']}.docx"
            written.append((klass, fill_template(self.template, klass, out, self.options.data_dir)))
        sheet = agreement_xlsx(written, out_dir / f"附件2_代领协议书_{batch}.xlsx")
        return [docx for _, docx in written] + [sheet]
