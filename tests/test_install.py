"""A new user's install: plain `pip install .` into a fresh venv (no scripts/setup.sh), then an intake.

Proves the default engine comes with the ordinary dependencies (RapidOCR and its models from their
wheel), that the installed package carries its data (policy, migrations, templates), and that it runs
from outside the source tree. Skipped only when the package registry cannot be reached.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.install, pytest.mark.slow]


def _run(*args: str | Path, cwd: Path, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env=env)


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("install")
    base = getattr(sys, "_base_executable", None) or shutil.which("python3")
    probe = _run(base, "-m", "pip", "index", "versions", "rapidocr", cwd=tmp, timeout=120)
    if probe.returncode != 0:
        pytest.skip(f"package registry unreachable: {probe.stderr.strip()[-200:]}")
    made = _run(base, "-m", "venv", tmp / "venv", cwd=tmp)
    assert made.returncode == 0, made.stderr
    installed = _run(tmp / "venv" / "bin" / "python", "-m", "pip", "install", "-q", ROOT, cwd=tmp, timeout=1200)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return tmp / "venv"


@pytest.fixture(scope="module")
def work(fresh_venv, tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("outside-the-source-tree")


def _env(work: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR")
    return {**{k: v for k, v in os.environ.items() if k in keep}, "HOME": str(work)}


def test_the_installed_package_is_used_not_the_source_tree(fresh_venv, work):
    done = _run(fresh_venv / "bin" / "python", "-c", "import ocr, rapidocr; print(ocr.__file__)", cwd=work,
                env=_env(work))
    assert done.returncode == 0, done.stderr
    assert "site-packages" in done.stdout and str(ROOT) not in done.stdout


def test_intake_with_the_default_engine(fresh_venv, work):
    bundle = work / "bundle"
    # The fixture generator is the tests', not the product's: it runs from the source tree.
    made = _run(sys.executable, "-m", "tests.bundlegen", "--seed", "31", "--trainees", "4", bundle, cwd=ROOT)
    assert made.returncode == 0, made.stderr
    folder = next(bundle.iterdir())
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    subsidy = fresh_venv / "bin" / "subsidy"
    done = _run(subsidy, "--data", work / "data", "intake", *[folder / f for f in truth["files"]],
                "--json", work / "result.json", "--batch", "安装测试", cwd=work, env=_env(work))
    assert done.returncode in (0, 1), done.stderr  # 1: the bundle's planted problems, if any
    assert "Traceback" not in done.stderr
    result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    assert result["engine"] == "rapidocr"
    # The result file shows ID numbers masked (first 6 and last 4 kept): those must be the truth's.
    def ends(number: str) -> tuple[str, str]:
        return number[:6], number[-4:]

    assert sorted(ends(t["id_number"]) for t in result["trainees"]) == sorted(ends(t["id_number"])
                                                                              for t in truth["trainees"])
    # The shipped templates came along: the roster is generated from the stored batch.
    generated = _run(subsidy, "--data", work / "data", "generate", "attachment1", "--batch", "安装测试",
                     "--out", work / "out", cwd=work, env=_env(work))
    assert generated.returncode == 0, generated.stderr
    assert any(p.suffix == ".docx" for p in (work / "out").iterdir())


def test_doctor_finds_both_engines(fresh_venv, work):
    done = _run(fresh_venv / "bin" / "subsidy", "--data", work / "data", "doctor", cwd=work, env=_env(work))
    lines = done.stdout.splitlines()
    assert any(line.startswith("[正常] RapidOCR") for line in lines), done.stdout
    assert any(line.startswith("[正常] Tesseract") for line in lines), done.stdout
