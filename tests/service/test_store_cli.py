"""`subsidy ledger import` and `subsidy records import`: messages and exit status (the CLI contract)."""

import pytest
from click.testing import CliRunner

from service.cli import main
from tests.intake.idgen import make_id


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    monkeypatch.delenv("SUBSIDY_KEY", raising=False)

    def invoke(*args):
        return CliRunner().invoke(main, ["--data", str(tmp_path / "data"), *args])
    return invoke


def test_ledger_import_reports_and_exits_by_the_contract(run, tmp_path):
    good, bad = make_id(1), make_id(2)[:-1] + ("0" if make_id(2)[-1] != "0" else "1")
    path = tmp_path / "台账.csv"
    path.write_text(f"身份证号,姓名,专业（工种）,申领日期\n{good},甲,叉车司机,2020-01-02\n{bad},乙,叉车司机,2020-01-02\n",
                    encoding="utf-8")
    result = run("ledger", "import", str(path))
    assert result.exit_code == 1
    assert "台账.csv: 导入 1 行，拒绝 1 行" in result.output
    assert "台账.csv 第3行：身份证号 371602********" in result.output
    assert good not in result.output and bad not in result.output
    path.write_text(f"身份证号,姓名,专业（工种）,申领日期\n{good},甲,叉车司机,2020-01-02\n", encoding="utf-8")
    result = run("ledger", "import", str(path))
    assert result.exit_code == 0 and "导入 0 行，拒绝 0 行，已有 1 行" in result.output


def test_ledger_import_unusable_file_and_usage(run, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("ledger", "import", str(path))
    assert result.exit_code == 1 and "x.csv: 找不到" in result.output
    assert run("ledger", "import").exit_code == 2
    assert run("ledger", "import", str(tmp_path / "missing.csv")).exit_code == 2


def test_records_import_with_a_batch(run, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("姓名,性别,身份证号,手机,专业(工种),证书编号,培训日期,班期\n"
                    f"张三,男,{make_id(1)},13812345678,低压电工作业,,2020.5.6-5.20,第3期\n", encoding="utf-8")
    result = run("records", "import", str(path), "--batch", "2020Q2-甲", "--claim-date", "2020-06-01")
    assert result.exit_code == 0, result.output
    assert "records.csv: 导入 1 行，拒绝 0 行" in result.output


def test_institutions_import_names_every_bad_row_and_is_idempotent(run, tmp_path):
    from tests.intake.institutions.registry_files import code, write_csv

    rows = [("滨州市鲁北职业培训学校", code(1), "电工作业", "滨州市应急管理局", "滨应急字〔2019〕12号", "2019-06-01",
             "", "", ""),
            ("坏学校", code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1"), "", "", "", "", "", "", ""),
            ("", code(3), "", "", "", "", "", "", "")]
    path = write_csv(tmp_path / "名录.csv", rows)
    result = run("institutions", "import", str(path))
    assert result.exit_code == 1
    assert "名录.csv: 导入 1 行，拒绝 2 行" in result.output
    assert "名录.csv 第3行：统一社会信用代码" in result.output and "名录.csv 第4行：机构名称为空" in result.output
    write_csv(path, rows[:1])
    result = run("institutions", "import", str(path))
    assert result.exit_code == 0 and "导入 0 行，拒绝 0 行，已有 1 行" in result.output
