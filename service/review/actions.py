"""What a reviewer's save does: settle a field (confirm or correct), give a seal verdict, decide a claim,
postpone it, or accept every clean claim of a batch at once.

Every save on a claim first bumps the claim's `revision` with one UPDATE. That statement takes the write
lock (SQLite) or the row lock (PostgreSQL) before anything is read, so two reviewers saving the same claim
line up and the second computes its flags from the first one's result: nothing is lost. A field save
carries the field's version as the form saw it, a decision carries the claim's revision: when someone
else saved in between, the save is refused as stale (Stale) and the form shows what is there now.

Every change is a Correction row (who, when, old, new, why; sealed for ID, phone and certificate
numbers), every confirmation too (old = new), and every decision a Decision row of the rule "review",
so the history holds up later. After each change the checks run again (intake flags re-derived, then the
policy's rules via decide_claim) and the claim's flags and eligibility are what they are now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake.policy.eligibility import decide_claim
from intake.policy.policy import Policy
from intake.policy.rules import RULE_FLAGS
from intake.store.db import cipher_of
from intake.store.models import Batch, Claim, Correction, Decision, utcnow
from service.batch_states import locked_problem
from service.models import ReviewClaim, ReviewField, ReviewSeal, User
from service.review.doubts import ERROR, ClaimReview, review_claim, severity_of
from service.review.values import (
    FIELD_NAMES,
    SEALED_FIELDS,
    TEXT_FIELDS,
    VERDICT_FIELDS,
    VERDICT_NAMES,
    Refused,
    clean,
    write_value,
)
from service.settings import Settings

REVIEW_RULE = "review"


class Stale(Exception):
    """The form was opened before someone else's save; the message names who and when."""


class NotAllowed(Exception):
    """A decision the claim's state does not allow (open doubts, rule errors, a self-confirmed rejection)."""


@dataclass(frozen=True)
class Context:
    """Who saves, under which policy."""

    user: User
    settings: Settings
    policy: Policy


def context(user: User, settings: Settings) -> Context:
    return Context(user, settings, settings.policy)


def load_review(session: Session, claim_id: int, ctx: Context) -> ClaimReview:
    claim = session.get(Claim, claim_id)
    state = session.get(ReviewClaim, claim_id)
    if claim is None or state is None:
        raise LookupError(claim_id)
    return review_claim(session, claim, state, ctx.policy)


def _lock(session: Session, claim_id: int, revision: int | None = None) -> None:
    """Bump the claim's revision (taking the lock); with `revision`, only if the form saw that revision."""
    query = update(ReviewClaim).where(ReviewClaim.claim_id == claim_id)
    if revision is not None:
        query = query.where(ReviewClaim.revision == revision)
    result = session.execute(query.values(revision=ReviewClaim.revision + 1).execution_options(
        synchronize_session=False))
    if result.rowcount == 0:
        if revision is None or session.get(ReviewClaim, claim_id) is None:
            raise LookupError(claim_id)
        session.rollback()
        raise Stale("这条申请在您打开表单后已被其他审核员修改，表单已刷新为最新内容，请重新核对后再决定。")
    session.expire_all()


def _seal(session: Session, field: str, value: str) -> str | None:
    return cipher_of(session).seal_text(value, f"correction.{field}") if field in SEALED_FIELDS else value


def _correction(session: Session, claim: Claim, field: str, old: str, new: str, who: str, why: str) -> None:
    session.add(Correction(claim_id=claim.id, trainee_id=claim.trainee_id, field=field,
                           old_value=_seal(session, field, old), new_value=_seal(session, field, new),
                           sealed=field in SEALED_FIELDS, who=who, why=why))


