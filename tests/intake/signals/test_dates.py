"""Dates that cannot be and a class filed after it began, from one trainee's papers."""

import datetime as dt

import pytest

from intake.records import ClassRecord
from intake.signals.dates import age_on, class_filings, date_findings, filing_findings, wrong_issuer
from tests.bundlegen.idnumber import check_char


def number(birth: str, male: bool = True) -> str:
    first17 = f"371602{birth.replace('-', '')}{'001' if male else '002'}"
    return first17 + check_char(first17)


def trainee(**fields):
    base = {"id_number": number("1990-03-07"), "name": "张三", "profession": "低压电工作业",
            "certificate_no": "T" + number("1990-03-07"), "training_date": "2020-05-06/2020-05-20",
            "evidence": [{"document": "roster", "page": 1, "row": 0, "field": "training_date", "box": [1, 2, 3, 4]},
                         {"document": "roster", "page": 1, "row": 0, "field": "id_number", "box": [5, 6, 7, 8]},
                         {"document": "certificate", "page": 3, "row": None, "field": "certificate_no",
                          "box": [9, 9, 99, 19]}]}
    return {**base, **fields}


def cards(**fields):
    card = {"certificate_kind": "special_operation", "id_number": number("1990-03-07"),
            "certificate_no": "T" + number("1990-03-07"), "issue_date": "2020-06-01", "authority": "山东省应急管理厅"}
    return [{"kind": "certificate", "pages": [3], "fields": {**card, **fields}}]


def checks(found):
    return [f.evidence["check"] for f in found]


def test_a_plain_trainee_raises_nothing():
    assert date_findings(trainee(), cards()) == []


def test_a_certificate_issued_before_the_training_ended():
    [found] = date_findings(trainee(), cards(issue_date="2020-05-15"))
    assert found.code == "date_impossible" and "早于培训结束日期2020-05-20" in found.reason
    assert (found.evidence["page"], found.evidence["box"]) == (3, [9, 9, 99, 19])


@pytest.mark.parametrize(("dates", "words"), [("2020-05-06/2020-05-06", "共1天，短于"),
                                              ("2020-01-06/2020-05-20", "长于")])
def test_a_class_too_short_or_too_long_for_its_kind(dates, words):
    [found] = date_findings(trainee(training_date=dates), [])
    assert checks([found]) == ["training_days"] and words in found.reason and found.evidence["page"] == 1


@pytest.mark.parametrize(("birth", "male", "words"), [("2002-09-01", True, "未满18周岁"),
                                                      ("1959-01-01", True, "已达退休年龄（60周岁）"),
                                                      ("1969-05-01", False, "已达退休年龄（50周岁）")])
def test_too_young_or_past_retirement_on_the_first_day(birth, male, words):
    person = number(birth, male)
    [found] = date_findings(trainee(id_number=person, certificate_no="T" + person), [])
    assert checks([found]) == ["age"] and words in found.reason
    assert person not in found.reason and person[6:14] not in found.reason  # the age, not the birth date


def test_age_counts_whole_years_on_the_day():
    person = number("2002-05-06")
    assert age_on(person, dt.date(2020, 5, 5)) == 17 and age_on(person, dt.date(2020, 5, 6)) == 18


def test_a_card_from_the_other_kinds_department_but_not_an_unreadable_one():
    issuers = {"special_operation": ["应急管理"], "special_equipment": ["市场监督管理", "行政审批服务"]}
    assert "特种设备作业人员证" in wrong_issuer("滨州市市场监督管理局", "special_operation", issuers)
    assert wrong_issuer("滨州市应急管理局", "special_operation", issuers) == ""
    assert wrong_issuer("滨州市应急管埋局", "special_operation", issuers) == ""  # misread: not the other kind's
    [found] = date_findings(trainee(), cards(authority="滨州市行政审批服务局"))
    assert checks([found]) == ["issuer"]


def test_a_class_filed_after_its_training_began():
    records = [ClassRecord("records.xlsx", "学员名单", 2, {"filed_date": "2020-05-08"}),
               ClassRecord("records.xlsx", "学员名单", 3, {"filed_date": "2020/5/1"})]
    filings = class_filings(records)
    assert filings == {"2": "2020-05-08", "3": "2020-05-01"}
    late = trainee(evidence=[{"document": "records", "page": 0, "row": 2, "field": "name", "box": []}])
    [found] = filing_findings(late, filings)
    assert found.code == "class_filed_after_start" and found.evidence == {
        "filed_on": "2020-05-08", "training_start": "2020-05-06", "document": "records", "row": 2}
    early = trainee(evidence=[{"document": "records", "page": 0, "row": 3, "field": "name", "box": []}])
    assert filing_findings(early, filings) == [] and filing_findings(late, {}) == []
