"""Who is listed: the one rule every document and page asks.

The notice lists "符合申领补贴条件的人员" (二（六）): a claim is listed — in Attachments 1–3, the publicity
list and the quarterly report's claimed figures — when it is eligible after review, that is every rule
passed or a reviewer accepted it (both set `Claim.eligible` to True). A refused claim and one still
waiting for review are left out, each with the reasons the officer reads beside the generate button.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.labels import RULES, with_labels
from intake.policy.rules import FAIL, NEEDS_REVIEW
from intake.store.models import Claim, Decision

REFUSED, PENDING = "refused", "pending"
STATES = {REFUSED: "不符合申领补贴条件", PENDING: "尚待审核"}


def is_listed(claim: Claim) -> bool:
    return claim.eligible is True


@dataclass(frozen=True)
class LeftOut:
    """Why a claim is not in the documents."""

    claim_id: int
    state: str                  # refused | pending
    reasons: tuple[str, ...]

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def text(self) -> str:
        return f"{self.state_label}：{'；'.join(self.reasons)}" if self.reasons else self.state_label


def latest_decisions(session: Session, claim_ids: Iterable[int]) -> dict[int, dict[str, Decision]]:
    """The newest verdict of each rule, per claim, in one query."""
    ids = list(claim_ids)
    latest: dict[int, dict[str, Decision]] = {i: {} for i in ids}
    if not ids:
        return latest
    for d in session.scalars(select(Decision).where(Decision.claim_id.in_(ids)).order_by(Decision.id)):
        latest[d.claim_id][d.rule] = d
    return latest


def why_left_out(claim: Claim, decisions: dict[str, Decision]) -> LeftOut | None:
    """None for a listed claim; else the verdicts that keep it out (a reviewer's rejection first)."""
    if is_listed(claim):
        return None
    state = REFUSED if claim.eligible is False else PENDING
    wanted = FAIL if state == REFUSED else NEEDS_REVIEW
    review = decisions.get("review")
    reasons = []
    if review is not None and review.outcome == FAIL and state == REFUSED:
        reasons.append(f"审核驳回：{with_labels(review.reason)}" if review.reason else "审核驳回")
    for rule, d in decisions.items():
        if rule != "review" and d.outcome == wanted:
            reasons.append(with_labels(d.reason) or RULES.get(rule, rule))
    return LeftOut(claim.id, state, tuple(reasons))


def left_out(session: Session, claims: Iterable[Claim]) -> dict[int, LeftOut]:
    """Every claim that is not listed, by claim id, with its reasons."""
    out = [c for c in claims if not is_listed(c)]
    decisions = latest_decisions(session, [c.id for c in out])
    return {c.id: found for c in out if (found := why_left_out(c, decisions[c.id])) is not None}
