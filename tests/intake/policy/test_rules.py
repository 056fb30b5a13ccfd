"""Each rule at its boundary, on plain contexts (no database)."""

import dataclasses
import datetime as dt

from intake.policy.eligibility import decide, decide_unstored, eligible, rule_flags
from intake.policy.policy import load_policy
from intake.policy.rules import (
    ClaimContext,
    EarlierClaim,
    annual_limit,
    catalogue,
    certificate_date,
    intake_flags,
    repeat_profession,
)

POLICY = load_policy()
D = dt.date


def earlier(day, profession="低压电工作业", label=None, level=None):
    return EarlierClaim(label=label or f"批次 B-{day}", claim_date=day, profession=profession, level=level,
                        ref={"batch": label or f"B-{day}"})


def ctx(**kw):
    base = dict(profession="高压电工作业", claim_date=D(2020, 6, 1), certificate_date=D(2020, 5, 1))
    base.update(kw)
    return ClaimContext(**base)


def test_certificate_date_boundary():
    assert certificate_date(ctx(certificate_date=D(2019, 12, 31)), POLICY).outcome == "fail"
    assert certificate_date(ctx(certificate_date=D(2020, 1, 1)), POLICY).outcome == "pass"
    r = certificate_date(ctx(certificate_date=D(2019, 12, 31)), POLICY)
    assert "2019-12-31" in r.reason and r.evidence["certificates_from"] == "2020-01-01"


def test_certificate_date_unknown_falls_back_to_training_end():
    assert certificate_date(ctx(certificate_date=None, training_end=D(2020, 1, 1)), POLICY).outcome == "pass"
    assert certificate_date(ctx(certificate_date=None, training_end=D(2019, 12, 31)), POLICY).outcome == "needs_review"
    assert certificate_date(ctx(certificate_date=None), POLICY).outcome == "needs_review"


def test_catalogue():
    assert catalogue(ctx(profession="N1叉车司机"), POLICY).outcome == "pass"
    r = catalogue(ctx(profession="厨师"), POLICY)
    assert r.outcome == "fail" and "厨师" in r.reason


def test_third_claim_in_a_year_passes_fourth_fails():
    two = (earlier(D(2020, 2, 1), "登高架设作业"), earlier(D(2020, 3, 1), "叉车司机"))
    assert annual_limit(ctx(earlier=two), POLICY).outcome == "pass"
    three = (*two, earlier(D(2020, 4, 1), "焊接", label="批次 2020Q2-甲（2020-04-01）"))
    r = annual_limit(ctx(earlier=three), POLICY)
    assert r.outcome == "fail"
    assert "批次 2020Q2-甲（2020-04-01）" in r.reason and "最多3次" in r.reason
    assert [e["claim_date"] for e in r.evidence["earlier"]] == ["2020-02-01", "2020-03-01", "2020-04-01"]


def test_year_boundary_by_claim_date():
    """Claims on 12-31 and on 01-01 of the next year are in different years."""
    spread = ((3, "登高架设作业"), (6, "叉车司机"), (12, "钎焊作业"))
    three_in_2020 = tuple(earlier(D(2020, m, 1), p) for m, p in spread)
    on_new_year = ctx(claim_date=D(2021, 1, 1), certificate_date=D(2020, 12, 1), earlier=three_in_2020)
    assert annual_limit(on_new_year, POLICY).outcome == "pass"
    on_eve = ctx(claim_date=D(2020, 12, 31), earlier=three_in_2020)
    assert annual_limit(on_eve, POLICY).outcome == "fail"


def test_year_by_certificate_date_is_a_setting():
    policy = dataclasses.replace(POLICY, year_basis="certificate_date")
    prior = tuple(EarlierClaim(f"c{i}", D(2021, 1, 5), p, certificate_date=D(2020, 12, 1))
                  for i, p in enumerate(("登高架设作业", "叉车司机", "钎焊作业")))
    claim = ctx(claim_date=D(2021, 1, 6), certificate_date=D(2021, 1, 2), earlier=prior)
    assert annual_limit(claim, policy).outcome == "pass"       # certificate in 2021, the others in 2020
    assert annual_limit(claim, POLICY).outcome == "fail"       # all four claimed in 2021


def test_same_profession_twice_in_a_year_fails_naming_the_earlier_claim():
    first = earlier(D(2020, 3, 1), "高压电工作业", label="批次 2020Q1-乙（2020-03-01）")
    r = repeat_profession(ctx(profession="高压电工", earlier=(first,)), POLICY)
    assert r.outcome == "fail" and "批次 2020Q1-乙（2020-03-01）" in r.reason
    assert r.evidence["earlier"][0]["batch"] == "批次 2020Q1-乙（2020-03-01）"
    other = earlier(D(2020, 3, 1), "低压电工作业")
    assert repeat_profession(ctx(earlier=(other,)), POLICY).outcome == "pass"
    last_year = earlier(D(2019, 12, 31), "高压电工作业")
    assert repeat_profession(ctx(earlier=(last_year,)), POLICY).outcome == "pass"


def test_levels_special_operations_have_none():
    # A ledger printing a level for a special operation is still the same 准操项目.
    first = earlier(D(2020, 3, 1), "高压电工作业", level="初级")
    assert repeat_profession(ctx(level=None, earlier=(first,)), POLICY).outcome == "fail"
    # Professions outside the catalogues keep their levels: another level is another claim.
    skilled = earlier(D(2020, 3, 1), "电工", level="初级")
    assert repeat_profession(ctx(profession="电工", level="中级", earlier=(skilled,)), POLICY).outcome == "pass"
    assert repeat_profession(ctx(profession="电工", level="初级", earlier=(skilled,)), POLICY).outcome == "fail"
    strict = dataclasses.replace(POLICY, same_item=dataclasses.replace(POLICY.same_item,
                                                                        special_operation_ignores_level=False))
    assert repeat_profession(ctx(level="中级", earlier=(first,)), strict).outcome == "pass"


def test_intake_flags_as_the_policy_weighs_them():
    assert intake_flags(ctx(), POLICY).outcome == "pass"
    r = intake_flags(ctx(flags=("missing_stamp",)), POLICY)
    assert r.outcome == "needs_review" and "缺单位盖章" in r.reason
    r = intake_flags(ctx(flags=("missing_stamp", "missing_signature")), POLICY)
    assert r.outcome == "fail" and "协议书未签字" in r.reason
    # A rule's own flag left over from an earlier run is the rule's business, not intake's.
    assert intake_flags(ctx(flags=("annual_limit_exceeded",)), POLICY).outcome == "pass"


def test_decide_all_rules_and_eligibility():
    results = decide(ctx(), POLICY)
    assert [r.rule for r in results] == ["certificate_date", "catalogue", "annual_limit", "repeat_profession",
                                         "intake_flags"]
    assert eligible(results) is True
    bad = decide(ctx(certificate_date=D(2019, 12, 31)), POLICY)
    assert eligible(bad) is False and rule_flags(bad) == ["certificate_before_policy_start"]
    review = decide(ctx(flags=("low_confidence",)), POLICY)
    assert eligible(review) is None


def test_decide_without_a_store():
    results = decide_unstored("低压电工", D(2020, 7, 1), POLICY, ["missing_signature"], "2020-05-06/2020-05-20")
    assert eligible(results) is False
    assert {r.rule: r.outcome for r in results}["certificate_date"] == "pass"
