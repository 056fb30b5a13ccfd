"""The registry's flags on stored claims: a bundle matched to its institution by its papers, flags with
their evidence in bundle-result/1, nothing raised (one note) while no registry is loaded, and a
disqualification entered later reaching the open batches' claims."""

import datetime as dt

import pytest
from sqlalchemy import select

from intake.policy.eligibility import decide_claim
from intake.result import DocumentResult
from intake.store import institutions as registry
from intake.store.bundles import apply_verdicts, save_bundle_result
from intake.store.findings import NO_REGISTRY_NOTE, recheck_institution
from intake.store.models import Bundle, Claim, Finding
from tests.intake.institutions.registry_files import code
from tests.intake.store.test_bundles import bundle_result
from tests.policy import POLICY

LUBEI = "滨州市鲁北职业培训学校"


def with_names(result, roster: str, agreement: str):
    result.documents = [DocumentResult("roster", [1], True, {"fill_date": "2020-06-01", "institution": roster}),
                        DocumentResult("agreement", [2], True, {"institution": agreement})]
    return result


def load(session, category="电工作业", start=dt.date(2019, 1, 1), end=None, disqualified=None):
    institution, _ = registry.register(session, LUBEI, code(1), "test")
    registry.recognise(session, institution, category, "滨州市应急管理局", "滨应急字〔2019〕1号", start, end, "test")
    if disqualified:
        registry.disqualify(session, institution, disqualified, "弄虚作假", "test")
    session.commit()
    return institution


def flags_of(result):
    return [t.flags for t in result.trainees]


def test_without_a_registry_nothing_is_flagged_and_one_note_says_so(session, upload):
    result = with_names(bundle_result(), "某某学校", "某某学校")
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    apply_verdicts(result, saved)
    assert flags_of(result) == [[], [], []] and [t.eligible for t in result.trainees] == [True] * 3
    assert result.notes.count(NO_REGISTRY_NOTE) == 1


def test_a_recognised_institution_in_any_printed_form_raises_nothing(session, upload):
    institution = load(session)
    result = with_names(bundle_result(), "鲁北职业培训学校", "滨州市鲁北职业培训学校（盖章）")
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    apply_verdicts(result, saved)
    assert flags_of(result) == [[], [], []] and not result.notes
    assert session.scalar(select(Bundle.institution_id)) == institution.id
    assert set(session.scalars(select(Claim.institution_id))) == {institution.id}


def test_an_unknown_institution_is_flagged_for_review_with_what_was_read(session, upload):
    load(session)
    result = with_names(bundle_result(), "无棣县金桥技工学校", "无棣县金桥技工学校")
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    apply_verdicts(result, saved)
    assert flags_of(result) == [["institution_unknown"]] * 3 and result.trainees[0].eligible is None
    finding = result.to_json()["trainees"][0]["findings"][0]
    assert finding["flag"] == "institution_unknown" and "无棣县金桥技工学校" in finding["reason"]
    assert finding["evidence"]["read"]["roster"] == "无棣县金桥技工学校"


@pytest.mark.parametrize(("category", "start", "end", "words"), [
    ("焊接与热切割作业", dt.date(2019, 1, 1), None, "未获“低压电工作业”的认定"),
    ("电工作业", dt.date(2020, 6, 1), None, "不在有效期内"),
    ("电工作业", dt.date(2018, 1, 1), dt.date(2019, 12, 31), "不在有效期内"),
])
def test_a_profession_not_recognised_on_the_training_date(session, upload, category, start, end, words):
    load(session, category, start, end)
    result = with_names(bundle_result(), LUBEI, LUBEI)
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    apply_verdicts(result, saved)
    assert flags_of(result) == [["institution_not_recognised_for_profession"]] * 3
    assert words in result.trainees[0].findings[0]["reason"]


def test_claims_after_a_disqualification_fail_and_earlier_ones_stand(session, upload):
    load(session, disqualified=dt.date(2020, 6, 1))  # the claims are dated 2020-06-01 (the fill date)
    result = with_names(bundle_result(), LUBEI, LUBEI)
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    apply_verdicts(result, saved)
    assert flags_of(result) == [["institution_disqualified"]] * 3 and result.trainees[0].eligible is False
    assert "2020-06-01被取消培训资格（弄虚作假）" in result.trainees[0].findings[0]["reason"]


def test_a_disqualification_entered_later_reaches_open_claims(session, upload):
    institution = load(session)
    result = with_names(bundle_result(), LUBEI, LUBEI)
    save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    session.commit()
    registry.disqualify(session, institution, dt.date(2020, 7, 1), "弄虚作假", "officer")
    assert recheck_institution(session, institution.id) and not session.scalars(select(Finding)).all()
    registry.disqualify(session, institution, dt.date(2020, 5, 1), "弄虚作假", "officer")
    for claim in recheck_institution(session, institution.id):
        decide_claim(session, claim, POLICY)
    claims = session.scalars(select(Claim)).all()
    assert all(c.flags == ["institution_disqualified"] and c.eligible is False for c in claims)


def test_a_bundle_without_trainees_carries_the_institution_flag_itself(session, upload):
    load(session)
    result = with_names(bundle_result(), "无棣县金桥技工学校", "")
    result.trainees = []
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲", policy=POLICY)
    apply_verdicts(result, saved)
    assert [f["flag"] for f in result.to_json()["findings"]] == ["institution_unknown"]