def _settle(session: Session, claim_id: int, field: str, version: int, ctx: Context, status: str,
            verdict: str = "") -> None:
    row = session.get(ReviewField, (claim_id, field))
    seen = row.version if row is not None else 0
    if seen != version:
        session.rollback()
        who = f"{row.by} 于 {row.at:%Y-%m-%d %H:%M:%S}" if row is not None else "其他审核员"
        raise Stale(f"“{FIELD_NAMES.get(field, field)}”已由 {who} 修改过，您看到的是旧值。表单已刷新为最新值，"
                    "请重新核对。")
    if row is None:
        session.add(ReviewField(claim_id=claim_id, field=field, version=1, status=status, verdict=verdict,
                                by=ctx.user.name, at=utcnow()))
    else:
        row.version, row.status, row.verdict, row.by, row.at = row.version + 1, status, verdict, ctx.user.name, utcnow()
    session.flush()


def _refuse_if_locked(session: Session, claim: Claim) -> None:
    """NotAllowed, with the way out, when the claim's batch is locked (the caller's transaction is undone)."""
    problem = locked_problem(session.get(Batch, claim.batch_id))
    if problem:
        session.rollback()
        raise NotAllowed(problem)


def rerun(session: Session, claim: Claim, ctx: Context, cause: str, changed: bool = True) -> ClaimReview:
    """Re-derive the intake flags, re-run the policy's rules, and reopen a decided claim the change touched.
    A confirmation (`changed` False) leaves a decision standing, and with it the eligibility it set."""
    state = session.get(ReviewClaim, claim.id)
    review = review_claim(session, claim, state, ctx.policy)
    claim.flags = review.flags + [f for f in claim.flags or [] if f in RULE_FLAGS.values()]
    decide_claim(session, claim, ctx.policy, decided_by=ctx.user.name)
    state.postponed_by, state.postponed_at = "", None
    if not changed and state.status in ("accepted", "rejected"):
        claim.eligible = state.status == "accepted"
    elif state.status != "open":
        session.add(Decision(claim_id=claim.id, rule=REVIEW_RULE, outcome="needs_review", decided_by=ctx.user.name,
                             reason=f"审核结论因{cause}而撤回，需重新决定", evidence={"was": state.status}))
        state.status, state.reason, state.decided_by, state.decided_at, state.proposed_by = "open", "", "", None, ""
    session.flush()
    return review_claim(session, claim, state, ctx.policy)


def save_field(session: Session, claim_id: int, field: str, typed: str, version: int, ctx: Context,
               why: str = "") -> str:
    """Confirm (same value) or correct one field; returns "confirmed" or "corrected" (committed), or
    "unchanged" for a confirmation in a locked batch (nothing written)."""
    if field in TEXT_FIELDS:
        value = clean(field, typed)            # refused on the spot, before any lock is taken
    elif field in VERDICT_FIELDS:
        if typed not in ("yes", "no"):
            raise Refused("请选择“是”或“否”")
        value = typed
    elif field == "record":
        value = ""
    else:
        raise Refused(f"未知字段 {field}")
    value_text = value
    _lock(session, claim_id)
    review = load_review(session, claim_id, ctx)
    claim = review.claim
    if field in TEXT_FIELDS:
        old = review.values[field]
        status = "confirmed" if old == value else "corrected"
    elif field in VERDICT_FIELDS:
        now = review.signed if field == "signature" else review.certificate_copy
        old = VERDICT_NAMES[field]["yes" if now else "no"] if now is not None else "未知"
        status = "confirmed" if (now is True) == (value == "yes") and now is not None else "corrected"
        value_text = VERDICT_NAMES[field][value]
    else:
        old, status = "", "confirmed"
    if status == "confirmed" and locked_problem(session.get(Batch, claim.batch_id)):
        session.rollback()  # the batch is locked and nothing would change: nothing is written
        return "unchanged"
    if status == "corrected":
        _refuse_if_locked(session, claim)
    _settle(session, claim_id, field, version, ctx, status, value if field in VERDICT_FIELDS else "")
    if field in TEXT_FIELDS and status == "corrected":
        write_value(session, claim, field, value)
        session.refresh(claim)
    default_why = "对照扫描件核对无误" if status == "confirmed" else "对照扫描件更正"
    _correction(session, claim, field, old, value_text, ctx.user.name, why.strip() or default_why)
    rerun(session, claim, ctx, f"更正{FIELD_NAMES.get(field, field)}" if status == "corrected" else "核对",
          changed=status == "corrected")
    session.commit()
    return status


