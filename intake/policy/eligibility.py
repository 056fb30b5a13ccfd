"""Eligibility of a claim: every rule's verdict, and the claim's earlier claims found by index.

The trainee's history is looked up by `id_hash` (indexed in both the claims' trainees and the prior
ledger), never by scanning. What counts as "earlier": every row of the prior ledger (claims already paid),
and every stored claim ordered before this one by (claim date, id) that has not itself been refused, so a
refused fourth claim does not use up the quota and re-deciding the third after the fourth exists gives the
same verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from intake.fields.dates import parse_date_range
from intake.fields.professions import canonical_profession
from intake.policy.listing import latest_decisions
from intake.policy.policy import Policy
from intake.policy.rules import (
    FAIL,
    NEEDS_REVIEW,
    PASS,
    RULE_FLAGS,
    RULES,
    ClaimContext,
    EarlierClaim,
    RuleResult,
    worst,
)
from intake.result import BundleResult
from intake.store.models import Batch, Certificate, Claim, Decision, PriorClaim, Trainee


def decide(ctx: ClaimContext, policy: Policy) -> list[RuleResult]:
    """Every rule's verdict on one claim."""
    return [rule(ctx, policy) for rule in RULES]


def eligible(results: Iterable[RuleResult]) -> bool | None:
    """True when every rule passes, False when any fails, None while something needs review."""
    outcome = worst(list(results))
    return {PASS: True, FAIL: False, NEEDS_REVIEW: None}[outcome]


def rule_flags(results: Iterable[RuleResult]) -> list[str]:
    """The bundle-result/1 flags the failed rules stand for."""
    return [RULE_FLAGS[r.rule] for r in results if r.outcome == FAIL and r.rule in RULE_FLAGS]


def training_end(training_date: str) -> dt.date | None:
    """The last day of an ISO range "start/end" (or a single ISO day)."""
    if not training_date:
        return None
    text = training_date if "/" in training_date else parse_date_range(training_date) or training_date
    try:
        return dt.date.fromisoformat(text.split("/")[-1])
    except ValueError:
        return None


def latest_training_end(training_dates: Iterable[str]) -> dt.date | None:
    """The last day any of these trainings ended: the earliest an application for them can be dated."""
    ends = [end for span in training_dates if (end := training_end(span))]
    return max(ends) if ends else None


def ledger_history(session: Session, id_hash: str) -> list[EarlierClaim]:
    """The trainee's rows in the prior ledger (an index look-up on id_hash)."""
    rows = session.scalars(select(PriorClaim).where(PriorClaim.id_hash == id_hash)
                           .order_by(PriorClaim.claim_date, PriorClaim.id))
    return [EarlierClaim(label=f"台账 {r.source_file} 第{r.source_row}行（{r.claim_date.isoformat()}，{r.profession}）",
                         claim_date=r.claim_date, profession=r.profession, level=r.level,
                         ref={"prior_claim_id": r.id, "file": r.source_file, "row": r.source_row,
                              "certificate_no": r.certificate_no})
            for r in rows]


def stored_history(session: Session, id_hash: str, claim_date: dt.date, claim_id: int | None) -> list[EarlierClaim]:
    """The trainee's stored claims ordered before this one and not refused."""
    order = Claim.claim_date < claim_date
    if claim_id is not None:
        order = or_(order, and_(Claim.claim_date == claim_date, Claim.id < claim_id))
    else:
        order = Claim.claim_date <= claim_date
    query = (select(Claim, Batch.name, Certificate.issue_date)
             .join(Trainee, Claim.trainee_id == Trainee.id).join(Batch, Claim.batch_id == Batch.id)
             .outerjoin(Certificate, Claim.certificate_id == Certificate.id)
             .where(Trainee.id_hash == id_hash, order, or_(Claim.eligible.is_(None), Claim.eligible.is_(True)))
             .order_by(Claim.claim_date, Claim.id))
    return [EarlierClaim(label=f"批次 {batch}（{c.claim_date.isoformat()}，{c.profession}）", claim_date=c.claim_date,
                         profession=c.profession, level=c.level, certificate_date=issued,
                         ref={"claim_id": c.id, "batch": batch})
            for c, batch, issued in session.execute(query)]


