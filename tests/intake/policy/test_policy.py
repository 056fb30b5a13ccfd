import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from intake.policy.policy import PolicyError, load_policy, parse_policy


def test_default_policy_is_the_2020_binzhou_notice():
    policy = load_policy()
    assert policy.amount_per_person == Decimal(1000)
    assert policy.max_claims_per_year == 3
    assert policy.year_basis == "claim_date"
    assert policy.certificates_from == dt.date(2020, 1, 1)
    assert policy.publicity_working_days == 5 and policy.retention_years == 5
    assert policy.flag_outcome("missing_signature") == "fail"
    assert policy.flag_outcome("something_new") == "needs_review"
    assert {"低压电工作业", "叉车司机", "特种设备安全管理"} <= policy.catalogue_items


def _data(**changes):
    data = {"amount_per_person": 1000, "max_claims_per_year": 3, "year_basis": "claim_date",
            "certificates_from": dt.date(2020, 1, 1), "catalogue": "catalog", "publicity_working_days": 5,
            "retention_years": 5}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(("changes", "message"), [
    ({"year_basis": "fiscal"}, "year_basis"),
    ({"max_claims_per_year": 0}, "max_claims_per_year"),
    ({"amount_per_person": None}, "缺少 amount_per_person"),
    ({"certificates_from": "2020-01-01"}, "certificates_from 类型错误"),
    ({"catalogue": "no_such_catalogue"}, "catalogue"),
    ({"flags": {"missing_signature": "maybe"}}, "flags.missing_signature"),
    ({"same_item": {"compare_levels": True}}, "same_item"),
])
def test_bad_policy_names_the_key(changes, message):
    with pytest.raises(PolicyError, match=message) as caught:
        parse_policy(_data(**changes), "test.toml")
    assert "test.toml" in str(caught.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="政策文件不存在"):
        load_policy(tmp_path / "nope.toml")


def test_another_year_is_a_new_file(tmp_path):
    other = tmp_path / "other-2021.toml"
    text = Path(load_policy().source).read_text(encoding="utf-8")
    other.write_text(text.replace("amount_per_person = 1000", "amount_per_person = 800")
                     .replace('year_basis = "claim_date"', 'year_basis = "certificate_date"'), encoding="utf-8")
    policy = load_policy(other)
    assert policy.amount_per_person == Decimal(800) and policy.year_basis == "certificate_date"
