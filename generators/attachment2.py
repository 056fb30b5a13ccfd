"""Attachment 2, the agreement (代领安全技能培训补贴协议书): one document per class, to be signed on paper.

The signature column stays empty on purpose: each trainee signs, fingerprints or seals it by hand, and
intake later reads an empty cell as a missing signature.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import DocumentGenerator, chinese_date, fill_template, safe_file_part
from generators.data import BatchData, check_rows, load_batch, require


def agreement_contexts(data: BatchData, bureau: str, fill_date: str) -> dict[str, Any]:
    classes = []
    for group in data.classes:
        classes.append({
            "batch": data.name, "institution": data.institution, "bureau": bureau,
            "start": chinese_date(group.start) if group.start else "    年  月  日",
            "end": chinese_date(group.end) if group.end else "    年  月  日",
            "profession": group.profession, "class_period": group.class_period or "—",
            "trainees": [replace(t, number=i) for i, t in enumerate(group.trainees, start=1)],
            "fill_date": fill_date,
            "file_part": safe_file_part("_".join(p for p in (group.class_period, group.profession) if p)),
        })
    return {"batch": data.name, "classes": classes}


class Attachment2(DocumentGenerator):
    kind = "attachment2"
    title = "附件2 代领安全技能培训补贴协议书"
    template = "attachment2_agreement.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, full_ids=True, who=self.options.who, purpose=f"附件2 协议书 {subject}")
        require(f"批次 {subject}", check_rows(data.trainees, font=self.options.settings.render_font,
                                             need_certificate=False))
        return agreement_contexts(data, self.options.settings.bureau, chinese_date(self.options.fill_date))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        batch = safe_file_part(context["batch"])
        written = []
        for klass in context["classes"]:
            out = out_dir / f"附件2_代领协议书_{batch}_{klass['file_part']}.docx"
            written.append(fill_template(self.template, klass, out, self.options.data_dir))
        return written
