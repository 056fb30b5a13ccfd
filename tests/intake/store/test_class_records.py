import datetime as dt

from sqlalchemy import func, select

from intake.store.class_records import import_records
from intake.store.models import Certificate, Claim, Trainee, TrainingClass
from intake.store.registry import phone_of, trainee_by_id_number
from tests.intake.idgen import make_id
from tests.policy import POLICY


def write_records(path, rows):
    header = "姓名,性别,身份证号,手机,专业(工种),证书编号,培训日期,班期"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_records_import_stores_trainees_classes_and_claims(session, tmp_path):
    path = write_records(tmp_path / "records.csv", [
        f"张三,男,{make_id(1)},13812345678,低压电工作业,T{make_id(1)},2020.5.6-5.20,2020年第3期",
        f"李四,女,{make_id(2)},13812345679,低压电工作业,T{make_id(2)},2020.5.6-5.20,2020年第3期",
        f"王五,男,{make_id(3)[:-1]}Z,13812345670,低压电工作业,,2020.5.6-5.20,2020年第3期",
        f"赵六,男,{make_id(5)},123,低压电工作业,,2020.5.6-5.20,2020年第3期",
    ])
    report = import_records(session, path, "2020Q2-甲", claim_date=dt.date(2020, 6, 1), policy=POLICY)
    session.commit()
    assert report.imported == 2
    assert [(p.row, p.reason[:4]) for p in report.rejected] == [(4, "身份证号"), (5, "手机号“")]
    trainee = trainee_by_id_number(session, make_id(1))
    assert trainee.name == "张三" and phone_of(session, trainee) == "13812345678"
    period = session.scalar(select(TrainingClass))
    assert (period.class_period, period.start_date, period.end_date) == (
        "2020年第3期", dt.date(2020, 5, 6), dt.date(2020, 5, 20))
    claims = session.scalars(select(Claim)).all()
    assert [c.eligible for c in claims] == [True, True] and claims[0].training_date == "2020-05-06/2020-05-20"
    again = import_records(session, path, "2020Q2-甲", claim_date=dt.date(2020, 6, 1), policy=POLICY)
    session.commit()
    assert (again.imported, again.already) == (0, 2)
    for table, n in ((Trainee, 2), (Certificate, 2), (Claim, 2), (TrainingClass, 1)):
        assert session.scalar(select(func.count()).select_from(table)) == n


def test_records_without_a_batch_make_no_claims(session, tmp_path):
    path = write_records(tmp_path / "r.csv", [f"张三,男,{make_id(1)},,叉车司机,,,"])
    report = import_records(session, path, policy=POLICY)
    assert report.imported == 1 and session.scalar(select(func.count()).select_from(Claim)) == 0
    assert import_records(session, path, policy=POLICY).already == 1


def test_past_records_without_a_date_are_dated_by_their_training(session, tmp_path):
    """Imported years later, a 2020 class's records claim in 2020 (its training's end), not today."""
    path = write_records(tmp_path / "records.csv", [
        f"张三,男,{make_id(1)},13812345678,低压电工作业,T{make_id(1)},2020.5.6-5.20,2020年第3期",
        f"李四,女,{make_id(2)},13812345679,叉车司机,TS3716020200001,2020.5.11-5.22,2020年第4期",
    ])
    import_records(session, path, "2020Q2-乙", policy=POLICY)
    session.commit()
    assert {c.claim_date for c in session.scalars(select(Claim))} == {dt.date(2020, 5, 22)}
