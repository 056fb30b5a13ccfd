"""`subsidy doctor`: all well on this machine, and each check with its part broken on purpose."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from intake.store.keys import KEY_FILE, new_secret
from service import doctor
from service.db import open_service_store
from service.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("SUBSIDY_DATABASE_URL", "SUBSIDY_KEY", "SUBSIDY_QUEUE_URL"):
        monkeypatch.delenv(name, raising=False)
    return Settings.from_env(tmp_path / "data")


def _stored_trainee(settings: Settings) -> None:
    """A data folder in use: migrated, with one trainee's ID number sealed under its key."""
    from intake.store.models import Trainee

    store = open_service_store(settings)
    with store.session() as session:
        session.add(Trainee(id_hash=store.cipher.id_hash("37160219900307123X"),
                            id_number_enc=store.cipher.seal("37160219900307123X", "trainee.id_number")))
        session.commit()
    store.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _without(monkeypatch: pytest.MonkeyPatch, folder: Path, *programs: str) -> None:
    """A PATH with every program of the usual one except `programs` (symlinked into a folder of its own)."""
    folder.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        for exe in Path(directory).glob("*") if Path(directory).is_dir() else ():
            link = folder / exe.name
            if exe.name not in programs and not link.exists():
                link.symlink_to(exe)
    monkeypatch.setenv("PATH", str(folder))


def test_all_well_exits_0_and_says_so_in_chinese(settings, tmp_path):
    _stored_trainee(settings)
    done = subprocess.run([sys.executable, "-m", "service.cli", "--data", str(settings.data_dir), "doctor"],
                          capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if not k.startswith("SUBSIDY_")})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(doctor.CHECKS) and all(line.startswith("[正常]") for line in lines), done.stdout
    key_line = next(line for line in lines if "加密密钥" in line)
    assert "相符" in key_line and "结构为最新" in done.stdout  # the key matches the data folder's record


def test_a_broken_part_exits_1_naming_the_part_and_the_fix(settings, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from service.cli import main

    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    result = CliRunner().invoke(main, ["--data", str(settings.data_dir), "doctor"])
    assert result.exit_code == 1
    assert "[缺失] Tesseract 与中文模型" in result.output and "解决办法：apt-get install" in result.output


def test_tesseract_missing(settings, monkeypatch, tmp_path):
    _without(monkeypatch, tmp_path / "bin", "tesseract")
    finding = doctor.check_tesseract(settings)
    assert not finding.ok and "找不到 Tesseract" in finding.detail and "tesseract-ocr" in finding.fix


def test_tesseract_without_chi_sim(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    finding = doctor.check_tesseract(settings)
    assert not finding.ok and "chi_sim" in finding.detail and "tesseract-ocr-chi-sim" in finding.fix


def test_onnx_model_broken(settings, monkeypatch, tmp_path):
    from ocr.engines import rapid

    broken = tmp_path / "PP-OCRv6_rec_small.onnx"
    broken.write_bytes(b"\x08\x07 truncated download")
    models = replace(rapid.wheel_models(), rec=broken)
    monkeypatch.setattr(rapid, "wheel_models", lambda: models)
    finding = doctor.check_onnx_models(settings)
    assert not finding.ok and "无法加载" in finding.detail and "pip install" in finding.fix


def test_onnx_model_missing(settings, monkeypatch, tmp_path):
    from ocr.engines import rapid

    models = replace(rapid.wheel_models(), det=tmp_path / "PP-OCRv6_det_small.onnx")
    monkeypatch.setattr(rapid, "wheel_models", lambda: models)
    finding = doctor.check_onnx_models(settings)
    assert not finding.ok and "PP-OCRv6_det_small.onnx" in finding.detail


def test_cjk_fonts_missing(settings, monkeypatch, tmp_path):
    from generators import fonts

    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path}</dir>'
                    f'<cachedir>{tmp_path}/cache</cachedir></fontconfig>', encoding="utf-8")
    monkeypatch.setattr(fonts, "FONTS_CONF", conf)
    finding = doctor.check_fonts(settings)
    assert not finding.ok and "fonts-noto-cjk" in finding.fix


