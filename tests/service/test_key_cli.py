"""A wrong or missing key, per command family: refused with a clear message, exit 2, nothing written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from intake.store.keys import KEY_ENV, encode, new_secret
from service.cli import main
from tests.intake.idgen import make_id
from tests.intake.store.test_keys import snapshot, store_with_a_trainee

COMMANDS = {
    "intake": ["intake", "{bundle}", "--batch", "B2", "--quiet"],
    "ledger": ["ledger", "import", "{ledger}"],
    "records": ["records", "import", "{ledger}", "--batch", "B2"],
    "generate": ["generate", "attachment1", "--batch", "B1", "--out", "{out}"],
    "archive add": ["archive", "add", "--batch", "B1", "--no-pdf"],
    "archive search": ["archive", "search", "--id", make_id(1)],
    "archive verify": ["archive", "verify"],
    "users": ["users", "add", "someone", "--role", "clerk", "--password-stdin"],
    "serve": ["serve", "--port", "1"],
    "worker": ["worker"],
    "key": ["key", "fingerprint"],
}


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    folder = store_with_a_trainee(tmp_path / "data")
    (tmp_path / "bundle.pdf").write_bytes(b"%PDF-1.4 not read: the key is checked first")
    (tmp_path / "ledger.csv").write_text(f"身份证号,姓名,专业（工种）,申领日期\n{make_id(2)},乙,叉车司机,2020-01-02\n",
                                         encoding="utf-8")
    return folder


def run(tmp_path, data, args):
    values = {"bundle": str(tmp_path / "bundle.pdf"), "ledger": str(tmp_path / "ledger.csv"),
              "out": str(tmp_path / "out")}
    return CliRunner().invoke(main, ["--data", str(data), *[a.format(**values) for a in args]],
                              input="a long password\n")


@pytest.mark.parametrize("family", sorted(COMMANDS))
def test_a_wrong_key_is_refused_by_every_command_and_nothing_is_written(family, data, tmp_path, monkeypatch):
    before = snapshot(data)
    monkeypatch.setenv(KEY_ENV, encode(new_secret()))
    done = run(tmp_path, data, COMMANDS[family])
    assert done.exit_code == 2, done.output
    assert "密钥不符" in done.output and "未做任何改动" in done.output
    assert "Traceback" not in done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    assert snapshot(data) == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("family", ["intake", "ledger", "generate", "archive search"])
def test_a_missing_key_is_refused_and_no_new_one_is_made(family, data, tmp_path):
    (data / "secret.key").rename(tmp_path / "away.key")
    before = snapshot(data)
    done = run(tmp_path, data, COMMANDS[family])
    assert done.exit_code == 2, done.output
    assert "找不到" in done.output and "SUBSIDY_KEY" in done.output
    assert snapshot(data) == before


def test_the_fingerprint_is_shown_never_the_key(data, tmp_path):
    done = run(tmp_path, data, COMMANDS["key"])
    assert done.exit_code == 0, done.output
    assert "密钥指纹" in done.output
    assert (data / "secret.key").read_text().strip() not in done.output
