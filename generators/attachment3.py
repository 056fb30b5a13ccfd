"""Attachment 3, the application report (申请报告): counts per profession and the amount in figures and
in capitals. No personal data is printed, so none is opened."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from generators.base import QUARTER_NAMES, DocumentGenerator, chinese_date, fill_template, safe_file_part
from generators.data import BatchData, check_rows, load_batch, require
from generators.money import in_capitals, in_figures, plain_figures
from intake.fields.professions import SPECIAL_EQUIPMENT, SPECIAL_OPERATION, match_profession

CERTIFICATE_NAMES = {SPECIAL_OPERATION: "特种作业操作证", SPECIAL_EQUIPMENT: "特种设备作业人员证"}


def certificate_names(professions: list[str]) -> str:
    kinds = []
    for name in professions:
        found = match_profession(name)
        if found and found.kind not in kinds:
            kinds.append(found.kind)
    names = [CERTIFICATE_NAMES[k] for k in (SPECIAL_OPERATION, SPECIAL_EQUIPMENT) if k in kinds]
    return "或".join(names) or "相应证书"


def report_context(data: BatchData, bureau: str, cited: tuple[str, ...], fill_date: str) -> dict[str, Any]:
    per = data.per_profession()
    rate = data.amount_per_person
    amount = sum((t.amount for t in data.certified), Decimal(0))
    professions = [{"profession": p, "trained": n, "certified": c, "amount": plain_figures(rate * c)}
                   for p, n, c in per]
    return {
        "batch": data.name, "year": data.year, "quarter_cn": QUARTER_NAMES[data.quarter_no - 1],
        "bureau": bureau, "cited_documents": "、".join(cited), "institution": data.institution,
        "start": chinese_date(data.start) if data.start else "    年  月  日",
        "end": chinese_date(data.end) if data.end else "    年  月  日",
        "trained": len(data.trainees), "certified": len(data.certified),
        "certificate_names": certificate_names([p for p, _, _ in per]),
        "per_profession_text": "，".join(f"{p}{n}人" for p, n, _ in per),
        "professions": professions, "rate_figures": in_figures(rate),
        "amount_figures": in_figures(amount), "amount_plain": plain_figures(amount),
        "amount_capitals": in_capitals(amount), "fill_date": fill_date,
    }


class Attachment3(DocumentGenerator):
    kind = "attachment3"
    title = "附件3 安全技能培训补贴申请报告"
    template = "attachment3_report.docx"

    def context(self, session: Session, subject: str) -> dict[str, Any]:
        data = load_batch(session, subject, full_ids=False)
        # Names are not printed here; a trainee without a certificate counts as trained, not certified.
        problems = [p for p in check_rows(data.trainees, font=self.options.settings.render_font,
                                          need_certificate=False, need_id=False) if "专业" in p]
        require(f"批次 {subject}", problems)
        s = self.options.settings
        return report_context(data, s.bureau, s.cited_documents, chinese_date(self.options.fill_date))

    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        out = out_dir / f"附件3_申请报告_{safe_file_part(context['batch'])}.docx"
        return [fill_template(self.template, context, out, self.options.data_dir)]
