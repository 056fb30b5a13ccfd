import datetime as dt

import pytest
from sqlalchemy import func, select

from intake.result import BundleResult, DocumentResult, Evidence, PageResult, TraineeResult
from intake.store.bundles import apply_verdicts, save_bundle_result
from intake.store.models import Batch, Bundle, Certificate, Claim, Decision, Page, Trainee, TrainingClass
from intake.store.registry import phone_of, reveal_id_number, trainee_by_id_number
from intake.store.uploads import store_upload
from tests.intake.idgen import make_id, make_phone
from tests.policy import POLICY

TABLES = (Bundle, Page, Trainee, Certificate, TrainingClass, Batch, Claim, Decision)


def bundle_result(source="bundle_007.pdf", flags=None) -> BundleResult:
    flags = flags or {}
    trainees = []
    for i in range(3):
        t = TraineeResult(id_number=make_id(i + 1), name=f"学员{i}", gender="男" if (i + 1) % 2 else "女",
                          phone=make_phone(i), profession="低压电工作业", certificate_no=f"T{make_id(i + 1)}",
                          training_date="2020-05-06/2020-05-20", class_period="2020年第3期",
                          signed=True, certificate_copy=True, flags=list(flags.get(i, [])),
                          evidence=[Evidence("roster", 1, "id_number", make_id(i + 1), make_id(i + 1), 0.99,
                                             [0, 0, 1, 1], row=i + 1)])
        trainees.append(t)
    pages = [PageResult(1, "roster", 0, source), PageResult(2, "agreement", 90, source)]
    return BundleResult(source=source, pages=pages,
                        documents=[DocumentResult("roster", [1], True, {"fill_date": "2020-06-01"})],
                        trainees=trainees, engine="fake")


