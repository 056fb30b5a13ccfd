"""`subsidy generate`: files written, exit status and messages by DESIGN.md's contract."""

import datetime as dt

import pytest
from click.testing import CliRunner

from intake.store.registry import get_batch
from service.cli import main
from service.models import Publicity
from tests.generators.conftest import BATCH, bundle_result, save
from tests.generators.golden import content
from tests.intake.idgen import make_id


@pytest.fixture
def run(store, tmp_path):
    def invoke(*args):
        return CliRunner().invoke(main, ["--data", str(store.data_dir), "generate", *args])
    return invoke


def test_generate_each_kind(store, run, tmp_path):
    save(store, tmp_path, bundle_result())
    out = tmp_path / "out"
    for kind in ("attachment1", "attachment2", "attachment3"):
        result = run(kind, "--batch", BATCH, "--out", str(out), "--date", "2020-06-01")
        assert result.exit_code == 0, result.output
    result = run("publicity", "--batch", BATCH, "--out", str(out), "--publicity-start", "2020-09-29")
    assert result.exit_code == 0, result.output
    assert "第4行 张喆（371602********0046）：未列入（不符合申领补贴条件：材料问题：代领协议书未签字" in result.output
    result = run("quarterly", "--quarter", "2020q2", "--out", str(out))
    assert result.exit_code == 0 and "季报_2020Q2.docx" in result.output
    assert "季报日期未从材料中识别，已留空待手写" in result.output
    assert len(list(out.iterdir())) == 10


def test_publicity_starts_on_the_day_the_officer_set(store, run, tmp_path):
    save(store, tmp_path, bundle_result())
    out = tmp_path / "out"
    result = run("publicity", "--batch", BATCH, "--out", str(out))
    assert result.exit_code == 1 and "未设定公示开始日期" in result.output and not out.exists()
    with store.session() as session:
        batch = get_batch(session, BATCH)
        session.add(Publicity(batch_id=batch.id, start_date=dt.date(2020, 9, 29), end_date=dt.date(2020, 10, 13),
                              set_by="officer"))
        session.commit()
    result = run("publicity", "--batch", BATCH, "--out", str(out))
    assert result.exit_code == 0, result.output
    text = "".join(content(out / "公示名单_2020Q2-滨州安培.docx")["paragraphs"])
    assert "公示期为2020年9月29日至2020年10月13日" in text


def test_bad_data_exits_1_naming_the_trainee(store, run, tmp_path):
    save(store, tmp_path, bundle_result(t1={"certificate_no": ""}))
    result = run("attachment1", "--batch", BATCH, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "第2行 李䶮（371602********0025）：缺少证书编号" in result.output
    assert make_id(2, born="19810307") not in result.output
    assert not (tmp_path / "out").exists()
    assert run("attachment1", "--batch", "无此批次", "--out", str(tmp_path / "o")).exit_code == 1


def test_usage_errors_exit_2(run, tmp_path):
    assert run("attachment1", "--out", str(tmp_path)).exit_code == 2
    assert run("quarterly", "--quarter", "2020Q5", "--out", str(tmp_path)).exit_code == 2
    assert run("publicity", "--batch", "x", "--out", str(tmp_path), "--publicity-start", "2020-13-01").exit_code == 2
    assert run("nosuchkind", "--batch", "x", "--out", str(tmp_path)).exit_code == 2


def test_pdf_without_libreoffice_says_so(store, run, tmp_path, monkeypatch):
    save(store, tmp_path, bundle_result())
    monkeypatch.setattr("generators.pdf.soffice", lambda: None)
    result = run("attachment3", "--batch", BATCH, "--out", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1
    assert "未找到 LibreOffice（soffice）" in result.output and "libreoffice-writer-nogui" in result.output
    assert (tmp_path / "out" / "附件3_申请报告_2020Q2-滨州安培.docx").exists()
