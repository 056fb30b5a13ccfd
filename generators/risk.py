"""An institution's risk view as an .xlsx (openpyxl): the quarters (batches, trainees, claims, amount,
eligible, each finding's count), the findings with their reasons and where they were found, and the claims
dated before a disqualification. Numbers are numbers; names, batches and reasons are text."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from intake.fields import dates, professions
from intake.labels import flag_label
from intake.store.risk import InstitutionRisk

MONEY = "#,##0.00"


def risk_workbook(risk: InstitutionRisk, findings: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "按季度"
    codes = list(risk.totals)
    sheet.append([f"{risk.institution.name}（{risk.institution.credit_code or '未入名录'}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["季度", "批次数", "学员数", "申领数", "申领金额（元）", "符合条件", *(flag_label(c) for c in codes)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for q in risk.quarters:
        sheet.append([q.quarter, q.batches, q.trainees, q.claims, float(q.amount), q.eligible,
                      *(q.signals.get(c, 0) for c in codes)])
        sheet.cell(sheet.max_row, 5).number_format = MONEY
    sheet.column_dimensions["A"].width = 12
    signals = book.create_sheet("风险信号")
    signals.append(["季度", "批次", "学员", "信号", "说明", "页", "另一方批次", "另一方学员", "另一方页"])
    for cell in signals[1]:
        cell.font = Font(bold=True)
    for row in findings:
        f = row["finding"]
        other = (f.evidence or {}).get("other") or {}
        signals.append([row["quarter"], row["batch"], row["name"], flag_label(f.code), f.reason,
                        (f.evidence or {}).get("page"), other.get("batch", ""), other.get("name", ""),
                        other.get("page")])
    signals.column_dimensions["E"].width = 60
    if risk.before_disqualification:
        earlier = book.create_sheet("取消资格前的申领")
        earlier.append([dates.CLAIM_DATE_LABELS[0], "批次", "学员", professions.TITLE, "金额（元）"])
        for row in risk.before_disqualification:
            earlier.append([row["claim_date"].isoformat(), row["batch"], row["name"], row["profession"],
                            float(row["amount"] or 0)])
            earlier.cell(earlier.max_row, 5).number_format = MONEY
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