def counts(session):
    return {t.__name__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture
def upload(store, session, tmp_path):
    scan = tmp_path / "bundle_007.pdf"
    scan.write_bytes(b"%PDF-1.4 scan bytes")
    row = store_upload(session, store.data_dir, scan, "clerk")
    session.commit()
    return row


def test_save_bundle_result_stores_everything_once(session, upload):
    result = bundle_result(flags={1: ["missing_signature"], 2: ["missing_stamp"]})
    saved = save_bundle_result(session, result, [upload.id], "2020Q2-甲机构", policy=POLICY)
    session.commit()
    first = counts(session)
    assert first == {"Bundle": 1, "Page": 2, "Trainee": 3, "Certificate": 3, "TrainingClass": 1, "Batch": 1,
                     "Claim": 3, "Decision": 15}
    again = save_bundle_result(session, result.to_json(), [upload.id], "2020Q2-甲机构", policy=POLICY)  # dict form too
    session.commit()
    assert counts(session) == first
    assert again.claims == saved.claims
    assert [v[1] for v in saved.verdicts] == [True, False, None]

    batch = session.scalar(select(Batch))
    assert batch.quarter == "2020Q2" and batch.status == "draft"
    claim = session.get(Claim, saved.claims[1])
    assert claim.claim_date == dt.date(2020, 6, 1) and claim.amount == 1000
    assert claim.flags == ["missing_signature"] and claim.eligible is False
    assert claim.page_refs == [{"document": "roster", "page": 1, "row": 2, "field": "id_number"}]
    assert claim.certificate.certificate_no.startswith("T371602********")
    page = session.scalar(select(Page).where(Page.number == 2))
    assert page.kind == "agreement" and page.rotation == 90 and page.upload_id == upload.id


def test_verdicts_flow_back_into_the_result(session, upload):
    result = bundle_result(flags={1: ["missing_signature"]})
    apply_verdicts(result, save_bundle_result(session, result, [upload.id], "B1", policy=POLICY))
    assert [t.eligible for t in result.trainees] == [True, False, True]


def test_without_a_batch_no_claims(session, upload):
    saved = save_bundle_result(session, bundle_result(), [upload.id], None, policy=POLICY)
    session.commit()
    assert saved.claims == [] and counts(session)["Claim"] == 0 and counts(session)["Trainee"] == 3


def test_trainee_fields_sealed_and_revealed_with_a_log(session, upload):
    save_bundle_result(session, bundle_result(), [upload.id], "B1", policy=POLICY)
    trainee = trainee_by_id_number(session, make_id(1))
    assert trainee.name == "学员0"
    assert phone_of(session, trainee) == make_phone(0)
    assert reveal_id_number(session, trainee, "reviewer1", "核对证书") == make_id(1)
    from intake.store.models import AccessLog

    log = session.scalar(select(AccessLog))
    assert (log.who, log.trainee_id, log.purpose) == ("reviewer1", trainee.id, "核对证书")


def test_changed_verdicts_are_added_not_overwritten(session, upload):
    result = bundle_result()
    save_bundle_result(session, result, [upload.id], "B1", policy=POLICY)
    result.trainees[0].flags = ["missing_certificate_copy"]
    save_bundle_result(session, result, [upload.id], "B1", policy=POLICY)
    claim = session.scalar(select(Claim).order_by(Claim.id))
    outcomes = [(d.rule, d.outcome) for d in claim.decisions if d.rule == "intake_flags"]
    assert outcomes == [("intake_flags", "pass"), ("intake_flags", "fail")]
    assert claim.eligible is False


def test_record_bundle_keeps_originals_and_is_idempotent(store, session, tmp_path):
    from intake.store.bundles import record_bundle

    pages = [tmp_path / "p1.jpg", tmp_path / "p2.jpg"]
    for i, p in enumerate(pages):
        p.write_bytes(b"\xff\xd8 photo %d" % i)
    result = bundle_result(source="p1.jpg", flags={0: ["missing_signature"]})
    record_bundle(session, store.data_dir, pages, result, "B1", policy=POLICY)
    session.commit()
    assert result.trainees[0].eligible is False and result.trainees[1].eligible is True
    first = counts(session)
    record_bundle(session, store.data_dir, pages, bundle_result(source="p1.jpg", flags={0: ["missing_signature"]}),
                  "B1", policy=POLICY)
    session.commit()
    assert counts(session) == first


def test_rules_without_a_store_fill_flags_and_eligible():
    from intake.policy.eligibility import apply_rules_to_result

    result = bundle_result(flags={2: ["missing_signature"]})
    result.trainees[1].id_number = result.trainees[0].id_number  # listed twice, same profession
    result.trainees[0].profession = "厨师"
    apply_rules_to_result(result, dt.date(2020, 6, 1), POLICY)
    assert [t.eligible for t in result.trainees] == [False, True, False]
    assert "profession_not_in_catalog" in result.trainees[0].flags


def test_a_past_bundle_without_a_fill_date_keeps_its_own_year(session, upload, store, tmp_path):
    """Read in 2026 or later, a 2020 bundle whose fill date was not read is dated by its training, not the
    clock; a second bundle of the batch takes the batch's date."""
    result = bundle_result()
    result.documents[0].fields.pop("fill_date")
    save_bundle_result(session, result, [upload.id], "2020Q2-无日期", policy=POLICY)
    session.commit()
    claims = session.scalars(select(Claim)).all()
    assert {c.claim_date for c in claims} == {dt.date(2020, 5, 20)}
    assert session.scalar(select(Batch)).quarter == "2020Q2"
    other = tmp_path / "bundle_008.pdf"
    other.write_bytes(b"%PDF-1.4 other scan")
    second = store_upload(session, store.data_dir, other, "clerk")
    later = bundle_result("bundle_008.pdf")
    later.documents[0].fields.pop("fill_date")
    for t in later.trainees:
        t.training_date = ""
    save_bundle_result(session, later, [second.id], "2020Q2-无日期", policy=POLICY)
    session.commit()
    assert {c.claim_date for c in session.scalars(select(Claim))} == {dt.date(2020, 5, 20)}


def test_a_batch_owns_its_bundles_the_same_files_are_refused_by_another(session, upload):
    save_bundle_result(session, bundle_result(), [upload.id], "2020Q2-甲", policy=POLICY)
    session.commit()
    from intake.store.bundles import BundleElsewhere

    with pytest.raises(BundleElsewhere, match="2020Q2-甲"):
        save_bundle_result(session, bundle_result(), [upload.id], "2020Q3-乙", policy=POLICY)
    session.rollback()
    bundle = session.scalar(select(Bundle))
    assert session.get(Batch, bundle.batch_id).name == "2020Q2-甲"
    assert session.scalar(select(Batch).where(Batch.name == "2020Q3-乙")) is None
    claims = session.scalars(select(Claim)).all()
    assert {c.bundle_id for c in claims} == {bundle.id} and {c.batch_id for c in claims} == {bundle.batch_id}
    # the same batch again: harmless
    save_bundle_result(session, bundle_result(), [upload.id], "2020Q2-甲", policy=POLICY)


def test_no_quarter_is_invented_when_the_papers_carry_no_date(session, upload):
    result = bundle_result()
    result.documents = [DocumentResult("roster", [1], True, {})]
    for t in result.trainees:  # nor a training date: a quarter from a training would not be invented
        t.training_date = ""
    save_bundle_result(session, result, [upload.id], "无日期批次", policy=POLICY)
    assert session.scalar(select(Batch).where(Batch.name == "无日期批次")).quarter is None
