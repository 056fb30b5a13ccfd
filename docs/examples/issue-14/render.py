"""Render the example pages of issue 14: every document of a 2020 batch (12 trainees, one refused for a
missing signature; ten in one class, so the agreement's table runs long) as PDF (LibreOffice) and PNG
(pdftoppm), to check by eye against docs/notice.md.

Run: .venv/bin/python docs/examples/issue-14/render.py
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from generators import GENERATORS  # noqa: E402
from generators.base import Options  # noqa: E402
from generators.pdf import to_pdf  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402
from intake.store.db import open_store  # noqa: E402
from tests.generators.conftest import BATCH, bundle_result, save  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once

ELECTRIC = {"profession": "低压电工作业", "training_date": "2020-05-06/2020-05-20", "class_period": "2020年第3期"}


def main() -> None:
    os.environ.pop("SUBSIDY_DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "data")
        changes = {f"t{i}": dict(ELECTRIC) for i in range(7, 11)}
        result = bundle_result(**changes)
        for t in result["trainees"][7:11]:
            t["certificate_no"] = "T" + t["id_number"]
        save(store, folder, result)
        options = Options(data_dir=store.data_dir, publicity_start=dt.date(2020, 9, 29), policy=POLICY)
        docx = []
        with store.session() as session:
            for kind, generator in GENERATORS.items():
                files = generator(options).generate(session, "2020Q2" if kind == "quarterly" else BATCH, folder / kind)
                docx += [f for f in files if f.suffix == ".docx"]
        store.close()
        for old in HERE.glob("*.png"):
            old.unlink()
        for pdf in to_pdf(docx, folder / "pdf"):
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(HERE / pdf.stem)], check=True, timeout=120)
    for png in sorted(HERE.glob("*.png")):
        print(png.relative_to(HERE.parents[2]))


if __name__ == "__main__":
    main()
