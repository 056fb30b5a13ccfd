"""One person in many places, found across batches in the store: two institutions in a year, overlapping
classes, one phone for several trainees; each flagged on both claims with the other's batch and page."""

import pytest
from sqlalchemy import select

from intake.result import BundleResult, DocumentResult, Evidence, PageResult, TraineeResult
from intake.store.bundles import apply_verdicts, save_bundle_result
from intake.store.models import Claim, Finding
from intake.store.registry import get_batch
from intake.store.uploads import store_upload
from tests.intake.idgen import make_id, make_phone
from tests.policy import POLICY


def result(source: str, people: list[tuple[int, str]], dates: str, profession: str = "低压电工作业") -> BundleResult:
    trainees = [TraineeResult(id_number=make_id(n), name=f"学员{n}", gender="男" if n % 2 else "女", phone=phone,
                              profession=profession, training_date=dates, class_period="2020年第3期", signed=True,
                              certificate_copy=True,
                              evidence=[Evidence("roster", 1, "name", f"学员{n}", f"学员{n}", 0.99, [1, 2, 3, 4], i)])
                for i, (n, phone) in enumerate(people)]
    return BundleResult(source=source, pages=[PageResult(1, "roster", 0, source)],
                        documents=[DocumentResult("roster", [1], True, {"fill_date": "2020-07-01"})],
                        trainees=trainees, engine="fake")


@pytest.fixture
def take(store, session, tmp_path):
    def take_in(name: str, batch: str, data: BundleResult, institution: str | None = None) -> BundleResult:
        scan = tmp_path / name
        scan.write_bytes(name.encode())
        upload = store_upload(session, store.data_dir, scan, "clerk")
        get_batch(session, batch, institution=institution)
        apply_verdicts(data, save_bundle_result(session, data, [upload.id], batch, policy=POLICY))
        session.commit()
        return data
    return take_in


def flags(data: BundleResult) -> list[list[str]]:
    return [t.flags for t in data.trainees]


def test_one_person_at_two_institutions_in_one_year_and_in_overlapping_classes(session, take):
    take("a.pdf", "2020Q2-甲", result("a.pdf", [(1, make_phone(1)), (2, make_phone(2))], "2020-05-06/2020-05-20"),
         "甲培训学校")
    later = take("b.pdf", "2020Q3-乙", result("b.pdf", [(1, make_phone(1)), (3, make_phone(3))],
                                               "2020-05-15/2020-05-30", "叉车司机"), "乙培训学校")
    assert flags(later) == [["claimed_by_two_institutions", "training_dates_overlap"], []]
    reasons = [f["reason"] for f in later.trainees[0].findings]
    assert "甲培训学校" in reasons[0] and "重叠6天" in reasons[1] and "2020Q2-甲" in reasons[1]
    assert later.trainees[0].findings[0]["evidence"]["other"]["page"] == 1
    first = session.scalar(select(Claim).where(Claim.trainee_id == later_trainee(session)).order_by(Claim.id))
    assert set(first.flags) == {"claimed_by_two_institutions", "training_dates_overlap"}  # the earlier claim too
    assert first.eligible is None


def later_trainee(session):
    from intake.store.registry import trainee_by_id_number
    return trainee_by_id_number(session, make_id(1)).id


def test_different_years_and_one_institution_without_overlap_are_no_signal(take):
    take("a.pdf", "2019Q2-甲", result("a.pdf", [(1, make_phone(1))], "2019-05-06/2019-05-20"), "甲培训学校")
    later = take("b.pdf", "2020Q3-乙", result("b.pdf", [(1, make_phone(1))], "2020-08-06/2020-08-20", "叉车司机"),
                 "乙培训学校")
    same = take("c.pdf", "2020Q4-乙", result("c.pdf", [(1, make_phone(1))], "2020-10-06/2020-10-20", "高压电工作业"),
                "乙培训学校")
    assert flags(later) == [[]] and flags(same) == [[]]


def test_one_phone_for_several_trainees_across_batches(session, take):
    shared = make_phone(9)
    take("a.pdf", "2020Q2-甲", result("a.pdf", [(1, shared), (2, make_phone(2))], "2020-05-06/2020-05-20"))
    later = take("b.pdf", "2020Q3-乙", result("b.pdf", [(3, shared), (4, make_phone(4))], "2020-08-06/2020-08-20"))
    assert flags(later) == [["phone_shared"], []]
    finding = later.trainees[0].findings[0]
    assert "学员1" in finding["reason"] and shared not in str(finding)
    assert finding["evidence"]["other"]["batch"] == "2020Q2-甲"
    stored = session.scalars(select(Finding).where(Finding.code == "phone_shared")).all()
    assert len(stored) == 2 and {f.other_claim_id for f in stored} == {f.claim_id for f in stored}
    again = take("b.pdf", "2020Q3-乙", result("b.pdf", [(3, shared), (4, make_phone(4))], "2020-08-06/2020-08-20"))
    assert flags(again) == [["phone_shared"], []]
    assert len(session.scalars(select(Finding).where(Finding.code == "phone_shared")).all()) == 2  # not doubled
