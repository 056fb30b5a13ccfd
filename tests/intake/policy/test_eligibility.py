"""Eligibility across batches and the prior ledger, through the store."""

import datetime as dt

from sqlalchemy import text

from intake.ledger import row_fingerprint
from intake.policy.eligibility import current_decisions, decide_claim
from intake.store.models import Claim, PriorClaim
from intake.store.registry import get_batch, get_certificate, upsert_trainee
from tests.intake.idgen import make_id
from tests.policy import POLICY

D = dt.date


def add_claim(session, id_number, batch, profession, day, cert_day=None):
    trainee = upsert_trainee(session, id_number, "王五")
    cert = get_certificate(session, trainee, profession, f"NO-{profession}", issue_date=cert_day or day)
    claim = Claim(trainee_id=trainee.id, batch_id=get_batch(session, batch).id, profession=profession,
                  certificate_id=cert.id, amount=1000, claim_date=day, flags=[], page_refs=[])
    session.add(claim)
    session.flush()
    decide_claim(session, claim, POLICY)
    return claim


def add_prior(session, id_number, profession, day, row):
    cipher = session.info["cipher"]
    h = cipher.id_hash(id_number)
    session.add(PriorClaim(fingerprint=row_fingerprint(h, profession, day, ""), id_hash=h, profession=profession,
                           claim_date=day, source_file="台账2020.xlsx", source_row=row))
    session.flush()


def verdict(claim, rule):
    return next(d for d in current_decisions_of(claim) if d.rule == rule)


def current_decisions_of(claim):
    from sqlalchemy.orm import object_session

    return current_decisions(object_session(claim), claim.id)


def test_fourth_claim_in_a_year_fails_across_batches_and_the_ledger(session):
    who = make_id(11)
    add_prior(session, who, "登高架设作业", D(2020, 2, 1), row=7)
    add_claim(session, who, "2020Q2-甲", "叉车司机", D(2020, 5, 1))
    third = add_claim(session, who, "2020Q3-乙", "钎焊作业", D(2020, 8, 1))
    assert third.eligible is True
    fourth = add_claim(session, who, "2020Q4-丙", "低压电工作业", D(2020, 11, 1))
    assert fourth.eligible is False and "annual_limit_exceeded" in fourth.flags
    reason = verdict(fourth, "annual_limit").reason
    assert "台账 台账2020.xlsx 第7行" in reason and "批次 2020Q2-甲（2020-05-01" in reason
    assert "批次 2020Q3-乙" in reason
    # Re-deciding the third after the fourth exists gives the same verdict; the refused fourth uses no quota.
    decide_claim(session, third, POLICY)
    assert third.eligible is True
    next_year = add_claim(session, who, "2021Q1-丁", "低压电工作业", D(2021, 1, 1))
    assert next_year.eligible is True


def test_same_profession_in_another_batch_names_the_earlier_claim(session):
    who = make_id(12)
    add_claim(session, who, "2020Q2-甲", "低压电工作业", D(2020, 5, 1))
    again = add_claim(session, who, "2020Q3-乙", "低压电工作业", D(2020, 12, 31))
    r = verdict(again, "repeat_profession")
    assert r.outcome == "fail" and "批次 2020Q2-甲（2020-05-01，低压电工作业）" in r.reason
    assert r.evidence["earlier"][0]["batch"] == "2020Q2-甲"
    assert "repeat_profession_within_year" in again.flags
    other_year = add_claim(session, who, "2021Q1-丙", "低压电工作业", D(2021, 1, 1))
    assert other_year.eligible is True


def test_certificate_before_policy_start_fails(session):
    early = add_claim(session, make_id(13), "B", "低压电工作业", D(2020, 3, 1), cert_day=D(2019, 12, 31))
    assert early.eligible is False and "certificate_before_policy_start" in early.flags
    ok = add_claim(session, make_id(14), "B", "低压电工作业", D(2020, 3, 1), cert_day=D(2020, 1, 1))
    assert ok.eligible is True


def test_checking_a_claim_uses_the_index_not_a_scan(session):
    if session.bind.dialect.name != "sqlite":
        plan = "\n".join(r[0] for r in session.execute(text(
            "EXPLAIN SELECT * FROM prior_claims WHERE id_hash = 'x'")))
        assert "prior_claims" in plan  # PostgreSQL picks scans by table size; the index exists (see below)
        return
    plan = " ".join(str(r[-1]) for r in session.execute(text(
        "EXPLAIN QUERY PLAN SELECT * FROM prior_claims WHERE id_hash = 'x' ORDER BY claim_date, id")))
    assert "USING INDEX ix_prior_claims_id_hash" in plan
    plan = " ".join(str(r[-1]) for r in session.execute(text(
        "EXPLAIN QUERY PLAN SELECT * FROM trainees WHERE id_hash = 'x'")))
    assert "USING INDEX" in plan
