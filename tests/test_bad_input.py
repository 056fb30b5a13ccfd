"""Bad files get one line naming the file and the reason; the other files are still read."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

# The slow tier: the command line reading files with a real engine.
pytestmark = pytest.mark.slow


def subsidy(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "--data", str(data), *args],
                          capture_output=True, text=True, timeout=600)


def test_bad_files_are_named_and_the_good_one_is_still_read(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp_path / "notes.pdf"
    text.write_text("这不是PDF", encoding="utf-8")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj<<>>\nendobj\ntrailer<<>>\n%%EOF garbage")
    zipped = tmp_path / "archive.pdf"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "hello")
    blank = tmp_path / "blank.pdf"
    Image.fromarray(np.full((1100, 800), 255, np.uint8)).save(blank)
    out = tmp_path / "out"
    out.mkdir()
    done = subsidy("intake", str(empty), str(text), str(corrupt), str(zipped), str(blank), "--json", str(out),
                   "--workers", "1", data=tmp_path / "data")
    assert done.returncode == 1
    for name in ("empty.pdf", "notes.pdf", "corrupt.pdf", "archive.pdf"):
        lines = [ln for ln in done.stderr.splitlines() if name in ln and ":" in ln]
        assert lines, f"no message names {name}:\n{done.stderr}"
    # The blank page was read (and said to hold no roster or agreement), not lost.
    result = json.loads((out / "blank.json").read_text(encoding="utf-8"))
    assert result["pages"][0]["kind"] == "unknown"
    assert any("blank.pdf" in p for p in result["problems"])


def test_missing_file_is_a_failure_not_a_crash(tmp_path):
    done = subsidy("intake", str(tmp_path / "nope.pdf"), data=tmp_path / "data")
    assert done.returncode == 1
    assert "nope.pdf" in done.stderr


def test_no_arguments_is_wrong_usage(tmp_path):
    assert subsidy("intake", data=tmp_path / "data").returncode == 2


def test_a_missing_engine_is_named_with_its_fix_not_a_traceback(tmp_path):
    """Tesseract taken off the PATH: one line saying which part is missing and how to install it."""
    page = tmp_path / "page.png"
    Image.fromarray(np.full((400, 300), 255, np.uint8)).save(page)
    bin_dir = tmp_path / "bin"  # an empty PATH: no tesseract on it
    bin_dir.mkdir()
    done = subprocess.run([sys.executable, "-m", "service.cli", "--data", str(tmp_path / "data"), "intake",
                           str(page), "--engine", "tesseract"], capture_output=True, text=True, timeout=300,
                          env={"PATH": str(bin_dir), "HOME": str(tmp_path)}, cwd=Path(__file__).parents[1])
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenProcessPool" not in done.stderr
    assert "tesseract" in done.stderr and "apt-get install -y tesseract-ocr" in done.stderr
