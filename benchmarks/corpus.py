"""The generated corpus the benchmarks read: bundles with planted problems, made in child processes so
the generator's memory is not counted as the intake's.

    .venv/bin/python benchmarks/corpus.py --bundles 40 --variety wide [--jobs 2]

builds (or completes) a corpus under benchmarks/out/corpus/ and says where and how long it took. A
"house" corpus has the house look throughout; a "wide" one draws every axis of the generator per
bundle, and with the profile "mixed" also the capture (scanned, grey, photographed) and the file type.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

# Problems planted in the corpus: every bundle gets a few, drawn by its seed.
PLANTED = ("missing_signature", "missing_stamp", "missing_certificate_copy", "certificate_2019", "name_mismatch",
           "duplicate_trainee", "id_typo_in_agreement", "gender_mismatch")
VARIETIES = ("house", "wide")
MIXED_PROFILES = ("scan", "scan", "gray", "phone")
MIXED_OUTPUTS = ("pdf", "pdf", "jpeg", "png", "tiff")


def spec_of(i: int, trainees: int, profile: str, problems: tuple[str, ...] | None = None,
            variety: str = "house", seed: int = 0) -> dict:
    """Bundle i of the corpus; `problems` plants the same problems in every bundle instead of a few drawn.
    Another `seed` draws another corpus of the same kind: bundles no one has looked at while tuning."""
    i += seed
    rng = random.Random(5000 + i)
    drawn = rng.sample(PLANTED, k=rng.randint(0, 3))
    problems = list(problems) if problems is not None else drawn
    spec = {"seed": 1000 + i, "trainees": trainees + (i % 5) * 3, "profile": profile, "with_report": i % 3 == 0,
            "shuffle_pages": i % 4 == 3, "problems": problems, "records": True}
    if variety != "house":
        spec["variety"] = variety
        if profile == "mixed":
            capture = random.Random(7000 + i)
            spec["profile"] = capture.choice(MIXED_PROFILES)
            spec["output"] = capture.choice(MIXED_OUTPUTS)
    return spec


def corpus_dir(trainees: int, profile: str, problems: tuple[str, ...] | None = None, variety: str = "house",
               seed: int = 0) -> Path:
    name = f"{profile}-{trainees}" + ("-" + "+".join(problems) if problems else "") + (f"-seed{seed}" if seed else "")
    return OUT / "corpus" / (name if variety == "house" else f"{variety}-{name}")


def generator_fingerprint() -> str:
    """A digest of the fixture generator's code and data: a corpus made by another version is made again,
    so no benchmark scores a reader against truth the generator no longer writes."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tests" / "bundlegen").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def make_corpus(n: int, trainees: int, profile: str, problems: tuple[str, ...] | None = None,
                variety: str = "house", jobs: int = 1, seed: int = 0) -> list[Path]:
    """The corpus's bundle folders, generating those not made yet (`jobs` at a time)."""
    base = corpus_dir(trainees, profile, problems, variety, seed)
    stamp = base / "generator.txt"
    if base.exists() and (not stamp.exists() or stamp.read_text().strip() != generator_fingerprint()):
        shutil.rmtree(base)
    base.mkdir(parents=True, exist_ok=True)
    stamp.write_text(generator_fingerprint() + "\n")
    folders = [base / f"bundle_{i + 1:03d}" for i in range(n)]
    missing = [(i, f) for i, f in enumerate(folders) if not (f / "truth.json").exists()]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda job: _generate(spec_of(job[0], trainees, profile, problems, variety, seed), job[1]),
                      missing))
    return folders


def _generate(spec: dict, folder: Path) -> None:
    code = ("import json,sys; from pathlib import Path;"
            "from tests.bundlegen import BundleSpec, generate_bundle;"
            "s=json.loads(sys.argv[1]); s['problems']=tuple(s['problems']);"
            "generate_bundle(BundleSpec(**s), Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, json.dumps(spec), str(folder)], check=True, cwd=ROOT)


def truth_of(folder: Path) -> dict:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


def files_of(folder: Path, truth: dict) -> list[Path]:
    return [folder / f for f in truth["files"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundles", type=int, default=40)
    ap.add_argument("--trainees", type=int, default=12)
    ap.add_argument("--variety", choices=VARIETIES, default="wide")
    ap.add_argument("--profile", default=None, help="scan, gray, phone, clean; for wide also mixed (the default)")
    ap.add_argument("--problems", default=None, help="plant these (comma-separated) in every bundle")
    ap.add_argument("--jobs", type=int, default=2, help="bundles generated at a time")
    ap.add_argument("--seed", type=int, default=0, help="draw another corpus of the same kind (held-out bundles)")
    args = ap.parse_args()
    profile = args.profile or ("mixed" if args.variety == "wide" else "scan")
    problems = tuple(p for p in args.problems.split(",") if p) if args.problems else None
    started = time.perf_counter()
    folders = make_corpus(args.bundles, args.trainees, profile, problems, args.variety, args.jobs, args.seed)
    pages = sum(len(truth_of(f)["pages"]) for f in folders)
    trainees = sum(len(truth_of(f)["trainees"]) for f in folders)
    print(f"{folders[0].parent}: {len(folders)} bundles, {pages} pages, {trainees} trainees, "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
