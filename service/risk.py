"""Risk per institution (机构风险), for the officer and the reviewer: every institution with its claims and
flagged claims; one institution's quarters (batches, trainees, claims, amounts), its findings' counts and
trend, the claims dated before a disqualification; drill-down to each finding with the crops of both
places it points at; the whole as an Excel file.

The crops come from the stored originals like the review form's (service/review/crops.py); they show what
the review form shows, to the roles that handle claims.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from generators.risk import risk_workbook
from intake.labels import flag_label
from intake.store.models import Claim, Finding, Page
from intake.store.risk import findings_of_institution, institution_risk, institutions_at_risk
from service.deps import DB, StoreDep, require_role
from service.models import User
from service.review.crops import crop_png, upright_page
from service.scans import PageNotAvailable
from service.web import render

router = APIRouter(prefix="/risk", include_in_schema=False)
RiskReader = Annotated[User, Depends(require_role("officer", "reviewer"))]
SIDES = ("mine", "other")


@router.get("", response_class=HTMLResponse)
def overview(request: Request, user: RiskReader, db: DB) -> Response:
    return render(request, "risk_list.html", {"rows": institutions_at_risk(db)}, user=user)


def _risk(db: DB, institution_id: int):  # type: ignore[no-untyped-def]
    risk = institution_risk(db, institution_id)
    if risk is None:
        raise HTTPException(404, "没有这个机构")
    return risk


@router.get("/{institution_id}", response_class=HTMLResponse)
def institution(request: Request, institution_id: int, user: RiskReader, db: DB, code: str = "") -> Response:
    risk = _risk(db, institution_id)
    if code and code not in risk.totals:
        raise HTTPException(404, "该机构没有这种风险信号")
    findings = findings_of_institution(db, institution_id, code or None, limit=200) if code else []
    peak = max((n for row in risk.trend.values() for n in row), default=0)
    return render(request, "risk.html", {"risk": risk, "code": code, "code_label": flag_label(code) if code else "",
                                         "findings": findings, "peak": peak or 1}, user=user)


@router.get("/{institution_id}/export.xlsx")
def export(institution_id: int, user: RiskReader, db: DB) -> Response:
    risk = _risk(db, institution_id)
    data = risk_workbook(risk, findings_of_institution(db, institution_id, limit=10_000))
    name = quote(f"机构风险_{risk.institution.name}.xlsx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.get("/findings/{finding_id}/{side}.png")
def crop(finding_id: int, side: str, user: RiskReader, db: DB, store: StoreDep) -> Response:
    """The place a finding points at: on its own claim's page, or on the other claim's."""
    finding = db.get(Finding, finding_id)
    if finding is None or side not in SIDES:
        raise HTTPException(404, "没有这条记录")
    evidence = finding.evidence or {}
    where = evidence if side == "mine" else evidence.get("other") or {}
    claim_id = finding.claim_id if side == "mine" else where.get("claim_id")
    claim = db.get(Claim, claim_id) if claim_id else None
    page_no, box = where.get("page"), where.get("box")
    if claim is None or claim.bundle_id is None or not page_no:
        raise HTTPException(404, "没有可显示的页面")
    page = db.scalar(select(Page).where(Page.bundle_id == claim.bundle_id, Page.number == int(page_no)))
    if page is None:
        raise HTTPException(404, "没有可显示的页面")
    try:
        image = upright_page(db, store.data_dir, page)
    except PageNotAvailable as problem:
        raise HTTPException(404, str(problem)) from None
    if not (isinstance(box, list) and len(box) == 4):
        box = [0, 0, image.shape[1], image.shape[0]]
    return Response(crop_png(image, [int(v) for v in box]), media_type="image/png",
                    headers={"Cache-Control": "no-store"})
