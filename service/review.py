"""The reviewers' entry page. The review queue and correction form are issue 7; this page is where
they will live (router prefix /review, role `reviewer`), and meanwhile lists the batches with claims
that still need a look, linking to each trainee's record.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from intake.store.models import Batch, Claim
from service.deps import DB, Reviewer
from service.web import render

router = APIRouter(prefix="/review", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def queue(request: Request, user: Reviewer, db: DB) -> Response:
    waiting = db.execute(select(Batch, func.count(Claim.id)).join(Claim, Claim.batch_id == Batch.id)
                         .where(Claim.eligible.is_not(True)).group_by(Batch.id).order_by(Batch.id)).all()
    return render(request, "review.html", {"waiting": waiting}, user=user)
