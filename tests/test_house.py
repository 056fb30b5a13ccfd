"""House rules that hold for the whole tree: lint clean, imports run one way."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each stage may import only the stages before it: ocr <- intake <- generators <- service.
LAYERS = {"ocr": set(), "intake": {"ocr"}, "generators": {"ocr", "intake"},
          "service": {"ocr", "intake", "generators"}}
# The product never imports its tests (nor the fixture generator): `tests` is no stage of it.
IMPORT = re.compile(r"^\s*(?:from|import)\s+(ocr|intake|generators|service|tests|benchmarks)\b", re.M)


@pytest.mark.parametrize("stage", sorted(LAYERS))
def test_imports_run_one_way(stage):
    wrong = []
    for path in (ROOT / stage).rglob("*.py"):
        for used in IMPORT.findall(path.read_text(encoding="utf-8")):
            if used != stage and used not in LAYERS[stage]:
                wrong.append(f"{path.relative_to(ROOT)} imports {used}")
    assert not wrong


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff not installed")
    done = subprocess.run([ruff, "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
