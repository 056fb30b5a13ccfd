"""The subsidy rules, one function each: a claim and the trainee's earlier claims in, a verdict out.

Every verdict names its rule, says why in Chinese (the reviewer's language) and carries the evidence it
rests on: which certificate, which earlier claims (batch and date, or ledger file and row), which pages.
The rules read only the policy and the context handed to them; finding the earlier claims is
eligibility.py's job, so the rules can be tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intake.fields.professions import SPECIAL_OPERATION, canonical_profession, match_profession, read_profession
from intake.fields.text import compact
from intake.labels import flag_labels
from intake.policy.policy import Policy

PASS, FAIL, NEEDS_REVIEW = "pass", "fail", "needs_review"
_SEVERITY = {PASS: 0, NEEDS_REVIEW: 1, FAIL: 2}


@dataclass(frozen=True)
class RuleResult:
    rule: str
    outcome: str  # pass | fail | needs_review
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EarlierClaim:
    """A claim of the same trainee that counts before the one being decided."""

    label: str                  # "批次 2020Q2-甲机构（2020-05-06）" or "台账 ledger.xlsx 第12行（2020-03-01）"
    claim_date: dt.date
    profession: str             # catalogue item where matched
    level: str | None = None
    certificate_date: dt.date | None = None
    ref: dict[str, Any] = field(default_factory=dict)  # {"claim_id": .., "batch": ..} or {"file": .., "row": ..}


@dataclass(frozen=True)
class ClaimContext:
    profession: str             # as printed or already matched
    claim_date: dt.date
    level: str | None = None
    certificate_no: str = ""
    certificate_date: dt.date | None = None
    training_end: dt.date | None = None
    flags: tuple[str, ...] = ()
    earlier: tuple[EarlierClaim, ...] = ()
    pages: tuple[dict[str, Any], ...] = ()  # where the claim was read: [{"document", "page", "row"}]


def same_item_key(profession: str, level: str | None, policy: Policy) -> tuple[str, str]:
    """What makes two claims "the same profession at the same level" under the policy's reading."""
    item = canonical_profession(profession)
    found = match_profession(profession)
    ignore_level = not policy.same_item.compare_level or (
        policy.same_item.special_operation_ignores_level and found is not None and found.kind == SPECIAL_OPERATION)
    return item, "" if ignore_level else compact(level or "")


def claim_year(claim_date: dt.date, certificate_date: dt.date | None, training_end: dt.date | None,
               policy: Policy) -> int:
    """The year a claim counts in: by claim date, or by certificate date (training end when unknown)."""
    if policy.year_basis == "certificate_date":
        return (certificate_date or training_end or claim_date).year
    return claim_date.year


def _year_of(ctx: ClaimContext, policy: Policy) -> int:
    return claim_year(ctx.claim_date, ctx.certificate_date, ctx.training_end, policy)


def _earlier_in_year(ctx: ClaimContext, policy: Policy) -> list[EarlierClaim]:
    year = _year_of(ctx, policy)
    return [e for e in ctx.earlier if claim_year(e.claim_date, e.certificate_date, None, policy) == year]


def _refs(claims: list[EarlierClaim]) -> list[dict[str, Any]]:
    return [{"label": e.label, "claim_date": e.claim_date.isoformat(), "profession": e.profession,
             "level": e.level, **e.ref} for e in claims]


def certificate_date(ctx: ClaimContext, policy: Policy) -> RuleResult:
    """Certificates obtained from the policy's start day on; the day before fails."""
    start = policy.certificates_from
    evidence: dict[str, Any] = {"certificates_from": start.isoformat(), "certificate_no": ctx.certificate_no}
    if ctx.certificate_date is not None:
        evidence["certificate_date"] = ctx.certificate_date.isoformat()
        if ctx.certificate_date < start:
            return RuleResult("certificate_date", FAIL,
                              f"证书取得日期{ctx.certificate_date.isoformat()}早于{start.isoformat()}", evidence)
        return RuleResult("certificate_date", PASS, f"证书取得日期{ctx.certificate_date.isoformat()}不早于"
                          f"{start.isoformat()}", evidence)
    if ctx.training_end is not None:
        # A certificate is issued after its training ends: a training that ended in time settles it.
        evidence["training_end"] = ctx.training_end.isoformat()
        if ctx.training_end >= start:
            return RuleResult("certificate_date", PASS, f"培训结束于{ctx.training_end.isoformat()}，证书不会早于"
                              f"{start.isoformat()}", evidence)
        return RuleResult("certificate_date", NEEDS_REVIEW, f"培训结束于{ctx.training_end.isoformat()}，"
                          f"需核对证书取得日期是否不早于{start.isoformat()}", evidence)
    return RuleResult("certificate_date", NEEDS_REVIEW, "证书取得日期和培训日期均未知，需人工核对", evidence)


