"""Importing the bureau's ledger of prior claims: every bad row named, nothing wrong imported, idempotent."""

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select

from intake.ledger import import_ledger
from intake.store.models import PriorClaim
from ocr.errors import InputProblem
from tests.intake.idgen import make_id


def count(session):
    return session.scalar(select(func.count()).select_from(PriorClaim))


def write_csv(path, rows, header="身份证号,姓名,专业(工种),等级,证书编号,申领日期,金额"):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_good_ledger_in_any_column_order_and_idempotent(session, tmp_path):
    path = write_csv(tmp_path / "台账.csv", [
        f"1000,李四,N1叉车司机,,TS2137160012345,2020年3月5日,{make_id(2)}",
        f"1000.00,张三,低压电工,,T{make_id(1)},43952,{make_id(1)}",
    ], header="补贴金额,姓名,专业（工种）,等级,证书编号,补贴日期,身份证号码")
    report = import_ledger(session, path)
    session.commit()
    assert (report.imported, report.rejected, report.already) == (2, [], 0)
    rows = session.scalars(select(PriorClaim).order_by(PriorClaim.source_row)).all()
    assert [r.profession for r in rows] == ["叉车司机", "低压电工作业"]
    assert [r.claim_date for r in rows] == [dt.date(2020, 3, 5), dt.date(2020, 5, 1)]
    assert rows[1].certificate_no == "T371602********" + make_id(1)[-4:]
    assert [r.source_row for r in rows] == [2, 3] and rows[0].amount == 1000
    again = import_ledger(session, path)
    session.commit()
    assert (again.imported, again.already, count(session)) == (0, 2, 2)


def test_bad_rows_are_named_and_the_rest_imported(session, tmp_path):
    good = make_id(5)
    bad_check = make_id(6)[:-1] + ("0" if make_id(6)[-1] != "0" else "1")
    path = write_csv(tmp_path / "ledger.csv", [
        f"{good},甲,高压电工作业,,,2020-04-01,1000",
        f"{bad_check},乙,高压电工作业,,,2020-04-01,1000",
        "3.71602199003071E+17,丙,高压电工作业,,,2020-04-01,1000",
        f"{make_id(7)},丁,高压电工作业,,,去年,1000",
        f"{make_id(8)},戊,,,,2020-04-01,1000",
        f"{good},甲,高压电工作业,,,2020/4/1,1000",
        f"{make_id(9)},己,高压电工作业,,,2020-04-01,一千",
        ",庚,高压电工作业,,,2020-04-01,1000",
    ])
    report = import_ledger(session, path)
    session.commit()
    messages = [str(p) for p in report.rejected]
    assert report.imported == 1 and count(session) == 1
    assert messages[0].startswith("ledger.csv 第3行：身份证号 371602********") and "校验码不符" in messages[0]
    assert "第4行" in messages[1] and "存成了数字" in messages[1]
    assert "第5行" in messages[2] and "申领日期“去年”无法识别" in messages[2]
    assert "第6行" in messages[3] and "专业（工种）为空" in messages[3]
    assert "第7行" in messages[4] and "与第2行重复" in messages[4]
    assert "第8行" in messages[5] and "金额" in messages[5]
    assert "第9行" in messages[6] and "身份证号为空" in messages[6]
    assert not any(bad_check in m or good in m for m in messages)  # never a full number


def test_xlsx_dates_as_serials_dates_and_text_wrong_sheet_first(session, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表为2020年补贴台账"])
    sheet = book.create_sheet("台账")
    sheet.append(["序号", "滨州市2020年安全技能培训补贴台账"])
    sheet.append(["序号", "姓名", "身份证号", "专业（工种）", "申领日期", "金额"])
    sheet.append([1, "甲", make_id(21), "叉车司机", dt.datetime(2020, 6, 1), 1000])
    sheet.append([2, "乙", make_id(22), "叉车司机", 43983, 1000])
    sheet.append([3, "丙", make_id(23), "叉车司机", "2020.6.1", 1000])
    sheet.append([4, "丁", float(make_id(24)[:17] + "0"), "叉车司机", "2020-06-01", 1000])  # typed as a number
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    report = import_ledger(session, path)
    assert report.imported == 3
    assert [p.row for p in report.rejected] == [6] and "存成了数字" in report.rejected[0].reason
    assert {r.claim_date for r in session.scalars(select(PriorClaim))} == {dt.date(2020, 6, 1)}


@pytest.mark.parametrize(("content", "message"), [
    ("姓名,专业(工种),申领日期\n张三,电工,2020-01-01\n", "身份证号"),
    ("", "文件为空"),
    ("身份证号,姓名,专业(工种),申领日期\n", "没有数据行"),
    ("a,b,c\n1,2,3\n", "找不到"),
])
def test_unusable_ledgers_give_one_message_naming_the_file(session, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputProblem) as caught:
        import_ledger(session, path)
    assert str(caught.value).startswith("bad.csv: ") and message in str(caught.value)
    assert count(session) == 0


def test_xlsx_without_an_id_column_on_any_sheet(session, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "专业（工种）", "申领日期"])
    book.active.append(["甲", "叉车司机", "2020-06-01"])
    path = tmp_path / "no_id.xlsx"
    book.save(path)
    with pytest.raises(InputProblem, match="no_id.xlsx: .*身份证号"):
        import_ledger(session, path)


def test_every_problem_of_a_row_is_named_empty_names_refused_and_rewrites_said(session, tmp_path):
    bad_check = make_id(31)[:-1] + ("0" if make_id(31)[-1] != "0" else "1")
    path = write_csv(tmp_path / "ledger.csv", [
        f"{make_id(30)},,叉车司机,,,2020-04-01,1000",
        f"{bad_check},乙,叉车司机,,,去年,一千",
        f"{make_id(32)},丙,电工作业,,,2020-04-01,1000",
        f"{make_id(33)},丁,低压电工,,,2020-04-01,1000",
    ])
    report = import_ledger(session, path)
    session.commit()
    rejected = {p.row: p.reason for p in report.rejected}
    assert rejected[2] == "姓名为空"
    assert "校验码不符" in rejected[3] and "申领日期“去年”无法识别" in rejected[3] and "金额" in rejected[3]
    assert "作业类别" in rejected[4] and "低压电工作业" in rejected[4]  # a category is not guessed into an item
    assert report.imported == 1 and count(session) == 1
    assert [(n.row, n.reason) for n in report.notes] == [(5, "专业“低压电工”按目录记为“低压电工作业”")]
    assert session.scalar(select(PriorClaim)).profession == "低压电工作业"