def save_seal(session: Session, claim_id: int, document: int, present: bool, version: int, ctx: Context,
              why: str = "") -> None:
    """A reviewer's verdict on a roster's or agreement's seal; every claim of the bundle is re-checked."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.bundle_id is None:
        raise LookupError(claim_id)
    bundle_id = claim.bundle_id
    claim_ids = list(session.scalars(select(Claim.id).where(Claim.bundle_id == bundle_id).order_by(Claim.id)))
    for cid in claim_ids:
        _lock(session, cid)
    review = load_review(session, claim_id, ctx)
    doc = next((s for s in review.seals if s.index == document), None)
    if doc is None:
        session.rollback()
        raise Refused("没有这份需要盖章的材料")
    row = session.get(ReviewSeal, (bundle_id, document))
    if (row.version if row else 0) != version:
        session.rollback()
        raise Stale(f"公章结论已由 {row.by} 于 {row.at:%Y-%m-%d %H:%M:%S} 给出，表单已刷新，请重新核对。")
    old = doc.present
    if old == present and locked_problem(session.get(Batch, claim.batch_id)):
        session.rollback()
        return
    if old != present:
        _refuse_if_locked(session, claim)
    if row is None:
        session.add(ReviewSeal(bundle_id=bundle_id, document=document, version=1, present=present,
                               by=ctx.user.name, at=utcnow()))
    else:
        row.version, row.present, row.by, row.at = row.version + 1, present, ctx.user.name, utcnow()
    session.flush()
    names = {True: "有公章", False: "无公章", None: "未知"}
    kind = {"roster": "花名册", "agreement": "协议书"}.get(doc.kind, doc.kind)
    reason = why.strip() or ("对照扫描件核对无误" if old == present else "对照扫描件更正")
    for cid in claim_ids:
        other = session.get(Claim, cid)
        _correction(session, other, f"seal.{doc.kind}", f"{kind}{names[old]}", f"{kind}{names[present]}",
                    ctx.user.name, reason)
        rerun(session, other, ctx, f"{kind}公章结论", changed=old != present)
    session.commit()


def can_accept(review: ClaimReview, policy: Policy) -> str:
    """Why the claim cannot be accepted yet ("" when it can)."""
    if review.open_doubts:
        return f"还有 {len(review.open_doubts)} 项待核对"
    errors = [f for f in review.claim.flags or [] if severity_of(f, policy) == ERROR]
    if errors or review.claim.eligible is False:
        return "存在不符合补贴条件的错误，只能驳回（或先更正）"
    return ""


def decide(session: Session, claim_id: int, outcome: str, reason: str, revision: int, ctx: Context) -> str:
    """Accept or reject a claim; returns the new review status. Commits."""
    if outcome not in ("accept", "reject"):
        raise Refused("结论只能是接受或驳回")
    if outcome == "reject" and not reason.strip():
        raise Refused("驳回必须填写理由")
    _lock(session, claim_id, revision)
    review = load_review(session, claim_id, ctx)
    state, claim = review.state, review.claim
    _refuse_if_locked(session, claim)
    if state.status != "open":
        session.rollback()
        raise NotAllowed("这条申请已有结论")
    if outcome == "accept":
        why_not = can_accept(review, ctx.policy)
        if why_not:
            session.rollback()
            raise NotAllowed(why_not)
        _accept(session, claim, state, reason.strip() or "逐项核对无误，审核通过", ctx)
    elif ctx.settings.review_second_reviewer:
        state.status, state.proposed_by, state.reason = "awaiting_second", ctx.user.name, reason.strip()
        session.add(Decision(claim_id=claim.id, rule=REVIEW_RULE, outcome="needs_review", decided_by=ctx.user.name,
                             reason=f"提议驳回：{reason.strip()}（待第二名审核员复核）",
                             evidence={"flags": list(claim.flags or []), "proposed_by": ctx.user.name}))
    else:
        _reject(session, claim, state, reason.strip(), ctx, [ctx.user.name])
    session.commit()
    return state.status


def _accept(session: Session, claim: Claim, state: ReviewClaim, reason: str, ctx: Context) -> None:
    session.add(Decision(claim_id=claim.id, rule=REVIEW_RULE, outcome="pass", reason=reason,
                         decided_by=ctx.user.name, evidence={"flags": list(claim.flags or [])}))
    claim.eligible = True
    state.status, state.reason, state.decided_by, state.decided_at = "accepted", reason, ctx.user.name, utcnow()


def _reject(session: Session, claim: Claim, state: ReviewClaim, reason: str, ctx: Context, by: list[str]) -> None:
    session.add(Decision(claim_id=claim.id, rule=REVIEW_RULE, outcome="fail", reason=reason,
                         decided_by=ctx.user.name, evidence={"flags": list(claim.flags or []), "reviewers": by}))
    claim.eligible = False
    state.status, state.reason, state.decided_by, state.decided_at = "rejected", reason, ctx.user.name, utcnow()


def second_opinion(session: Session, claim_id: int, agree: bool, why: str, revision: int, ctx: Context) -> str:
    """The second reviewer agrees with a proposed rejection (it takes effect) or sends it back. Commits."""
    before = session.get(ReviewClaim, claim_id)
    if before is not None and before.proposed_by == ctx.user.name:
        raise NotAllowed("驳回须由另一名审核员复核，不能由提议人自己确认")
    _lock(session, claim_id, revision)
    review = load_review(session, claim_id, ctx)
    state, claim = review.state, review.claim
    _refuse_if_locked(session, claim)
    if state.status != "awaiting_second":
        session.rollback()
        raise NotAllowed("这条申请没有待复核的驳回")
    if state.proposed_by == ctx.user.name:
        session.rollback()
        raise NotAllowed("驳回须由另一名审核员复核，不能由提议人自己确认")
    if agree:
        first = state.proposed_by
        _reject(session, claim, state, f"{state.reason}（{first} 提议，{ctx.user.name} 复核同意）", ctx,
                [first, ctx.user.name])
    else:
        session.add(Decision(claim_id=claim.id, rule=REVIEW_RULE, outcome="needs_review", decided_by=ctx.user.name,
                             reason=f"复核未同意驳回：{why.strip() or '理由不足'}",
                             evidence={"proposed_by": state.proposed_by}))
        state.status, state.proposed_by, state.reason = "open", "", ""
    session.commit()
    return state.status


def postpone(session: Session, claim_id: int, ctx: Context) -> None:
    """Put the claim at the end of the queue (for everyone: someone is waiting on it)."""
    _lock(session, claim_id)
    _refuse_if_locked(session, session.get(Claim, claim_id))
    state = session.get(ReviewClaim, claim_id)
    state.postponed_by, state.postponed_at = ctx.user.name, utcnow()
    session.commit()


def accept_clean(session: Session, seen: Iterable[tuple[int, int]], ctx: Context) -> tuple[int, int]:
    """Accept every claim the batch page listed as clean (no doubts, every rule passed), each at the revision
    the page saw; returns (accepted, skipped because changed meanwhile). One transaction per claim, so a
    claim someone else touched meanwhile is skipped without undoing the others."""
    accepted = skipped = 0
    for claim_id, revision in seen:
        try:
            _lock(session, claim_id, revision)
        except (Stale, LookupError):
            session.rollback()
            skipped += 1
            continue
        review = load_review(session, claim_id, ctx)
        if review.state.status != "open" or can_accept(review, ctx.policy) or review.claim.flags \
                or review.claim.eligible is not True or locked_problem(review.claim.batch):
            session.rollback()
            skipped += 1
            continue
        _accept(session, review.claim, review.state, "规则全部通过、无待核对项，批量审核通过", ctx)
        session.commit()
        accepted += 1
    return accepted, skipped