def history(session: Session, id_hash: str, claim_date: dt.date, claim_id: int | None = None,
            exclude_same: tuple[str, str] | None = None) -> list[EarlierClaim]:
    """Ledger and stored claims before this one. `exclude_same` = (profession, certificate_no): a ledger row
    with the same profession, certificate and claim date is this very claim, exported back to the ledger."""
    ledger = ledger_history(session, id_hash)
    if exclude_same:
        ledger = [e for e in ledger if not (e.profession == exclude_same[0] and e.claim_date == claim_date
                                            and e.ref.get("certificate_no", "") == exclude_same[1])]
    return ledger + stored_history(session, id_hash, claim_date, claim_id)


def context_for(session: Session, claim: Claim) -> ClaimContext:
    cert = claim.certificate
    earlier = history(session, claim.trainee.id_hash, claim.claim_date, claim.id,
                      (claim.profession, cert.certificate_no if cert else ""))
    return ClaimContext(profession=claim.profession, claim_date=claim.claim_date, level=claim.level,
                        certificate_no=cert.certificate_no if cert else "",
                        certificate_date=cert.issue_date if cert else None,
                        training_end=training_end(claim.training_date), flags=tuple(claim.flags or ()),
                        earlier=tuple(earlier), pages=tuple(claim.page_refs or ()))


def decide_claim(session: Session, claim: Claim, policy: Policy,
                 decided_by: str = "system") -> list[RuleResult]:
    """Decide a stored claim: store each rule's verdict (only when it changed), set eligible and flags."""
    results = decide(context_for(session, claim), policy)
    latest = _latest_decisions(session, claim.id)
    for r in results:
        before = latest.get(r.rule)
        if before is None or (before.outcome, before.reason) != (r.outcome, r.reason):
            session.add(Decision(claim_id=claim.id, rule=r.rule, outcome=r.outcome, reason=r.reason,
                                 evidence=r.evidence, decided_by=decided_by))
    claim.eligible = eligible(results)
    intake_only = [f for f in claim.flags or () if f not in RULE_FLAGS.values()]
    claim.flags = intake_only + [f for f in rule_flags(results) if f not in intake_only]
    session.flush()
    return results


def _latest_decisions(session: Session, claim_id: int) -> dict[str, Decision]:
    return latest_decisions(session, [claim_id])[claim_id]


def current_decisions(session: Session, claim_id: int) -> list[Decision]:
    """The newest verdict of each rule on a claim."""
    return list(_latest_decisions(session, claim_id).values())


def decide_unstored(profession: str, claim_date: dt.date, policy: Policy, flags: Iterable[str] = (),
                    training_date: str = "", earlier: Iterable[EarlierClaim] = ()) -> list[RuleResult]:
    """Decide a claim read from a bundle when no store is configured (earlier claims only as given)."""
    ctx = ClaimContext(profession=canonical_profession(profession) if profession else "", claim_date=claim_date,
                       training_end=training_end(training_date), flags=tuple(flags), earlier=tuple(earlier))
    return decide(ctx, policy)


def apply_rules_to_result(result: BundleResult, claim_date: dt.date, policy: Policy) -> None:
    """Set the bundle-result/1 `flags` and `eligible` of every trainee when no store is configured.

    Only the bundle itself is known then: a trainee listed twice counts the first listing as an earlier
    claim. With a store, intake.store.bundles.save_bundle_result decides against every batch and the ledger.
    """
    seen: dict[str, list[EarlierClaim]] = {}
    for index, trainee in enumerate(result.trainees):
        earlier = seen.setdefault(trainee.id_number or f"#{index}", [])
        results = decide_unstored(trainee.profession, claim_date, policy, trainee.flags, trainee.training_date,
                                  earlier)
        for flag in rule_flags(results):
            trainee.flag(flag)
        trainee.eligible = eligible(results)
        if trainee.eligible is not False:
            earlier.append(EarlierClaim(label=f"本材料第{index + 1}名学员", claim_date=claim_date,
                                        profession=canonical_profession(trainee.profession)))