def catalogue(ctx: ClaimContext, policy: Policy) -> RuleResult:
    """Only the professions of the policy's certificate catalogues qualify. A profession written as its
    category (安全附件维修) names several items: a reviewer picks one, the claim is not failed for it."""
    written = read_profession(ctx.profession)
    found = written.profession
    evidence: dict[str, Any] = {"printed": ctx.profession, "catalogue": policy.catalogue}
    if found is None and written.candidates:
        items = [p.item for p in written.candidates if p.item in policy.catalogue_items]
        if items:
            evidence.update(category=written.category, candidates=items)
            return RuleResult("catalogue", NEEDS_REVIEW, f"专业（工种）“{ctx.profession}”只写了作业类别，"
                              f"需核对具体工种：{'、'.join(items[:6])}", evidence)
    if found is None or found.item not in policy.catalogue_items:
        return RuleResult("catalogue", FAIL, f"专业（工种）“{ctx.profession}”不在特种作业或特种设备目录内", evidence)
    evidence.update(item=found.item, category=found.category, kind=found.kind, code=found.code)
    return RuleResult("catalogue", PASS, f"“{found.item}”属于{found.category}", evidence)


def annual_limit(ctx: ClaimContext, policy: Policy) -> RuleResult:
    """At most N subsidies per person per year, earlier batches and the prior ledger included."""
    year = _year_of(ctx, policy)
    before = _earlier_in_year(ctx, policy)
    limit = policy.max_claims_per_year
    evidence = {"year": year, "limit": limit, "basis": policy.year_basis, "earlier": _refs(before)}
    if len(before) >= limit:
        names = "；".join(e.label for e in before)
        return RuleResult("annual_limit", FAIL, f"{year}年已享受补贴{len(before)}次（{names}），"
                          f"每人每年最多{limit}次", evidence)
    return RuleResult("annual_limit", PASS, f"{year}年第{len(before) + 1}次申领，未超过每年{limit}次", evidence)


def repeat_profession(ctx: ClaimContext, policy: Policy) -> RuleResult:
    """The same profession (and level, where levels exist) not twice in one year."""
    key = same_item_key(ctx.profession, ctx.level, policy)
    year = _year_of(ctx, policy)
    same = [e for e in _earlier_in_year(ctx, policy) if same_item_key(e.profession, e.level, policy) == key]
    evidence = {"year": year, "item": key[0], "level": key[1] or None, "earlier": _refs(same)}
    what = key[0] + (f"（{key[1]}）" if key[1] else "")
    if same:
        names = "；".join(e.label for e in same)
        return RuleResult("repeat_profession", FAIL, f"{year}年已申领过同一工种{what}：{names}", evidence)
    return RuleResult("repeat_profession", PASS, f"{year}年未申领过同一工种{what}", evidence)


# Flags that rules set themselves; intake_flags leaves them to those rules.
RULE_FLAGS = {"certificate_date": "certificate_before_policy_start", "catalogue": "profession_not_in_catalog",
              "annual_limit": "annual_limit_exceeded", "repeat_profession": "repeat_profession_within_year"}


def intake_flags(ctx: ClaimContext, policy: Policy) -> RuleResult:
    """What intake found on paper (missing signature, seal, certificate copy, ...) as the policy weighs it."""
    flags = [f for f in ctx.flags if f not in RULE_FLAGS.values()]
    weighed = {f: policy.flag_outcome(f) for f in flags}
    evidence = {"flags": weighed, "pages": list(ctx.pages)}
    if not flags:
        return RuleResult("intake_flags", PASS, "材料齐全，无问题标记", evidence)
    outcome = max(weighed.values(), key=_SEVERITY.__getitem__)
    listed = flag_labels(flags)
    verdict = "不予补贴" if outcome == FAIL else "需人工复核"
    return RuleResult("intake_flags", outcome, f"材料问题：{listed}，{verdict}", evidence)

Rule = Callable[[ClaimContext, Policy], RuleResult]
RULES: tuple[Rule, ...] = (certificate_date, catalogue, annual_limit, repeat_profession, intake_flags)


def worst(results: list[RuleResult]) -> str:
    return max((r.outcome for r in results), key=_SEVERITY.__getitem__, default=PASS)
