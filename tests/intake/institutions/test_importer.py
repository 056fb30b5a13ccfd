"""Importing the registry: headers in any order, every bad row named, the rest in, idempotent, audited."""

import datetime as dt

from sqlalchemy import func, select

from intake.institutions.importer import import_registry
from intake.store import institutions as registry
from intake.store.audit import verify_chain
from intake.store.models import Disqualification, Institution, InstitutionEvent, Recognition
from intake.store.registry import get_institution
from tests.intake.institutions.registry_files import HEADER, code, write_csv, write_xlsx
from tests.policy import POLICY

LUBEI = "滨州市鲁北职业培训学校"
HENGAN = "滨州恒安安全技术培训中心有限公司"


EMERGENCY, NUMBER = "滨州市应急管理局", "滨应急字〔2019〕12号"


def rows():
    return [
        (LUBEI, code(1), "电工作业", EMERGENCY, NUMBER, "2019-06-01", "2022-05-31", None, None),
        (LUBEI, code(1), "焊接与热切割作业", EMERGENCY, NUMBER, "2019-06-01", None, None, None),
        (HENGAN, code(2), "N1 叉车司机", "滨州市行政审批服务局", "滨审批〔2020〕3号", dt.date(2020, 1, 1),
         dt.date(2023, 12, 31), None, None),
        (HENGAN, code(2), None, None, None, None, None, "2020-08-15", "培训记录弄虚作假"),
    ]


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_good_list_goes_in_and_again_changes_nothing(session, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", rows())
    report = import_registry(session, path, POLICY)
    session.commit()
    assert (report.imported, report.already, report.rejected) == (4, 0, [])
    lubei = registry.by_code(session, code(1))
    assert lubei.name == LUBEI and [r.category for r in lubei.recognitions] == ["电工作业", "焊接与热切割作业"]
    assert lubei.recognitions[0].valid_to == dt.date(2022, 5, 31) and lubei.recognitions[1].valid_to is None
    hengan = registry.by_code(session, code(2))
    found = [(d.disqualified_on, d.reason) for d in hengan.disqualifications]
    assert found == [(dt.date(2020, 8, 15), "培训记录弄虚作假")]
    events = count(session, InstitutionEvent)
    again = import_registry(session, path, POLICY)
    session.commit()
    assert (again.imported, again.already, again.rejected) == (0, 4, [])
    assert count(session, InstitutionEvent) == events
    assert (count(session, Institution), count(session, Recognition), count(session, Disqualification)) == (2, 3, 1)
    assert verify_chain(session) == []


def test_columns_in_any_order_from_csv(session, tmp_path):
    order = (8, 1, 0, 2, 3, 4, 5, 6, 7)
    header = tuple(HEADER[i] for i in order)
    path = write_csv(tmp_path / "list.csv", [tuple(r[i] for i in order) for r in rows()], header)
    report = import_registry(session, path, POLICY)
    assert report.rejected == [] and report.imported == 4


def test_every_bad_row_is_named_and_the_rest_imported(session, tmp_path):
    bad_code = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")
    path = write_xlsx(tmp_path / "bad.xlsx", [
        rows()[0],
        ("某培训学校", bad_code, "电工作业", "滨州市应急管理局", "1号", "2019-01-01", None, None, None),
        ("", code(4), None, None, None, None, None, None, None),
        ("甲学校", code(5), "烹饪", "某局", "2号", "2019-01-01", None, None, None),
        ("乙学校", code(6), "电工作业", "", "", "", None, None, None),
        ("丙学校", code(7), "电工作业", "应急局", "3号", "2020-01-01", "2019-01-01", None, None),
        ("丁学校", code(8), None, None, None, None, None, "2020-01-01", None),
        ("别的名字", code(1), None, None, None, None, None, None, None),
        (LUBEI, code(9), None, None, None, None, None, None, None),
        ("戊学校", code(10), "电工作业", "应急局", "4号", "去年", None, None, None),
        (HENGAN, code(2), None, None, None, None, None, None, None),
    ])
    report = import_registry(session, path, POLICY)
    session.commit()
    rejected = {p.row: p.reason for p in report.rejected}
    assert sorted(rejected) == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "校验码不符" in rejected[4]
    assert rejected[5] == "机构名称为空"
    assert "烹饪" in rejected[6]
    assert "认定部门为空" in rejected[7] and "认定文号为空" in rejected[7] and "有效期起为空" in rejected[7]
    assert "早于有效期起" in rejected[8]
    assert "取消资格原因为空" in rejected[9]
    assert "第3行是“滨州市鲁北职业培训学校”" in rejected[10]
    assert "第3行的统一社会信用代码" in rejected[11]
    assert "去年" in rejected[12]
    assert str(report.rejected[0]).startswith("bad.xlsx 第4行：")
    assert report.imported == 2 and count(session, Institution) == 2


def test_a_batchs_unregistered_institution_is_adopted_and_a_new_name_keeps_the_old_as_printed(session, tmp_path):
    loose = get_institution(session, LUBEI)
    import_registry(session, write_csv(tmp_path / "a.csv", rows()[:1]), POLICY)
    session.commit()
    assert registry.by_code(session, code(1)).id == loose.id
    renamed = [("滨州市鲁北职业技能培训学校有限公司", code(1), None, None, None, None, None, None, None)]
    report = import_registry(session, write_csv(tmp_path / "b.csv", renamed), POLICY)
    session.commit()
    institution = registry.by_code(session, code(1))
    assert report.imported == 1 and institution.name == renamed[0][0] and institution.aliases == [LUBEI]
    actions = [e.action for e in registry.history(session, institution.id)]
    assert actions == ["registered", "recognised", "renamed"]


def test_short_names_come_in_an_optional_column(session, tmp_path):
    header = ("简称", *HEADER[:2])
    path = write_csv(tmp_path / "short.csv", [("鲁北培训、鲁北职校", LUBEI, code(1))], header)
    import_registry(session, path, POLICY)
    assert registry.by_code(session, code(1)).aliases == ["鲁北培训", "鲁北职校"]
