"""The generated corpus the benchmarks read: bundles with planted problems, made in a child process so
the generator's memory is not counted as the intake's."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

# Problems planted in the corpus: every bundle gets a few, drawn by its seed.
PLANTED = ("missing_signature", "missing_stamp", "missing_certificate_copy", "certificate_2019", "name_mismatch",
           "duplicate_trainee", "id_typo_in_agreement", "gender_mismatch")


def spec_of(i: int, trainees: int, profile: str, problems: tuple[str, ...] | None = None) -> dict:
    """Bundle i of the corpus; `problems` plants the same problems in every bundle instead of a few drawn."""
    rng = random.Random(5000 + i)
    drawn = rng.sample(PLANTED, k=rng.randint(0, 3))
    problems = list(problems) if problems is not None else drawn
    return {"seed": 1000 + i, "trainees": trainees + (i % 5) * 3, "profile": profile, "with_report": i % 3 == 0,
            "shuffle_pages": i % 4 == 3, "problems": problems, "records": True}


def make_corpus(n: int, trainees: int, profile: str, problems: tuple[str, ...] | None = None) -> list[Path]:
    folders = []
    base = OUT / "corpus" / (f"{profile}-{trainees}" + ("-" + "+".join(problems) if problems else ""))
    for i in range(n):
        folder = base / f"bundle_{i + 1:03d}"
        if not (folder / "truth.json").exists():
            spec = json.dumps(spec_of(i, trainees, profile, problems))
            code = ("import json,sys; from pathlib import Path;"
                    "from tests.bundlegen import BundleSpec, generate_bundle;"
                    "s=json.loads(sys.argv[1]); s['problems']=tuple(s['problems']);"
                    "generate_bundle(BundleSpec(**s), Path(sys.argv[2]))")
            subprocess.run([sys.executable, "-c", code, spec, str(folder)], check=True, cwd=ROOT)
        folders.append(folder)
    return folders


def truth_of(folder: Path) -> dict:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


def files_of(folder: Path, truth: dict) -> list[Path]:
    return [folder / f for f in truth["files"]]
