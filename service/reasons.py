"""Why each claim stands where it stands, as the batch page and the read-only claim page say it: every rule
that did not pass, in words with the page and row it rests on, and the reviewer's conclusion with its reason
— never a bare 符合 / 不符合."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.labels import OUTCOMES, PAGE_KINDS, REVIEW_STATUSES, paper_row, rule_label, who_label, with_labels
from intake.policy.listing import latest_decisions
from service.clock import beijing_text
from service.models import ReviewClaim

DOCUMENT_WORDS = {**PAGE_KINDS, "records": "学员信息表（Excel）"}


@dataclass(frozen=True)
class Reason:
    rule: str           # the rule in words
    outcome: str        # pass | fail | needs_review
    text: str

    @property
    def outcome_name(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class ClaimReasons:
    unmet: tuple[Reason, ...]   # the rules that did not pass
    rules: tuple[Reason, ...]   # every rule's newest verdict
    review_status: str          # open | accepted | rejected | awaiting_second
    review: str                 # the reviewer's conclusion in words

    @property
    def review_status_name(self) -> str:
        return REVIEW_STATUSES.get(self.review_status, self.review_status)


def where(evidence: dict) -> str:
    """The pages a verdict rests on ("花名册第1页第3行"), from its evidence."""
    spots = []
    for ref in evidence.get("pages") or ():
        if not isinstance(ref, dict) or not ref.get("page"):
            continue
        row = paper_row(ref.get("document", ""), ref.get("row"))
        row = f"第{row}行" if row is not None else ""
        spots.append(f"{DOCUMENT_WORDS.get(ref.get('document', ''), '材料')}第{ref['page']}页{row}")
    return "、".join(dict.fromkeys(spots))


def _review_text(state: ReviewClaim | None) -> str:
    if state is None or state.status == "open":
        return "尚无审核结论"
    if state.status == "awaiting_second":
        return f"{state.proposed_by} 提议驳回，待第二名审核员复核：{state.reason}"
    verb = "接受" if state.status == "accepted" else "驳回"
    when = beijing_text(state.decided_at)
    return f"审核员 {who_label(state.decided_by)} {verb}（{when}）：{with_labels(state.reason)}"


def claim_reasons(session: Session, claim_ids: Iterable[int]) -> dict[int, ClaimReasons]:
    ids = list(claim_ids)
    states = {s.claim_id: s for s in session.scalars(select(ReviewClaim).where(ReviewClaim.claim_id.in_(ids)))}
    out = {}
    for claim_id, decisions in latest_decisions(session, ids).items():
        rules = []
        for rule, d in decisions.items():
            if rule == "review":
                continue
            spot = where(d.evidence or {})
            rules.append(Reason(rule_label(rule), d.outcome, with_labels(d.reason) + (f"（见{spot}）" if spot else "")))
        state = states.get(claim_id)
        out[claim_id] = ClaimReasons(tuple(r for r in rules if r.outcome != "pass"), tuple(rules),
                                     state.status if state else "open", _review_text(state))
    return out