def test_cjk_font_lacking_glyphs_is_named(settings, monkeypatch):
    monkeypatch.setattr(doctor, "FONT_SAMPLE", "安全\U0002A6D6")  # a character Noto Serif CJK lacks
    finding = doctor.check_fonts(settings)
    assert not finding.ok and "\U0002A6D6" in finding.detail


def test_libreoffice_missing(settings, monkeypatch, tmp_path):
    _without(monkeypatch, tmp_path / "bin", "soffice", "libreoffice")
    finding = doctor.check_libreoffice(settings)
    assert not finding.ok and "libreoffice-writer-nogui" in finding.fix


def test_data_folder_not_writable(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    finding = doctor.check_data_folder(settings.with_(data_dir=blocker / "data"))
    assert not finding.ok and "不是目录" in finding.detail and "SUBSIDY_DATA" in finding.fix


def test_key_missing_while_the_data_is_sealed(settings):
    _stored_trainee(settings)
    (settings.data_dir / KEY_FILE).unlink()
    finding = doctor.check_key(settings)
    assert not finding.ok and "找不到" in finding.detail and "密钥" in finding.detail and "备份" in finding.fix
    assert not (settings.data_dir / KEY_FILE).exists(), "the doctor must not make a new key"


def test_key_not_matching_the_data(settings):
    _stored_trainee(settings)
    (settings.data_dir / KEY_FILE).write_bytes(base64.urlsafe_b64encode(new_secret()) + b"\n")
    finding = doctor.check_key(settings)
    assert not finding.ok and "不符" in finding.detail


def test_key_malformed(settings, monkeypatch):
    monkeypatch.setenv("SUBSIDY_KEY", "not-a-key")
    finding = doctor.check_key(settings)
    assert not finding.ok and "SUBSIDY_KEY" in finding.detail


def test_database_unreachable(settings):
    url = f"postgresql+psycopg://subsidy:secret@127.0.0.1:{_closed_port()}/subsidy"
    finding = doctor.check_database(settings.with_(database_url=url))
    assert not finding.ok and "无法连接" in finding.detail and "SUBSIDY_DATABASE_URL" in finding.fix
    assert "secret" not in finding.detail


def test_database_not_migrated(settings):
    from alembic import command

    from intake.store.db import alembic_config, make_engine

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    command.upgrade(alembic_config(engine), "0008")  # the store's line, not the service's nor the join
    engine.dispose()
    finding = doctor.check_database(settings)
    assert not finding.ok and "0008" in finding.detail and "subsidy users list" in finding.fix


def test_fresh_data_folder_is_well_and_left_untouched(settings):
    findings = [check(settings) for check in (doctor.check_data_folder, doctor.check_key, doctor.check_database,
                                              doctor.check_queue)]
    assert all(f.ok for f in findings), findings
    assert not settings.data_dir.exists()


def test_redis_queue_unreachable(settings):
    finding = doctor.check_queue(settings.with_(queue_url=f"redis://127.0.0.1:{_closed_port()}/0"))
    assert not finding.ok and "无法连接" in finding.detail and "redis-server" in finding.fix


@pytest.mark.skipif(not os.environ.get("SUBSIDY_TEST_REDIS_URL"), reason="SUBSIDY_TEST_REDIS_URL not set")
def test_redis_queue_reachable(settings):
    assert doctor.check_queue(settings.with_(queue_url=os.environ["SUBSIDY_TEST_REDIS_URL"])).ok


def test_sqlite_queue_corrupt(settings):
    settings.data_dir.mkdir(parents=True)
    settings.queue_file.write_bytes(b"this is not an SQLite database" * 100)
    finding = doctor.check_queue(settings)
    assert not finding.ok and str(settings.queue_file) in finding.fix


def test_a_check_that_breaks_is_a_finding_not_a_traceback(settings):
    def exploding(_settings):
        raise RuntimeError("boom")

    (finding,) = doctor.run_checks(settings, (exploding,))
    assert not finding.ok and "RuntimeError" in finding.detail

