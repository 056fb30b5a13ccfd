"""Remake service/demo/bundle.pdf from the fixture generator (a developer's step; the product ships the file).

    .venv/bin/python scripts/make_demo_bundle.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bundlegen import BundleSpec, generate_bundle  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        truth = generate_bundle(BundleSpec(seed=2020, trainees=5), Path(work))
        shutil.copyfile(Path(work) / truth.files[0], ROOT / "service" / "demo" / "bundle.pdf")


if __name__ == "__main__":
    main()
